"""Reads of action plans: one action a user may see, a team's plan, a client's open actions,
the counts the dashboard shows, and the actions a follow-up looks at. Each in a constant number
of queries, whatever the number of actions."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet
from django.http import Http404
from django.utils.timezone import localdate

from assessment.models import Action
from assessment.scoring.followup import DoneAction
from core.models import Membership, Organization, Team
from core.selectors import AnyUser, display_name, membership_in


def action_for_user(user: AnyUser, action_id: int) -> tuple[Action, Membership]:
    """An action the user may see, with the membership that grants it; 404 otherwise."""
    if not user.is_authenticated:
        raise Http404
    try:
        action = Action.objects.select_related("team__organization", "owner").get(pk=action_id)
    except Action.DoesNotExist:
        raise Http404 from None
    return action, membership_in(user, action.team.organization)


def owner_label(action: Action) -> str:
    """Who owns it, as people read it: the member's name, the named person's, or nobody."""
    if action.owner is not None:
        return display_name(action.owner)
    return action.owner_name


def by_due_date(action: Action) -> tuple[bool, date]:
    """A sort key: the earliest due first, undated last."""
    return action.due_on is None, action.due_on or date.max


def is_overdue(action: Action, today: date) -> bool:
    return action.is_open and action.due_on is not None and action.due_on < today


@dataclass(frozen=True)
class TeamPlan:
    open: tuple[Action, ...]  # by due date, undated last
    done: tuple[Action, ...]  # most recently done first
    dropped: tuple[Action, ...]
    today: date

    @property
    def overdue(self) -> tuple[Action, ...]:
        return tuple(a for a in self.open if is_overdue(a, self.today))

    @property
    def all(self) -> tuple[Action, ...]:
        return self.open + self.done + self.dropped


def _with_people(actions: QuerySet[Action]) -> QuerySet[Action]:
    return actions.select_related("owner", "team")


def team_plan(team: Team, today: date) -> TeamPlan:
    """One query."""
    return plan_of(list(_with_people(Action.objects.filter(team=team))), today)


def teams_actions(team_ids: Iterable[int]) -> dict[int, list[Action]]:
    """Every action of each of these teams, owners joined, by team id: one query for them all
    (an organisation export reads its teams' plans this way, chunk by chunk)."""
    by_team: dict[int, list[Action]] = {}
    for action in _with_people(Action.objects.filter(team_id__in=set(team_ids))):
        by_team.setdefault(action.team_id, []).append(action)
    return by_team


def plan_as_of(actions: list[Action], moment: datetime) -> TeamPlan:
    """One team's plan as it stood at `moment` (the submission that followed a report), read
    from its actions as they are now: open then, those created by then and not yet done (an
    action done since counts as open); done then, those marked done by then. A dropped action
    is left out: when it was dropped is not kept. Nothing done after `moment` changes it."""
    done = [a for a in actions if _done_within(a, None, moment)]
    done_ids = {a.pk for a in done}
    # Done by then, an action existed then, whatever its creation says (one recorded after the
    # fact); the others, if created by then.
    open_then = [
        a
        for a in actions
        if a.pk not in done_ids and a.created_at <= moment and a.status != Action.Status.DROPPED
    ]
    return TeamPlan(
        open=tuple(sorted(open_then, key=_open_order)),
        done=tuple(sorted(done, key=_done_order, reverse=True)),
        dropped=(),
        today=localdate(moment),
    )


def plan_of(actions: list[Action], today: date) -> TeamPlan:
    """One team's actions as its plan reads on `today`."""
    open_ = sorted((a for a in actions if a.is_open), key=_open_order)
    done = sorted(
        (a for a in actions if a.status == Action.Status.DONE), key=_done_order, reverse=True
    )
    dropped = [a for a in actions if a.status == Action.Status.DROPPED]
    return TeamPlan(tuple(open_), tuple(done), tuple(dropped), today)


def _open_order(action: Action) -> tuple[bool, date, int]:
    return (*by_due_date(action), action.pk)


def _done_order(action: Action) -> float:
    return action.done_at.timestamp() if action.done_at else 0.0


def organization_open_actions(organization: Organization) -> list[Action]:
    """Every open action of the organisation's teams that are not archived, by due date: what a
    consultant follows across a client. One query."""
    return sorted(
        _with_people(
            Action.objects.filter(
                team__organization=organization,
                team__archived_at__isnull=True,
                status__in=Action.OPEN,
            )
        ),
        key=lambda a: (*by_due_date(a), a.team.name.lower(), a.pk),
    )


def open_practices(team: Team) -> set[str]:
    """The practices the team's open actions already address. One query."""
    practices: set[str] = set()
    for codes in Action.objects.filter(team=team, status__in=Action.OPEN).values_list(
        "practices", flat=True
    ):
        practices.update(codes)
    return practices


def done_between(team_id: int, start: datetime | None, end: datetime) -> tuple[DoneAction, ...]:
    """The team's actions marked done after `start` (None: ever) and up to `end`, oldest
    first: those a follow-up between two submissions looks at. One query."""
    return done_in(Action.objects.filter(team_id=team_id, status=Action.Status.DONE), start, end)


def done_in(
    actions: Iterable[Action], start: datetime | None, end: datetime
) -> tuple[DoneAction, ...]:
    """Of `actions`, those marked done after `start` (None: ever) and up to `end`, oldest
    first."""
    done = sorted(
        (a for a in actions if _done_within(a, start, end)), key=lambda a: (a.done_at, a.pk)
    )
    return tuple(DoneAction(id=a.pk, title=a.title, practices=tuple(a.practices)) for a in done)


def _done_within(action: Action, start: datetime | None, end: datetime) -> bool:
    """Marked done after `start` (None: ever) and up to `end`."""
    return (
        action.status == Action.Status.DONE
        and action.done_at is not None
        and action.done_at <= end
        and (start is None or action.done_at > start)
    )


def actions_owned_by(user: AnyUser) -> list[Action]:
    """The open actions a person owns, in the organisations they still belong to, by due date:
    their home page's to-do list. One query."""
    if not user.is_authenticated:
        return []
    return sorted(
        _with_people(
            Action.objects.filter(
                owner=user,
                status__in=Action.OPEN,
                team__archived_at__isnull=True,
                team__organization__memberships__user=user,
            )
        ),
        key=_open_order,
    )
