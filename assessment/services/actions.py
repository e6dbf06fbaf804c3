"""A team's action plan: recommendations accepted into it, the lead's own actions, and their
changes of owner, date and status.

An action records when it was marked done (`done_at`): the follow-up at the next assessment
counts the actions done between two submissions. Leaving "done" clears it, so an action reopened
and finished again is counted when it was really finished.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from functools import partial
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessment.formats.webhook_events import ACTION_CHANGED, ACTION_CREATED
from assessment.models import TITLE_MAX_LENGTH, Action, Assessment
from assessment.reports.prose import clipped
from assessment.scoring.results import RecommendationResult, Result
from assessment.selectors.actions import open_practices
from assessment.selectors.webhooks import action_event_data
from assessment.services.webhooks import webhook_event
from core.models import Team

# Recommendations the plan leaves for "later" get a date this far out, to be moved when known.
LATER_DAYS = 180
EDITABLE = (
    "title",
    "practices",
    "owner_id",
    "owner_name",
    "due_on",
    "status",
    "dropped_reason",
    "notes",
)


def actions_accept(
    *, assessment: Assessment, codes: Collection[str], by: User, today: date
) -> list[Action]:
    """One action per chosen recommendation of the assessment's result, titled with the bank's
    action and due at the end of its plan period. A practice already in an open action of the
    team is skipped, so accepting twice (a double click, two tabs) adds nothing."""
    if assessment.result is None:
        raise ValueError(f"assessment {assessment.pk} has no result")
    recommendations = {rec.code: rec for rec in Result.from_dict(assessment.result).recommendations}
    unknown = sorted(set(codes) - set(recommendations))
    if unknown:
        raise ValueError(f"not recommended by this assessment: {', '.join(unknown)}")
    with transaction.atomic():
        # Locks the team's row: two accepts at once queue here, and the second sees the first.
        Team.objects.select_for_update().get(pk=assessment.team_id)
        planned = open_practices(assessment.team)
        created = []
        for code in [rec.code for rec in recommendations.values() if rec.code in codes]:
            if code in planned:
                continue
            created.append(_from_recommendation(assessment, recommendations[code], by, today))
        for action in created:
            webhook_event(
                organization_id=assessment.team.organization_id,
                event_type=ACTION_CREATED,
                data=partial(action_event_data, action),
            )
        return created


def _from_recommendation(
    assessment: Assessment, rec: RecommendationResult, by: User, today: date
) -> Action:
    return Action.objects.create(
        team_id=assessment.team_id,
        source=assessment,
        title=clipped(" ".join(rec.text.split()), TITLE_MAX_LENGTH),
        practices=[rec.code],
        due_on=today + timedelta(days=rec.period or LATER_DAYS),
        notes=f"First step: {rec.first_step}" if rec.first_step else "",
        created_by=by,
        updated_by=by,
    )


def action_fields(action: Action) -> dict[str, Any]:
    """Its editable fields as they stand (`EDITABLE`): what a form starts from, and what a
    partial change (the API's PATCH) is laid over."""
    return {name: getattr(action, name) for name in EDITABLE}


def action_create(*, team: Team, by: User, **fields: Any) -> Action:
    """An action of the lead's own; `fields` as `EDITABLE`."""
    action = Action(team=team, created_by=by, updated_by=by)
    _apply(action, fields)
    action.save()
    webhook_event(
        organization_id=team.organization_id,
        event_type=ACTION_CREATED,
        data=partial(action_event_data, action),
    )
    return action


def action_update(*, action: Action, by: User, **fields: Any) -> Action:
    _apply(action, fields)
    action.updated_by = by
    action.save()
    webhook_event(
        organization_id=action.team.organization_id,
        event_type=ACTION_CHANGED,
        data=partial(action_event_data, action),
    )
    return action


def _apply(action: Action, fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {', '.join(sorted(unknown))}")
    for name, value in fields.items():
        setattr(action, name, value)
    if action.owner_id is not None:
        action.owner_name = ""  # one owner: the member, or the name of someone without account
    if action.status != Action.Status.DROPPED:
        action.dropped_reason = ""
    if action.status == Action.Status.DONE:
        action.done_at = action.done_at or timezone.now()
    else:
        action.done_at = None
