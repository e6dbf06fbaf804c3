"""The organisation dashboard's heatmap rows, built in Python rather than a template loop: with
200 teams the template engine alone took ~80 ms, and format_html ~40 ms (bench/bench_dashboard.py);
plain escaped strings take a few. Every value from the database goes through escape()."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from assessment.scoring.summary import DOWN, FLAT, UP
from assessment.selectors.dashboard import TeamRow

register = template.Library()

TREND_TEXT = {
    UP: ("\u25b2", "improved"),
    DOWN: ("\u25bc", "declined"),
    FLAT: ("\u25b6", "steady"),
}


def _level_text(level: int | None) -> str:
    return "Not yet 0" if level is None else f"Level {level}"


@register.simple_tag
def dashboard_rows(rows: list[TeamRow], phase_codes: list[str]) -> SafeString:
    team_url = reverse("team_detail", args=[0]).replace("/0/", "/{}/")
    plan_url = reverse("team_plan", args=[0]).replace("/0/", "/{}/")
    muted_dash = '<span class="text-body-secondary">—</span>'
    html = []
    for row in rows:
        cells = []
        for code in phase_codes:
            cell = row.phase(code)
            if cell is None:
                cells.append(f"<td>{muted_dash}</td>")
                continue
            level, percent = cell["level"], cell["percent"]
            css = "none" if level is None else int(level)
            shown = "–" if percent is None else f"{percent:.0f}\u00a0% of points"
            cells.append(
                f'<td class="level-{css}">{_level_text(level)}<br>'
                f'<span class="small">{shown}</span></td>'
            )
        if row.latest and row.submitted_at:
            overall = f"<strong>{_level_text(row.overall)}</strong>"
            last = (
                f"{row.submitted_at:%-d %b %Y}<br>"
                f'<span class="small">{escape(row.latest["label"])}</span>'
            )
        else:
            overall = '<span class="text-body-secondary">not assessed</span>'
            last = "—"
        trend = TREND_TEXT.get(row.trend)
        trend_html = f'<span aria-hidden="true">{trend[0]}</span> {trend[1]}' if trend else "—"
        drafts = f"{row.drafts} in progress" if row.drafts else "—"
        actions = "—"
        if row.open_actions:
            overdue = (
                f'<br><span class="overdue">{row.overdue_actions} overdue</span>'
                if row.overdue_actions
                else ""
            )
            actions = (
                f'<a href="{plan_url.format(row.team_id)}">{row.open_actions} open</a>{overdue}'
            )
        html.append(
            f'<tr><th scope="row" class="text-start"><a href="{team_url.format(row.team_id)}">'
            f"{escape(row.team_name)}</a></th>{''.join(cells)}<td>{overall}</td>"
            f"<td>{trend_html}</td><td>{last}</td><td>{drafts}</td><td>{actions}</td></tr>"
        )
    return mark_safe("".join(html))  # noqa: S308  (every database value is escaped above)
