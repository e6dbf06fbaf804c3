"""Writes to organisations, teams and memberships. Changes to who belongs are recorded in the
organisation's activity log (`OrganizationEvent`)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.models import (
    Membership,
    Organization,
    OrganizationEvent,
    ReportBranding,
    Role,
    Team,
)
from core.naming import unique_name
from core.selectors import display_name

RESERVED_SLUGS = {"new"}  # /orgs/new/ creates one
SLUG_ATTEMPTS = 3
LAST_OWNER = "An organisation needs at least one owner: make someone else owner first."


class LastOwner(Exception):
    pass


def organization_create(*, name: str, by: User) -> Organization:
    """A new organisation, its creator its first owner."""
    name = name.strip()
    for attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                organization = Organization.objects.create(name=name, slug=free_slug(name))
                Membership.objects.create(organization=organization, user=by, role=Role.OWNER)
                _record(organization.pk, OrganizationEvent.Kind.ORGANIZATION_CREATED, by, name)
            return organization
        except IntegrityError:  # the same name created at the same instant took the slug
            if attempt == SLUG_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def free_slug(name: str) -> str:
    """The name as a slug, numbered until no organisation has it ("acme", "acme-2", ...)."""
    base = (slugify(name) or "organisation")[:70]
    if base in RESERVED_SLUGS:
        base = f"{base}-organisation"
    taken = set(Organization.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    return unique_name(base, taken)


def team_create(
    *,
    organization: Organization,
    name: str,
    description: str,
    by: User,
    reassessment_months: int | None = None,
) -> Team:
    """A new team; `reassessment_months` None gives it the default cadence."""
    cadence = {} if reassessment_months is None else {"reassessment_months": reassessment_months}
    with transaction.atomic():
        team = Team.objects.create(
            organization=organization,
            name=name.strip(),
            description=description.strip(),
            **cadence,
        )
        _record(organization.pk, OrganizationEvent.Kind.TEAM_CREATED, by, team.name)
    return team


def team_update(
    *,
    team: Team,
    name: str,
    description: str,
    by: User,
    reassessment_months: int | None = None,
) -> None:
    """Rename or describe the team; `reassessment_months` None keeps its cadence."""
    with transaction.atomic():
        before = team.name
        team.name, team.description = name.strip(), description.strip()
        if reassessment_months is not None:
            team.reassessment_months = reassessment_months
        team.save(update_fields=["name", "description", "reassessment_months"])
        if team.name != before:
            _record(
                team.organization_id,
                OrganizationEvent.Kind.TEAM_RENAMED,
                by,
                f"{before} to {team.name}",
            )


def team_set_archived(*, team: Team, archived: bool, by: User) -> None:
    with transaction.atomic():
        if (team.archived_at is not None) == archived:
            return
        team.archived_at = timezone.now() if archived else None
        team.save(update_fields=["archived_at"])
        kind = (
            OrganizationEvent.Kind.TEAM_ARCHIVED
            if archived
            else OrganizationEvent.Kind.TEAM_RESTORED
        )
        _record(team.organization_id, kind, by, team.name)


def organization_ensure(*, slug: str, name: str) -> Organization:
    """The organisation with this slug, created with `name` when there is none."""
    organization, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": name})
    return organization


def team_ensure(*, organization: Organization, name: str, description: str = "") -> Team:
    """The organisation's team of this name, created when there is none."""
    team, _ = Team.objects.get_or_create(
        organization=organization, name=name, defaults={"description": description}
    )
    return team


def membership_add(*, organization: Organization, user: User, role: str, by: User) -> Membership:
    with transaction.atomic():
        membership = Membership.objects.create(organization=organization, user=user, role=role)
        _record(
            organization.pk,
            OrganizationEvent.Kind.MEMBER_ADDED,
            by,
            f"{display_name(user)} as {membership.get_role_display().lower()}",
        )
    return membership


def membership_set_role(*, membership: Membership, role: str, by: User) -> None:
    with transaction.atomic():
        if membership.role == role:
            return
        if membership.role == Role.OWNER:
            _keep_an_owner(membership)
        before = membership.get_role_display().lower()
        membership.role = role
        membership.save(update_fields=["role"])
        _record(
            membership.organization_id,
            OrganizationEvent.Kind.ROLE_CHANGED,
            by,
            f"{display_name(membership.user)}: {before} to {membership.get_role_display().lower()}",
        )


def membership_remove(*, membership: Membership, by: User) -> None:
    with transaction.atomic():
        if membership.role == Role.OWNER:
            _keep_an_owner(membership)
        membership.delete()
        _record(
            membership.organization_id,
            OrganizationEvent.Kind.MEMBER_REMOVED,
            by,
            display_name(membership.user),
        )


def branding_save(
    *,
    organization: Organization,
    prepared_by: str,
    firm: str,
    confidentiality: str,
    logo: bytes | None,
    by: User,
) -> ReportBranding:
    """Sign the organisation's reports. `logo`: a cleaned PNG (core/logos.py) to replace the
    current one, b"" to remove it, None to keep it. Published reports keep the branding they
    were published with."""
    with transaction.atomic():
        branding, _ = ReportBranding.objects.select_for_update().get_or_create(
            organization=organization
        )
        branding.prepared_by, branding.firm = prepared_by.strip(), firm.strip()
        branding.confidentiality = confidentiality.strip()
        changed_logo = logo is not None and bytes(logo) != bytes(branding.logo)
        if logo is not None:
            branding.logo = logo
        branding.save()
        detail = ", ".join(
            part
            for part in (
                f"prepared by {branding.prepared_by or 'nobody named'}",
                f"firm {branding.firm or 'none'}",
                f"marking {branding.confidentiality or 'none'}",
                ("logo removed" if not logo else "new logo") if changed_logo else "",
            )
            if part
        )
        _record(organization.pk, OrganizationEvent.Kind.BRANDING_CHANGED, by, detail)
    return branding


def _record(organization_id: int, kind: str, by: User, detail: str) -> None:
    OrganizationEvent.objects.create(
        organization_id=organization_id, kind=kind, user=by, detail=detail[:500]
    )


def _keep_an_owner(leaving: Membership) -> None:
    owners = Membership.objects.select_for_update().filter(
        organization_id=leaving.organization_id, role=Role.OWNER
    )
    if not owners.exclude(pk=leaving.pk).exists():
        raise LastOwner(LAST_OWNER)


def organization_settings_save(
    *, organization: Organization, name: str, require_mfa: bool, sso_domain: str, by: User
) -> None:
    with transaction.atomic():
        organization.name = name.strip()
        organization.require_mfa = require_mfa
        organization.sso_domain = sso_domain.strip().lower()
        organization.save(update_fields=["name", "require_mfa", "sso_domain"])
        detail = (
            f"name {organization.name}; two-factor {'required' if require_mfa else 'optional'}; "
            f"single sign-on for {organization.sso_domain or 'nobody'}"
        )
        _record(organization.pk, OrganizationEvent.Kind.SETTINGS_CHANGED, by, detail)
