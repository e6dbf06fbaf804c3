from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from assessment.banks.cache import bank_from_content, cached_bank
from assessment.scoring.types import AnswerValue, Bank


class QuestionBank(models.Model):
    """A published version of a question bank. Immutable: a change needs a new version."""

    slug = models.SlugField(max_length=80)
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the content")
    content = models.JSONField(help_text="The bank as read from its YAML file")
    question_count = models.PositiveIntegerField()
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["slug", "-loaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["slug", "version"], name="one_bank_per_slug_version")
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.version}"

    @property
    def key(self) -> str:
        return f"{self.slug}@{self.version}"

    @property
    def version_key(self) -> tuple[int, ...]:
        """For ordering versions as numbers: 1.10 comes after 1.9."""
        return tuple(int(part) for part in self.version.split("."))

    def bank(self) -> Bank:
        # Callers may defer `content` (it is large); it is read only on a cache miss.
        return cached_bank(self.checksum) or bank_from_content(self.checksum, self.content)


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


class Assessment(models.Model):
    """One team's answers to one bank version at one point in time (e.g. "2026 Q4")."""

    team = models.ForeignKey("core.Team", on_delete=models.CASCADE, related_name="assessments")
    bank = models.ForeignKey(QuestionBank, on_delete=models.PROTECT, related_name="assessments")
    label = models.CharField(max_length=100)
    status = models.CharField(
        max_length=20, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    # Role code -> "present" / "shared" / "absent": who the team has.
    composition = models.JSONField(default=dict, blank=True)
    # Phase code -> target level, only for the phases the team chose a target for.
    targets = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # The scoring result frozen at submission, as `Result.to_dict()`; never recomputed.
    result = models.JSONField(null=True, blank=True)
    engine_version = models.CharField(max_length=20, blank=True)
    # Bumped at every submission, so caches keyed by it (the PDF) never serve an old result.
    result_version = models.PositiveIntegerField(default=0)
    # A few figures of the result (levels and percents), so dashboards never load whole results.
    summary = models.JSONField(null=True, blank=True)
    # Team answering: whether the report names respondents beside their answers (else anonymous).
    name_respondents = models.BooleanField(default=False)
    # Team answering, frozen at submission: the flagged questions, who answered what, and how
    # each was settled (`TeamSnapshot.to_dict()`). Null for a solo assessment.
    team_snapshot = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["team", "status", "-submitted_at"])]
        constraints = [
            # Two "2026 Q4" of one team cannot be told apart in lists, exports or reports.
            models.UniqueConstraint(
                "team",
                Lower("label"),
                name="one_label_per_team",
                violation_error_message=("This team already has an assessment with this label."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.team.name}: {self.label}"

    @property
    def is_submitted(self) -> bool:
        return self.status == AssessmentStatus.SUBMITTED


class Respondent(models.Model):
    """A person answering an assessment. A solo assessment has one: its lead. With more, each
    answers on their own and the lead settles the final answers (`FinalAnswer`)."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="respondents")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    is_lead = models.BooleanField(default=False)
    # The bank role they answer as (e.g. "data_scientist"); shown beside their answers.
    role = models.CharField(max_length=50, blank=True)
    # Phase codes they answer; empty means every phase.
    phases = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user"], name="one_respondent_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user} on {self.assessment}"


# The stored answer values and their words, from the one vocabulary of answers.
ANSWER_CHOICES = [(value.value, value.label) for value in AnswerValue]


EVIDENCE_MAX_LENGTH = 2000
NOTE_MAX_LENGTH = 2000
REASON_MAX_LENGTH = 500


class Answer(models.Model):
    """One respondent's answer to one question, by the question's stable code."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="answers")
    question_code = models.CharField(max_length=20)
    # Blank while only evidence or a note has been typed: kept, but not yet an answer.
    value = models.CharField(max_length=10, choices=ANSWER_CHOICES, blank=True)
    evidence = models.CharField(max_length=EVIDENCE_MAX_LENGTH, blank=True)
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)
    reason = models.CharField(
        max_length=REASON_MAX_LENGTH, blank=True, help_text="Why it does not apply"
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Set when "start from the last assessment" brought this answer over from another bank
    # version ("carried", "split" or "merged": banks/mapping.py); cleared once someone saves it.
    carried = models.CharField(max_length=10, blank=True)
    carried_from = models.CharField(max_length=200, blank=True)  # e.g. "DES-0-03 in 1.0"

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["respondent", "question_code"], name="one_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_code}={self.value}"


class FinalAnswer(models.Model):
    """The answer the lead settled on for a question of a team assessment; only these are
    scored when an assessment has several respondents."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="final_answers"
    )
    question_code = models.CharField(max_length=20)
    value = models.CharField(max_length=10, choices=ANSWER_CHOICES)
    evidence = models.CharField(max_length=EVIDENCE_MAX_LENGTH, blank=True)
    note = models.TextField(max_length=NOTE_MAX_LENGTH, blank=True)  # why the lead chose it
    reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "question_code"], name="one_final_answer_per_question"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question_code}={self.value} (final)"


class AssessmentEvent(models.Model):
    """What happened to an assessment and who did it: the audit trail a consultant can show."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        SUBMITTED = "submitted", "Submitted"
        REOPENED = "reopened", "Reopened"
        COMPOSITION_CHANGED = "composition_changed", "Team composition changed"
        RESPONDENT_ADDED = "respondent_added", "Respondent added"
        RESPONDENT_REMOVED = "respondent_removed", "Respondent removed"
        NAMING_CHOSEN = "naming_chosen", "Naming of respondents chosen"
        COMMENTARY_SAVED = "commentary_saved", "Report commentary saved"
        COMMENTARY_PUBLISHED = "commentary_published", "Report commentary published"
        COMMENTARY_WITHDRAWN = "commentary_withdrawn", "Report commentary withdrawn"

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    detail = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} by {self.user} at {self.at:%Y-%m-%d %H:%M}"


class TeamStanding(models.Model):
    """A team's two latest submitted assessments, kept up to date at every submission and
    reopening, so the organisation dashboard reads one row per team however long its history."""

    team = models.OneToOneField(
        "core.Team", on_delete=models.CASCADE, primary_key=True, related_name="standing"
    )
    # {"id", "label", "submitted_at" (ISO), "summary"} of the newest submission, or null.
    latest = models.JSONField(null=True, blank=True)
    # Since the submission before it: "up", "down", "flat"; "" with fewer than two.
    trend = models.CharField(max_length=10, blank=True)

    def __str__(self) -> str:
        return f"Standing of team {self.team_id}"


class ExportJob(models.Model):
    """An organisation's export (a ZIP of every assessment as CSV, JSON and PDF), built by a
    background task so a large client does not hold a web worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Ready"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    # Under way: at most one per organisation (the constraint below), which a worker's heartbeat
    # keeps alive.
    ACTIVE = (Status.QUEUED, Status.RUNNING)

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="export_jobs"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.QUEUED)
    done_steps = models.PositiveIntegerField(default=0)
    total_steps = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # The last sign of life: set when queued, when the worker starts, and after each file. A job
    # under way whose heartbeat is older than settings.EXPORT_STALE_AFTER has lost its worker.
    heartbeat_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            # "One export at a time" must hold when simultaneous requests race each other.
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_export_under_way_per_organization",
            )
        ]

    def __str__(self) -> str:
        return f"Export of {self.organization} ({self.status})"

    @property
    def percent(self) -> int:
        return round(100 * self.done_steps / self.total_steps) if self.total_steps else 0


class ReportShare(models.Model):
    """A read-only link to one assessment's report (page and PDF) for someone without an account.
    Only a hash of its token is stored: the link is shown once, when it is made."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="shares")
    token_hash = models.CharField(max_length=64, unique=True)  # SHA-256 hex of the token
    note = models.CharField(max_length=200, blank=True)  # who it is for, in the owner's words
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Share of {self.assessment} until {self.expires_at:%Y-%m-%d}"

    def is_active(self, at: datetime) -> bool:
        return self.revoked_at is None and at < self.expires_at


class ReportShareUse(models.Model):
    """Every time a shared link was opened: when, what (the page or the PDF), from where."""

    class Kind(models.TextChoices):
        PAGE = "page", "Report page"
        PDF = "pdf", "PDF"

    share = models.ForeignKey(ReportShare, on_delete=models.CASCADE, related_name="uses")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    at = models.DateTimeField(auto_now_add=True)
    address = models.GenericIPAddressField(null=True, blank=True)
    agent = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.at:%Y-%m-%d %H:%M}"


class ReportCommentary(models.Model):
    """The consultant's words on one assessment's report: an executive paragraph and a note per
    section. A draft until published; publishing freezes the words and the organisation's
    branding of that moment in `frozen`, and the report shows the frozen copy from then on. A
    new submission makes it a draft again, since the figures it comments on have changed."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, primary_key=True, related_name="commentary"
    )
    executive = models.TextField(blank=True)
    notes = models.JSONField(default=dict, blank=True)  # {section anchor: text}
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    # {"branding": {...}, "commentary": {...}} as they were when published; null for a draft.
    frozen = models.JSONField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Commentary on {self.assessment}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


TITLE_MAX_LENGTH = 200
ACTION_NOTES_MAX_LENGTH = 4000


class Action(models.Model):
    """One thing a team agreed to do, usually a recommendation accepted from an assessment. It
    names the practices it should move, so the next assessment can say whether it did."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Planned"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    OPEN = (Status.PLANNED, Status.IN_PROGRESS)

    team = models.ForeignKey("core.Team", on_delete=models.CASCADE, related_name="actions")
    # The assessment whose recommendation it came from; null for the lead's own actions.
    source = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=TITLE_MAX_LENGTH)
    # The bank's question codes it addresses, e.g. ["EXP-1-02"].
    practices = models.JSONField(default=list, blank=True)
    # A member who owns it, or the name of someone without an account (one or the other).
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    owner_name = models.CharField(max_length=120, blank=True)
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    dropped_reason = models.CharField(max_length=REASON_MAX_LENGTH, blank=True)
    notes = models.TextField(max_length=ACTION_NOTES_MAX_LENGTH, blank=True)
    # When it was marked done: the follow-up counts actions done between two submissions.
    done_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["due_on", "pk"]
        indexes = [models.Index(fields=["team", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN


class Reminder(models.Model):
    """An e-mail the reminder command sent. Its key is unique, so a second run (or two at once)
    never sends the same reminder again: the row is written before the message goes."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", "Action due soon"
        OVERDUE = "overdue", "Action overdue"
        REASSESSMENT = "reassessment", "Reassessment due"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    # e.g. "due_soon:action=12:due=2027-01-15" or "reassessment:team=3:after=45"
    key = models.CharField(max_length=120, unique=True)
    action = models.ForeignKey(
        Action, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    team = models.ForeignKey(
        "core.Team", on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    sent_to = models.EmailField(max_length=254)
    sent_at = models.DateTimeField()

    class Meta:
        ordering = ["-sent_at", "-pk"]

    def __str__(self) -> str:
        return self.key


WEBHOOK_URL_MAX_LENGTH = 500
WEBHOOK_EXCERPT_LENGTH = 1000


class Webhook(models.Model):
    """An address of the organisation's that receives events (docs/webhooks.md), signed with
    its secret."""

    organization = models.ForeignKey(
        "core.Organization", on_delete=models.CASCADE, related_name="webhooks"
    )
    url = models.CharField(max_length=WEBHOOK_URL_MAX_LENGTH)
    # Event types, e.g. ["assessment.submitted", "action.created"] (formats/webhook_events.py).
    events = models.JSONField(default=list)
    # Kept in clear, unlike a share's token: signing needs it, and owners copy it from the page.
    # Made by the service (services/webhooks.py), never by a default the migration would import.
    secret = models.CharField(max_length=100)
    description = models.CharField(max_length=200, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        # Every submission and action change looks up its organisation's active webhooks.
        indexes = [models.Index(fields=["organization", "is_active"])]

    def __str__(self) -> str:
        return self.url

    def subscribes_to(self, event_type: str) -> bool:
        return event_type in self.events


class WebhookDelivery(models.Model):
    """One event sent, or to send, to one webhook, with the outcome of its latest attempt and
    a line per attempt in `history`. The worker retries it with growing delays until the
    receiver answers 2xx or the attempts run out (services/webhooks.py)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be sent"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed, will retry"
        GAVE_UP = "gave_up", "Gave up"

    # Still to be tried (by the worker): the first attempt, or a retry.
    OPEN = (Status.PENDING, Status.FAILED)

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    # The event's id: the same in every attempt (and for every webhook that receives the event),
    # so a receiver recognises a retry of what it already has.
    event_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event_type = models.CharField(max_length=50)
    payload = models.JSONField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the next attempt is due; None once delivered or given up.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(max_length=WEBHOOK_EXCERPT_LENGTH, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    # One entry per attempt: {"at", "status_code", "error", "duration_ms"}.
    history = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # A webhook's page lists its latest deliveries.
            models.Index(fields=["webhook", "-created_at"]),
            # The deliveries still to try, by when they are due: what a sweep over lost tasks
            # (or an operator) looks for.
            models.Index(fields=["status", "next_attempt_at"]),
        ]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event_id"], name="one_delivery_per_event")
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} to {self.webhook_id}"

    @property
    def attempt_log(self) -> list[dict[str, Any]]:
        """`history` with its times as datetimes, for pages."""
        return [
            {**entry, "at": datetime.fromisoformat(entry["at"]) if entry.get("at") else None}
            for entry in self.history
        ]
