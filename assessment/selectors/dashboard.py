"""The organisation dashboard: every team's latest levels, in a constant number of queries.

Each team's row comes from its `TeamStanding` (kept current at every submission), so the cost
grows with the number of teams, never with the length of their histories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, Q

from assessment.models import Action, Assessment, AssessmentStatus
from assessment.scoring.summary import summary_rank
from core.models import Organization, Team

SORTS = ("name", "overall", "last")


@dataclass(frozen=True)
class TeamRow:
    team_id: int
    team_name: str
    drafts: int
    latest: dict[str, Any] | None  # {"id", "label", "submitted_at", "summary"} of the newest
    trend: str  # "up", "down", "flat" since the submission before; "" with fewer than two
    open_actions: int = 0  # of its action plan
    overdue_actions: int = 0

    @property
    def overall(self) -> int | None:
        return self.latest["summary"]["overall"] if self.latest else None

    @property
    def submitted_at(self) -> datetime | None:
        return datetime.fromisoformat(self.latest["submitted_at"]) if self.latest else None

    def phase(self, code: str) -> dict[str, Any] | None:
        """{"level": ..., "percent": ...} of the latest assessment, or None."""
        return self.latest["summary"]["phases"].get(code) if self.latest else None


def organization_team_rows(
    organization: Organization,
    *,
    today: date,
    query: str = "",
    sort: str = "name",
    drafts_only: bool = False,
) -> list[TeamRow]:
    """Two queries whatever the number of teams, assessments and actions. `today` decides
    which open actions are overdue."""
    drafts = dict(
        Assessment.objects.filter(team__organization=organization, status=AssessmentStatus.DRAFT)
        .values("team_id")
        .annotate(count=Count("id"))
        .values_list("team_id", "count")
    )
    teams = Team.objects.filter(organization=organization, archived_at__isnull=True)
    if query:
        teams = teams.filter(name__icontains=query)
    open_actions = Q(actions__status__in=Action.OPEN)
    teams = teams.annotate(
        open_actions=Count("actions", filter=open_actions),
        overdue_actions=Count("actions", filter=open_actions & Q(actions__due_on__lt=today)),
    )
    # Plain rows, not model instances: with hundreds of teams, instantiation was the cost.
    rows = teams.values_list(
        "pk", "name", "standing__latest", "standing__trend", "open_actions", "overdue_actions"
    )
    team_rows = [
        TeamRow(
            team_id=pk,
            team_name=name,
            drafts=drafts.get(pk, 0),
            latest=latest,
            trend=trend or "",
            open_actions=open_count,
            overdue_actions=overdue_count,
        )
        for pk, name, latest, trend, open_count, overdue_count in rows
        if not drafts_only or drafts.get(pk)
    ]
    return _sorted(team_rows, sort)


def _overall_rank(row: TeamRow) -> int:
    return summary_rank(row.latest["summary"])[0] if row.latest else 0


def _sorted(rows: list[TeamRow], sort: str) -> list[TeamRow]:
    by_name = sorted(rows, key=lambda r: r.team_name.lower())
    if sort == "overall":
        # Most mature first; teams never assessed last.
        return sorted(
            by_name,
            key=lambda r: (
                r.latest is None,
                -summary_rank(r.latest["summary"])[0] if r.latest else 0,
            ),
        )
    if sort == "last":
        return sorted(
            by_name,
            key=lambda r: (r.latest is None, -r.submitted_at.timestamp() if r.submitted_at else 0),
        )
    return by_name
