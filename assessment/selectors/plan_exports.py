"""A team's action plan as the plain records the export formats take (formats/action_plan.py):
the bank's words for each practice, the owner's e-mail while they are a member, the assessment
each action came from. At most six queries, whatever the number of actions (a bank's content
is read only when this process has not parsed that version yet)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from assessment.formats.action_plan import ActionPlan, ActionRow, PracticeRow
from assessment.models import Action, Assessment, QuestionBank
from assessment.scoring.types import Bank
from assessment.selectors.actions import owner_label, team_plan
from assessment.selectors.banks import newest_bank
from core.models import Membership, Team


def plan_export(
    team: Team, *, today: date, now: datetime, action_url: Callable[[int], str]
) -> ActionPlan:
    """The team's plan in the order its page shows it (open by due date, then done, then
    dropped). `action_url` turns an action's id into a link back to it."""
    actions = team_plan(team, today).all  # one query, owners and team joined
    assessments = {
        pk: (label, bank_id)
        for pk, label, bank_id in Assessment.objects.filter(team=team)
        .order_by("-created_at", "-pk")
        .values_list("pk", "label", "bank_id")
    }
    # Where a practice's words are looked up: the bank of the assessment the action came from
    # (the version its codes were taken from), then those an action of the lead's own may name
    # (banks.practice_codes): the team's latest assessment's bank, and the newest bank.
    latest_bank_id = next(iter(assessments.values()))[1] if assessments else None
    banks = _banks({bank_id for _, bank_id in assessments.values()})
    fallback = [banks[latest_bank_id]] if latest_bank_id in banks else []
    newest = newest_bank()  # one query
    if newest is not None:
        fallback.append(newest)
    members = _members(team, {a.owner_id for a in actions if a.owner_id is not None})
    rows = []
    for action in actions:
        source = assessments.get(action.source_id) if action.source_id is not None else None
        lookup = ([banks[source[1]]] if source and source[1] in banks else []) + fallback
        rows.append(_row(action, source[0] if source else None, lookup, members, action_url))
    return ActionPlan(
        team=team.name,
        organisation=team.organization.name,
        exported_at=now,
        actions=tuple(rows),
    )


def _banks(bank_ids: set[int]) -> dict[int, Bank]:
    """One query. A parsed bank is cached by checksum, so `content` is read only on a miss."""
    if not bank_ids:
        return {}
    return {stored.pk: stored.bank() for stored in QuestionBank.objects.filter(pk__in=bank_ids)}


def _members(team: Team, user_ids: set[int]) -> set[int]:
    """Which of these users still belong to the team's organisation: a former member's
    address is not handed to another tool. One query."""
    if not user_ids:
        return set()
    return set(
        Membership.objects.filter(organization_id=team.organization_id, user_id__in=user_ids)
        .order_by()  # no join for the default ordering: only the ids are wanted
        .values_list("user_id", flat=True)
    )


def _statement(code: str, banks: Iterable[Bank]) -> str:
    for bank in banks:
        try:
            return bank.question(code).statement
        except KeyError:
            continue
    return ""


def _row(
    action: Action,
    source_label: str | None,  # None: made by hand, or its assessment is gone
    banks: list[Bank],
    members: set[int],
    action_url: Callable[[int], str],
) -> ActionRow:
    email = action.owner.email if action.owner is not None and action.owner_id in members else ""
    return ActionRow(
        id=action.pk,
        title=action.title,
        practices=tuple(
            PracticeRow(str(code), _statement(str(code), banks)) for code in action.practices
        ),
        owner=owner_label(action),
        owner_email=email,
        due_on=action.due_on,
        status=action.status,
        status_label=Action.Status(action.status).label,
        dropped_reason=action.dropped_reason,
        notes=action.notes,
        done_at=action.done_at,
        created_at=action.created_at,
        source_id=action.source_id if source_label is not None else None,
        source_label=source_label or "",
        url=action_url(action.pk),
    )
