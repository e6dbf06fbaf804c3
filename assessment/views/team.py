"""A team over time: its assessments, trend charts, and comparing two of them."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.timezone import localdate
from django.views.decorators.http import require_GET

from assessment.banks.mapping import continued_codes
from assessment.charts.trend import level_trend_chart, percent_trend_chart
from assessment.reports.sections.progress import action_follow_ups, follow_up_sentence
from assessment.scoring.compare import (
    AnswerChange,
    Comparison,
    compare_results,
    question_codes,
)
from assessment.scoring.results import Result
from assessment.scoring.types import NOT_ANSWERED, AnswerValue, Bank
from assessment.selectors.actions import done_between, team_plan
from assessment.selectors.assessments import (
    stored_result,
    submitted_assessments,
    team_assessments,
    trend_points,
    with_results,
)
from assessment.selectors.banks import newest_bank
from core.http import AuthenticatedHttpRequest
from core.selectors import team_for_user


@require_GET
def team_detail(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    team, membership = team_for_user(request.user, team_id)
    submitted = submitted_assessments(team)
    bank = newest_bank() if submitted else None
    charts = None
    if bank is not None:
        points = trend_points(submitted)
        phases = [(p.code, p.name) for p in bank.phases]
        levels = [(lv.number, lv.name) for lv in bank.levels]
        # Built here from escaped text only (see charts.py), so safe to insert as markup.
        charts = {
            "levels": mark_safe(level_trend_chart(points, phases, levels)),  # noqa: S308
            "percents": mark_safe(percent_trend_chart(points, phases)),  # noqa: S308
            "phases": phases,
            "rows": [
                (point.label, point.overall, [point.phases.get(code) for code, _ in phases])
                for point in points
            ],
        }
    return render(
        request,
        "assessment/team_detail.html",
        {
            "team": team,
            "membership": membership,
            "assessments": team_assessments(team),
            "submitted": submitted,
            "charts": charts,
            "plan": team_plan(team, localdate()),
        },
    )


@require_GET
def team_compare(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    team, membership = team_for_user(request.user, team_id)
    submitted = {a.pk: a for a in submitted_assessments(team)}
    try:
        before_id, after_id = int(request.GET["before"]), int(request.GET["after"])
    except (KeyError, ValueError):
        raise Http404 from None
    if before_id not in submitted or after_id not in submitted:
        raise Http404
    before, after = with_results([submitted[before_id], submitted[after_id]])
    # Both are submitted, so both have a submission time (and a result).
    assert before.submitted_at is not None
    assert after.submitted_at is not None
    if before.submitted_at > after.submitted_at:
        before, after = after, before
    bank = after.bank.bank()
    after_result = stored_result(after)
    before_result = stored_result(before)
    continued = continued_codes(bank, question_codes(before_result))
    comparison = compare_results(before_result, after_result, continued)
    names = {p.code: p.name for p in bank.phases}
    # What became of the actions the team finished between the two submissions, as the
    # report's progress section says it.
    start, end = before.submitted_at, after.submitted_at
    assert end is not None  # both are submitted (checked above, before the swap)
    followups = action_follow_ups(
        bank, before_result, after_result, done_between(team.pk, start, end)
    )
    return render(
        request,
        "assessment/team_compare.html",
        {
            "team": team,
            "membership": membership,
            "before": before,
            "after": after,
            "bank": bank,
            "comparison": comparison,
            "phase_rows": [(names.get(c.phase, c.phase), c) for c in comparison.phases],
            "cell_rows": [(names.get(c.phase, c.phase), c) for c in comparison.moved_cells],
            "groups": [
                ("Improved", _rows(comparison.improved, bank)),
                ("Regressed", _rows(comparison.regressed, bank)),
                ("Changed without gaining or losing points", _rows(comparison.other, bank)),
            ],
            "stayed": _stayed(comparison, after_result),
            "followups": followups,
            "followup_sentence": follow_up_sentence(followups, before.label),
        },
    )


def _stayed(comparison: Comparison, after: Result) -> int:
    """Questions both assessments have whose answer did not change."""
    changed = len(comparison.improved) + len(comparison.regressed) + len(comparison.other)
    codes_after = {
        trace.code for phase in after.phases for cell in phase.cells for trace in cell.answers
    }
    return len(codes_after) - len(comparison.only_after) - changed


@dataclass(frozen=True)
class AnswerRow:
    code: str
    statement: str
    before_label: str
    after_label: str


def _label(value: AnswerValue, answered: bool, level: int) -> str:
    return value.label_at(level) if answered else NOT_ANSWERED


def _rows(changes: tuple[AnswerChange, ...], bank: Bank) -> list[AnswerRow]:
    rows = []
    for c in changes:
        question = bank.question(c.code)
        rows.append(
            AnswerRow(
                code=c.code,
                statement=question.statement,
                before_label=_label(c.before, c.before_answered, question.level),
                after_label=_label(c.after, c.after_answered, question.level),
            )
        )
    return rows
