"""The organisation dashboard: every team's latest levels, in a constant number of queries.

Each team's row comes from its `TeamStanding` (kept current at every submission), so the cost
grows with the number of teams, never with the length of their histories.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from assessment.models import Assessment, AssessmentStatus
from core.models import Organization, Team

SORTS = ("name", "overall", "last")
UP, DOWN, FLAT = "up", "down", "flat"


@dataclass(frozen=True)
class TeamSnapshot:
    team_id: int
    team_name: str
    drafts: int
    latest: dict | None  # {"id", "label", "submitted_at", "summary"} of the newest submission
    trend: str  # "up", "down", "flat" since the submission before; "" with fewer than two

    @property
    def overall(self) -> int | None:
        return self.latest["summary"]["overall"] if self.latest else None

    @property
    def submitted_at(self) -> datetime | None:
        return datetime.fromisoformat(self.latest["submitted_at"]) if self.latest else None

    def phase(self, code: str) -> dict | None:
        """{"level": ..., "percent": ...} of the latest assessment, or None."""
        return self.latest["summary"]["phases"].get(code) if self.latest else None


def trend_between(before: dict, after: dict) -> str:
    """Up, down or flat between two summaries: by overall level, then by the mean phase
    percent, so a team climbing within a level still shows progress."""
    earlier, later = _rank(before), _rank(after)
    return UP if later > earlier else DOWN if later < earlier else FLAT


def _rank(summary: dict) -> tuple[int, float]:
    overall = summary["overall"]
    percents = [p["percent"] or 0.0 for p in summary["phases"].values()]
    mean = round(sum(percents) / len(percents), 1) if percents else 0.0
    return (-1 if overall is None else overall, mean)


def organization_snapshots(
    organization: Organization, *, query: str = "", sort: str = "name", drafts_only: bool = False
) -> list[TeamSnapshot]:
    """Two queries whatever the number of teams and assessments."""
    drafts = dict(
        Assessment.objects.filter(team__organization=organization, status=AssessmentStatus.DRAFT)
        .values("team_id")
        .annotate(count=Count("id"))
        .values_list("team_id", "count")
    )
    teams = Team.objects.filter(organization=organization)
    if query:
        teams = teams.filter(name__icontains=query)
    # Plain rows, not model instances: with hundreds of teams, instantiation was the cost.
    rows = teams.values_list("pk", "name", "standing__latest", "standing__trend")
    snapshots = [
        TeamSnapshot(
            team_id=pk,
            team_name=name,
            drafts=drafts.get(pk, 0),
            latest=latest,
            trend=trend or "",
        )
        for pk, name, latest, trend in rows
        if not drafts_only or drafts.get(pk)
    ]
    return _sorted(snapshots, sort)


def _sorted(snapshots: list[TeamSnapshot], sort: str) -> list[TeamSnapshot]:
    by_name = sorted(snapshots, key=lambda s: s.team_name.lower())
    if sort == "overall":
        # Most mature first; teams never assessed last.
        return sorted(
            by_name,
            key=lambda s: (s.latest is None, -_rank(s.latest["summary"])[0] if s.latest else 0),
        )
    if sort == "last":
        return sorted(
            by_name,
            key=lambda s: (s.latest is None, -s.submitted_at.timestamp() if s.submitted_at else 0),
        )
    return by_name


TREND_TEXT = {
    UP: ("\u25b2", "improved"),
    DOWN: ("\u25bc", "declined"),
    FLAT: ("\u25b6", "steady"),
}


def _level_text(level: int | None) -> str:
    return "Not yet 0" if level is None else f"Level {level}"


def rows_html(snapshots: list[TeamSnapshot], phase_codes: list[str]) -> SafeString:
    """The heatmap's table rows. Built here rather than in a template loop: with 200 teams the
    template engine alone took ~80 ms, and format_html ~40 ms (bench/bench_dashboard.py); plain
    escaped strings take a few. Every value from the database goes through escape()."""
    team_url = reverse("team_detail", args=[0]).replace("/0/", "/{}/")
    muted_dash = '<span class="text-body-secondary">—</span>'
    rows = []
    for snapshot in snapshots:
        cells = []
        for code in phase_codes:
            cell = snapshot.phase(code)
            if cell is None:
                cells.append(f"<td>{muted_dash}</td>")
                continue
            level, percent = cell["level"], cell["percent"]
            css = "none" if level is None else int(level)
            shown = "–" if percent is None else f"{percent:.0f}"
            cells.append(
                f'<td class="level-{css}">{_level_text(level)}<br>'
                f'<span class="small">{shown} %</span></td>'
            )
        if snapshot.latest:
            overall = f"<strong>{_level_text(snapshot.overall)}</strong>"
            last = (
                f"{snapshot.submitted_at:%-d %b %Y}<br>"
                f'<span class="small">{escape(snapshot.latest["label"])}</span>'
            )
        else:
            overall = '<span class="text-body-secondary">not assessed</span>'
            last = "—"
        trend = TREND_TEXT.get(snapshot.trend)
        trend_html = f'<span aria-hidden="true">{trend[0]}</span> {trend[1]}' if trend else "—"
        drafts = f"{snapshot.drafts} in progress" if snapshot.drafts else "—"
        rows.append(
            f'<tr><th scope="row" class="text-start"><a href="{team_url.format(snapshot.team_id)}">'
            f"{escape(snapshot.team_name)}</a></th>{''.join(cells)}<td>{overall}</td>"
            f"<td>{trend_html}</td><td>{last}</td><td>{drafts}</td></tr>"
        )
    return mark_safe("".join(rows))  # noqa: S308  (every database value is escaped above)
