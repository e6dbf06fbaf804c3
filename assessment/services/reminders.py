"""Reminder e-mails: an action due soon, an action overdue, a team due for its reassessment.

`reminders_send(now=...)` sends what is due at `now` and is meant to run often (hourly, from
`manage.py send_reminders` under cron, or from the background worker: `reminder_task.py`):

- an open action's owner hears once when its due date is `REMINDER_DAYS_BEFORE` days away or
  less, and once when it has passed. A run that missed the first window sends only the second.
  The keys carry the due date, so moving the date re-arms both;
- a team's lead hears once per submitted assessment when the team's cadence
  (`Team.reassessment_months`) has run out since it, unless a new assessment was started since.

Only members of the team's organisation with an address receive anything; when an action's owner
cannot (a name without an account, no address, or gone), its creator hears instead, and when the
lead has left, the organisation's owners do. Archived teams get nothing.

Nothing is ever sent twice: each reminder's row (unique key) is committed before its message goes,
so a second run, or two at once, finds it taken. A message the mail server refuses has its row
removed, and the next run tries again. A process killed between the two leaves a row without a
message: that reminder is lost rather than sent twice.
"""

from __future__ import annotations

import calendar
import logging
import smtplib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import BadHeaderError, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q, Subquery
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone

from assessment.models import Action, Assessment, AssessmentStatus, Reminder, Respondent
from assessment.selectors.actions import owner_label
from core.models import REASSESSMENT_CADENCES, Membership, Role
from core.selectors import display_name

logger = logging.getLogger(__name__)

Kind = Reminder.Kind
# How the command's output and the logs name each kind.
KIND_WORDS = {Kind.DUE_SOON: "due-soon", Kind.OVERDUE: "overdue", Kind.REASSESSMENT: "reassessment"}
CADENCE_WORDS = {months: label.lower() for months, label in REASSESSMENT_CADENCES}


@dataclass(frozen=True)
class Outgoing:
    """One reminder to send: its key, who gets it, and the message."""

    kind: Reminder.Kind
    key: str
    to: tuple[str, ...]
    subject: str
    body: str
    action_id: int | None
    team_id: int

    @property
    def about(self) -> str:
        return f"action {self.action_id}" if self.action_id else f"team {self.team_id}"

    def describe(self) -> str:
        """ "overdue reminder for action 12 to a@b.c", as the command prints it."""
        return f"{KIND_WORDS[self.kind]} reminder for {self.about} to {', '.join(self.to)}"


@dataclass
class ReminderReport:
    sent: list[Outgoing] = field(default_factory=list)  # or, in a dry run, those that would be
    failed: list[tuple[Outgoing, str]] = field(default_factory=list)  # with the server's error
    taken: list[Outgoing] = field(default_factory=list)  # sent by another run meanwhile
    unaddressed: list[str] = field(default_factory=list)  # due, with nobody to send it to
    dry_run: bool = False


def reminders_send(*, now: datetime, dry_run: bool = False) -> ReminderReport:
    """Send every reminder due at `now` not sent yet; `dry_run` sends and records nothing.

    Reads in a constant number of queries whatever the number of actions and teams; then each
    message costs its own insert (and a delete if the mail server refuses it)."""
    report = ReminderReport(dry_run=dry_run)
    outgoing = _due(now, report)
    if dry_run:
        report.sent.extend(outgoing)
        return report
    for message in outgoing:
        claimed = _claim(message, now)
        if claimed is None:
            report.taken.append(message)
            continue
        error = _mail(message)
        if error is None:
            logger.info("sent %s", message.describe())
            report.sent.append(message)
        else:
            # Released, so the next run tries again: the message never left.
            Reminder.objects.filter(pk=claimed).delete()
            logger.warning("could not send %s: %s", message.describe(), error)
            report.failed.append((message, error))
    return report


def _claim(message: Outgoing, now: datetime) -> int | None:
    """The reminder's row, committed on its own before the message goes; None when another run
    holds the key (it sent it, or is sending it)."""
    try:
        with transaction.atomic():
            return Reminder.objects.create(
                kind=message.kind,
                key=message.key,
                action_id=message.action_id,
                team_id=message.team_id,
                sent_to=_fitting(message.to),
                sent_at=now,
            ).pk
    except IntegrityError:
        return None


def _fitting(addresses: Iterable[str]) -> str:
    """The addresses, as many whole ones as the column holds."""
    kept: list[str] = []
    for address in addresses:
        if len(", ".join([*kept, address])) > (Reminder._meta.get_field("sent_to").max_length or 0):
            break
        kept.append(address)
    return ", ".join(kept)


def _mail(message: Outgoing) -> str | None:
    """Send it; the mail server's error as text when it fails."""
    try:
        send_mail(
            subject=message.subject,
            message=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=list(message.to),
        )
    except (smtplib.SMTPException, OSError, BadHeaderError) as error:
        return str(error) or type(error).__name__
    return None


# What is due -----------------------------------------------------------------------------------


def _due(now: datetime, report: ReminderReport) -> list[Outgoing]:
    """The reminders due at `now` and not sent yet, addressed and written. Five queries."""
    today = timezone.localdate(now)
    actions = _actions_due(today)
    assessments = _reassessments_due(now)
    sent = _sent_keys(actions, assessments)
    actions = [a for a in actions if _action_key(a, today) not in sent]
    assessments = [a for a in assessments if _reassessment_key(a) not in sent]
    members = _Members.load(
        organization_ids={a.team.organization_id for a in actions}
        | {a.team.organization_id for a in assessments},
        user_ids={a.owner_id for a in actions if a.owner_id}
        | {a.created_by_id for a in actions}
        | {_lead(a).pk for a in assessments},
    )
    outgoing = []
    for action in actions:
        message = _action_message(action, today, members)
        if message is None:
            report.unaddressed.append(
                f"{KIND_WORDS[_action_kind(action, today)]} reminder for action {action.pk}: "
                "its owner and its creator are not members with an e-mail address"
            )
        else:
            outgoing.append(message)
    for assessment in assessments:
        message = _reassessment_message(assessment, members)
        if message is None:
            report.unaddressed.append(
                f"reassessment reminder for team {assessment.team_id}: neither its lead nor "
                "an owner of its organisation has an e-mail address"
            )
        else:
            outgoing.append(message)
    return outgoing


def _actions_due(today: date) -> list[Action]:
    """Open actions of teams in use, due within the warning window or overdue. One query."""
    horizon = today + timedelta(days=settings.REMINDER_DAYS_BEFORE)
    return list(
        Action.objects.filter(
            status__in=Action.OPEN, due_on__lte=horizon, team__archived_at__isnull=True
        )
        .select_related("team__organization", "owner", "created_by")
        .order_by("due_on", "pk")
    )


def _action_kind(action: Action, today: date) -> Reminder.Kind:
    assert action.due_on is not None  # only dated actions are due
    # Only the reminder of the moment: a run that missed the "due soon" days sends "overdue" alone.
    return Kind.OVERDUE if action.due_on < today else Kind.DUE_SOON


def _action_key(action: Action, today: date) -> str:
    # The due date is part of the key: moving it gives the action its reminders again.
    return f"{_action_kind(action, today)}:action={action.pk}:due={action.due_on:%Y-%m-%d}"


def _reassessments_due(now: datetime) -> list[Assessment]:
    """Each team's latest submitted assessment whose cadence has run out by `now`, when the team
    (in use, with a cadence) has started no assessment since. Two queries (the second, the leads,
    only when there are any)."""
    latest = (
        Assessment.objects.filter(team=OuterRef("team"), status=AssessmentStatus.SUBMITTED)
        .order_by("-submitted_at", "-pk")
        .values("pk")[:1]
    )
    started_since = Assessment.objects.filter(
        team=OuterRef("team"),
        status=AssessmentStatus.DRAFT,
        created_at__gt=OuterRef("submitted_at"),
    )
    candidates = (
        Assessment.objects.filter(
            status=AssessmentStatus.SUBMITTED,
            submitted_at__isnull=False,
            team__archived_at__isnull=True,
            team__reassessment_months__gt=0,
            pk=Subquery(latest),
        )
        # A draft started since: the team is reassessing already.
        .exclude(Exists(started_since))
        .defer("result", "summary", "team_snapshot", "composition", "targets")
        .select_related("team__organization", "created_by")
        .prefetch_related(
            Prefetch(
                "respondents",
                queryset=Respondent.objects.filter(is_lead=True).select_related("user"),
            )
        )
        .order_by("team_id")
    )
    return [a for a in candidates if _reassess_on(a) <= now]


def _reassess_on(assessment: Assessment) -> datetime:
    assert assessment.submitted_at is not None  # filtered on it
    return add_months(assessment.submitted_at, assessment.team.reassessment_months)


def add_months(moment: datetime, months: int) -> datetime:
    """Calendar months later, on the same day or the month's last: 31 January + 1 is 28 or 29
    February."""
    index = moment.month - 1 + months
    year, month = moment.year + index // 12, index % 12 + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


def _reassessment_key(assessment: Assessment) -> str:
    return f"reassessment:team={assessment.team_id}:after={assessment.pk}"


def _lead(assessment: Assessment) -> User:
    """Who led it: its lead respondent (prefetched), else whoever created it."""
    for respondent in assessment.respondents.all():
        return respondent.user
    return assessment.created_by


def _sent_keys(actions: list[Action], assessments: list[Assessment]) -> set[str]:
    """The keys already used among these candidates' reminders. One query."""
    if not actions and not assessments:
        return set()
    return set(
        Reminder.objects.filter(
            Q(action_id__in=[a.pk for a in actions])
            | Q(kind=Kind.REASSESSMENT, team_id__in=[a.team_id for a in assessments])
        ).values_list("key", flat=True)
    )


@dataclass(frozen=True)
class _Members:
    """Who may receive what: each organisation's members among the people concerned, and its
    owners. One query."""

    users: dict[tuple[int, int], User]  # (organisation, user) -> the member's user
    owners: dict[int, list[User]]  # organisation -> its owners, longest-standing first

    @classmethod
    def load(cls, *, organization_ids: set[int], user_ids: set[int]) -> _Members:
        users: dict[tuple[int, int], User] = {}
        owners: dict[int, list[User]] = defaultdict(list)
        if organization_ids:
            for membership in (
                Membership.objects.filter(organization_id__in=organization_ids)
                .filter(Q(user_id__in=user_ids) | Q(role=Role.OWNER))
                .select_related("user")
                .order_by("created_at", "pk")
            ):
                users[(membership.organization_id, membership.user_id)] = membership.user
                if membership.role == Role.OWNER:
                    owners[membership.organization_id].append(membership.user)
        return cls(users, owners)

    def addressable(self, organization_id: int, user_id: int | None) -> User | None:
        """The member, if they still belong to the organisation and have an address."""
        if user_id is None:
            return None
        user = self.users.get((organization_id, user_id))
        return user if user is not None and user.email else None

    def is_member(self, organization_id: int, user_id: int) -> bool:
        return (organization_id, user_id) in self.users


# The messages ----------------------------------------------------------------------------------


def _action_message(action: Action, today: date, members: _Members) -> Outgoing | None:
    organization_id = action.team.organization_id
    owner = members.addressable(organization_id, action.owner_id)
    recipient, why = owner, ""
    if owner is None:
        # The owner cannot be reached: whoever put the action in the plan hears, told why.
        recipient = members.addressable(organization_id, action.created_by_id)
        if action.owner_id is None:
            why = "named" if action.owner_name else "nobody"
        elif members.is_member(organization_id, action.owner_id):
            why = "no_address"
        else:
            why = "left"
    if recipient is None:
        return None
    kind = _action_kind(action, today)
    assert action.due_on is not None  # only dated actions are due
    due = _day(action.due_on)
    path = reverse("action_edit", args=[action.pk])
    context = {
        "name": display_name(recipient),
        "title": action.title,
        "team": action.team.name,
        "organization": action.team.organization.name,
        "due": due,
        "status": action.get_status_display(),
        "owner": owner_label(action),
        "why": why,
        "link": _link(path),
        "absolute": bool(settings.SITE_URL),
        "days": (action.due_on - today).days,
    }
    if kind == Kind.OVERDUE:
        subject = f"Overdue, was due {due}: {action.title} ({action.team.name})"
        template = "assessment/email/action_overdue.txt"
    else:
        subject = f"Due {due}: {action.title} ({action.team.name})"
        template = "assessment/email/action_due_soon.txt"
    return Outgoing(
        kind=kind,
        key=_action_key(action, today),
        to=(recipient.email,),
        subject=_one_line(subject),
        body=render_to_string(template, context),
        action_id=action.pk,
        team_id=action.team_id,
    )


def _reassessment_message(assessment: Assessment, members: _Members) -> Outgoing | None:
    team = assessment.team
    lead = _lead(assessment)
    reachable = members.addressable(team.organization_id, lead.pk)
    # The lead left (or has no address): the organisation's owners hear, in one message.
    recipients = (
        [reachable]
        if reachable is not None
        else [u for u in members.owners.get(team.organization_id, []) if u.email]
    )
    if not recipients:
        return None
    assert assessment.submitted_at is not None  # filtered on it
    context = {
        "name": display_name(reachable) if reachable is not None else "",
        "to_owners": reachable is None,
        "lead": display_name(lead),
        "lead_left": not members.is_member(team.organization_id, lead.pk),
        "team": team.name,
        "organization": team.organization.name,
        "label": assessment.label,
        "submitted": _day(timezone.localdate(assessment.submitted_at)),
        "due": _day(timezone.localdate(_reassess_on(assessment))),
        "cadence": CADENCE_WORDS.get(team.reassessment_months, f"{team.reassessment_months}"),
        "start_link": _link(reverse("assessment_start", args=[team.pk])),
        "team_link": _link(reverse("team_detail", args=[team.pk])),
        "absolute": bool(settings.SITE_URL),
    }
    return Outgoing(
        kind=Kind.REASSESSMENT,
        key=_reassessment_key(assessment),
        to=tuple(u.email for u in recipients),
        subject=_one_line(f"Time to reassess {team.name} ({team.organization.name})"),
        body=render_to_string("assessment/email/reassessment_due.txt", context),
        action_id=None,
        team_id=team.pk,
    )


def _day(day: date) -> str:
    """ "15 January 2027"."""
    return dateformat.format(day, "j F Y")


def _link(path: str) -> str:
    """The page's address on the site, or its path alone when SITE_URL is not set."""
    return f"{settings.SITE_URL}{path}" if settings.SITE_URL else path


def _one_line(subject: str) -> str:
    # A line break in a header is refused by Django: titles and names may hold one.
    return " ".join(subject.split())
