"""Who may see what: organisations (a company, or a consultant's client), teams and members."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower


class Organization(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Members must turn on two-factor sign-in before they go on (core/middleware.py).
    require_mfa = models.BooleanField(default=False)
    # People whose address is at this domain sign in through single sign-on, not a password.
    sso_domain = models.CharField(max_length=253, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


REASSESSMENT_CADENCES = [
    (1, "Month"),
    (3, "Quarter"),
    (6, "Six months"),
    (12, "Year"),
    (0, "No reminder"),
]


class Team(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Archived: out of the lists and closed to new assessments; its history stays readable.
    archived_at = models.DateTimeField(null=True, blank=True)
    # How often the team means to reassess, in months (0: no reminder); its lead is reminded
    # when this long has passed since its latest submission.
    reassessment_months = models.PositiveSmallIntegerField(
        choices=REASSESSMENT_CADENCES, default=3, verbose_name="Reassess every"
    )

    class Meta:
        ordering = ["organization__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="team_name_unique_in_org")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.organization.name})"


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    CONSULTANT = "consultant", "Consultant"
    MEMBER = "member", "Member"
    VIEWER = "viewer", "Viewer"


# Roles that may answer and change assessments; viewers only read reports.
EDITING_ROLES = frozenset({Role.OWNER, Role.CONSULTANT, Role.MEMBER})
# Roles that may manage the organisation: its teams and who belongs to it.
MANAGING_ROLES = frozenset({Role.OWNER, Role.CONSULTANT})


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organization__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organization"], name="one_membership_per_org")
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.organization} as {self.role}"

    @property
    def can_edit(self) -> bool:
        return self.role in EDITING_ROLES

    @property
    def can_manage(self) -> bool:
        return self.role in MANAGING_ROLES

    @property
    def can_manage_members(self) -> bool:
        """Owners alone decide who belongs to the organisation, and see its activity log."""
        return self.role == Role.OWNER


class OrganizationEvent(models.Model):
    """Who changed an organisation's membership, and when: its activity log beside the
    assessments' own events."""

    class Kind(models.TextChoices):
        MEMBER_ADDED = "member_added", "Member added"
        ROLE_CHANGED = "role_changed", "Role changed"
        MEMBER_REMOVED = "member_removed", "Member removed"
        BRANDING_CHANGED = "branding_changed", "Report branding changed"
        ORGANIZATION_CREATED = "organization_created", "Organisation created"
        TEAM_CREATED = "team_created", "Team created"
        TEAM_RENAMED = "team_renamed", "Team renamed"
        TEAM_ARCHIVED = "team_archived", "Team archived"
        TEAM_RESTORED = "team_restored", "Team restored"
        INVITATION_SENT = "invitation_sent", "Invitation sent"
        INVITATION_RESENT = "invitation_resent", "Invitation sent again"
        INVITATION_REVOKED = "invitation_revoked", "Invitation revoked"
        INVITATION_ACCEPTED = "invitation_accepted", "Invitation accepted"
        SETTINGS_CHANGED = "settings_changed", "Organisation settings changed"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["organization", "-at"])]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user} at {self.at:%Y-%m-%d %H:%M}"


class ReportBranding(models.Model):
    """How an organisation's reports are signed: who prepared them, for which firm, how
    confidential they are, and a logo. Kept apart from `Organization` so that the logo's bytes
    are read only when a report needs them."""

    organization = models.OneToOneField(
        Organization, on_delete=models.CASCADE, primary_key=True, related_name="branding"
    )
    prepared_by = models.CharField(max_length=120, blank=True)
    firm = models.CharField(max_length=120, blank=True)
    confidentiality = models.CharField(max_length=160, blank=True)
    # A PNG re-encoded from the upload (core/logos.py): never the bytes as sent. Stored in the
    # database rather than on a disk, so every host of a deployment serves the same logo.
    logo = models.BinaryField(blank=True, default=b"")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Report branding of {self.organization}"


class Invitation(models.Model):
    """An owner's invitation to join an organisation in a role, sent to one address. The person
    joins only when they accept it from the link, signed in with that address. The link is
    single-use and expires; only a SHA-256 of its token is stored. Sending it again makes a new
    token (the old link stops working); revoking it ends it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(max_length=254)
    role = models.CharField(max_length=20, choices=Role.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organization", "email"])]
        constraints = [
            # One live invitation per address and organisation, even when two owners invite
            # the same person at the same moment.
            models.UniqueConstraint(
                Lower("email"),
                "organization",
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="one_pending_invitation_per_address",
            )
        ]

    def __str__(self) -> str:
        return f"Invitation of {self.email} to {self.organization}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class AccessToken(models.Model):
    """A personal access token for the API: what a script or a CI job signs in with. Only a
    SHA-256 of the token is stored; it is shown once, when made. It reads, or reads and writes,
    as its owner may (never more), in every organisation of theirs or in one; it expires."""

    class Scope(models.TextChoices):
        READ = "read", "Read"
        WRITE = "write", "Read and write"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="access_tokens"
    )
    name = models.CharField(max_length=100)  # what it is for, in its owner's words
    token_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(max_length=12)  # its first characters, to recognise it in a list
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.READ)
    # Set: the token sees this organisation only (others answer 404).
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    def is_active(self, at: datetime) -> bool:
        return self.revoked_at is None and at < self.expires_at

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE
