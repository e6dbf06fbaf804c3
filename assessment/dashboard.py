"""The organisation dashboard: every team's latest levels, in a constant number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, F, Q, Window
from django.db.models.functions import RowNumber

from assessment.models import Assessment, AssessmentStatus
from core.models import Organization, Team

SORTS = ("name", "overall", "last")
UP, DOWN, FLAT = "up", "down", "flat"


@dataclass(frozen=True)
class TeamSnapshot:
    team: Team
    drafts: int
    latest: Assessment | None  # the newest submitted assessment (summary fields only)
    previous: Assessment | None  # the one before it

    @property
    def overall(self) -> int | None:
        return self.latest.summary["overall"] if self.latest else None

    def phase(self, code: str) -> dict | None:
        """{"level": ..., "percent": ...} of the latest assessment, or None."""
        return self.latest.summary["phases"].get(code) if self.latest else None

    @property
    def trend(self) -> str | None:
        """Up, down or flat since the previous assessment: by overall level, then by the mean
        phase percent, so a team climbing within a level still shows progress."""
        if self.latest is None or self.previous is None:
            return None
        before, after = _rank(self.previous.summary), _rank(self.latest.summary)
        return UP if after > before else DOWN if after < before else FLAT


def _rank(summary: dict) -> tuple[int, float]:
    overall = summary["overall"]
    percents = [p["percent"] or 0.0 for p in summary["phases"].values()]
    mean = round(sum(percents) / len(percents), 1) if percents else 0.0
    return (-1 if overall is None else overall, mean)


def organization_snapshots(
    organization: Organization, *, query: str = "", sort: str = "name", drafts_only: bool = False
) -> list[TeamSnapshot]:
    """Three queries whatever the number of teams and assessments."""
    teams = Team.objects.filter(organization=organization).annotate(
        drafts=Count("assessments", filter=Q(assessments__status=AssessmentStatus.DRAFT))
    )
    if query:
        teams = teams.filter(name__icontains=query)
    if drafts_only:
        teams = teams.filter(drafts__gt=0)
    recent = (
        Assessment.objects.filter(
            team__organization=organization, status=AssessmentStatus.SUBMITTED
        )
        .annotate(
            recency=Window(
                RowNumber(), partition_by=[F("team_id")], order_by=F("submitted_at").desc()
            )
        )
        .filter(recency__lte=2)
        .only("id", "team_id", "label", "submitted_at", "summary")
    )
    by_team: dict[int, list[Assessment]] = {}
    for assessment in sorted(recent, key=lambda a: a.recency):
        by_team.setdefault(assessment.team_id, []).append(assessment)
    snapshots = []
    for team in teams:
        latest_two = by_team.get(team.pk, [])
        snapshots.append(
            TeamSnapshot(
                team=team,
                drafts=team.drafts,
                latest=latest_two[0] if latest_two else None,
                previous=latest_two[1] if len(latest_two) > 1 else None,
            )
        )
    return _sorted(snapshots, sort)


def _sorted(snapshots: list[TeamSnapshot], sort: str) -> list[TeamSnapshot]:
    by_name = sorted(snapshots, key=lambda s: s.team.name.lower())
    if sort == "overall":
        # Most mature first; teams never assessed last.
        return sorted(
            by_name,
            key=lambda s: (s.latest is None, -(_rank(s.latest.summary)[0]) if s.latest else 0),
        )
    if sort == "last":
        return sorted(
            by_name,
            key=lambda s: (
                s.latest is None,
                -(s.latest.submitted_at.timestamp()) if s.latest else 0,
            ),
        )
    return by_name
