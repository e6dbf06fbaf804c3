"""The portfolio of an organisation, built by the pure `build_portfolio` from results scored on
the tiny bank (tests/scoring/tiny_bank.py), with every expected figure worked out by hand.

The world of the golden cases, every answer "1" unless listed (levels follow docs/scoring.md:
level 0 needs every practice in place, at least by hand; levels 1 and 2 need 80 % of the points
and every critical practice automated):

    team  bank      answers that are not "1"
    Alpha tiny 1.0  DES-0-01 0, DES-1-02 0.5, DEV-0-01 0, DEV-1-01 0, OPS-2-01 0.5
    Bravo tiny 1.0  DES-0-01 0.5, DEV-1-01 0, OPS-2-01 0.5
    Charlie  1.0    DEV-1-01 0.5, OPS-2-02 na
    Delta tiny 1.0  DES-1-02 0.5, OPS-2-02 0
    Echo  tiny 2.0  everything 0: another bank version, never counted
    Foxtrot         never submitted

The bank is the tiny bank with a few advice fields set: DES-0-01 is a gate practice, DES-0-01,
OPS-2-01 and OPS-2-02 are high risk, DEV-1-01 depends on DEV-0-01 and OPS-2-01 on DES-1-02.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from datetime import date

import pytest

from assessment.reports.portfolio import (
    GAPS,
    HEATMAP,
    PLAN,
    SUMMARY,
    TREND,
    PortfolioContext,
    Submission,
    TeamRecord,
    build_portfolio,
    organisation_plan,
    practice_gaps,
    prevailing_bank_key,
)
from assessment.scoring.advice import ITEMS_PER_PERIOD
from assessment.scoring.engine import score
from assessment.scoring.results import IN_PLACE, Result
from assessment.scoring.types import Answer, AnswerValue, AssessmentInput, Bank, Question
from tests.reports.helpers import bundled_bank, realistic_input
from tests.scoring.tiny_bank import TINY_BANK

TODAY = date(2026, 7, 1)
CODE = re.compile(r"\b[A-Z]{3}-\d-\d\d\b")

# Titles in words, so the prose never needs a code.
TITLES = {
    "DES-0-01": "Approved problem statement",
    "DES-1-02": "Reviewed success measures",
    "DEV-0-01": "Versioned training code",
    "DEV-1-01": "Orchestrated training pipeline",
    "OPS-2-01": "Progressive rollout",
    "OPS-2-02": "Automated rollback",
}


def _bank(version: str = "1.0") -> Bank:
    def advised(question: Question) -> Question:
        question = replace(question, title=TITLES.get(question.code, question.title))
        if question.code == "DES-0-01":
            return replace(question, gate="no approved problem statement", risk="high")
        if question.code == "DEV-1-01":
            return replace(question, depends_on=("DEV-0-01",))
        if question.code == "OPS-2-01":
            return replace(question, risk="high", depends_on=("DES-1-02",))
        if question.code == "OPS-2-02":
            return replace(question, risk="high")
        return question

    questions = tuple(advised(question) for question in TINY_BANK.questions)
    return replace(TINY_BANK, version=version, questions=questions)


BANK = _bank()
BANK_2 = _bank("2.0")


def _result(bank: Bank, **answers: str) -> Result:
    """Every question answered "1", but for `answers` (code with "_" for "-": value)."""
    given = {q.code: Answer(AnswerValue.AUTOMATED) for q in bank.questions}
    for key, value in answers.items():
        code = key.replace("_", "-")
        reason = "No online serving." if value == "na" else ""
        given[code] = Answer(AnswerValue(value), reason=reason)
    return score(bank, AssessmentInput(answers=given))


def _submitted(label: str, day: date, overall: int | None, bank: Bank = BANK) -> Submission:
    return Submission(label=label, submitted=day, bank_key=bank.key, overall=overall)


ALPHA = TeamRecord(
    "Alpha",
    (
        _submitted("Kick-off", date(2026, 2, 10), None),
        _submitted("Spring review", date(2026, 5, 12), None),
    ),
    _result(BANK, DES_0_01="0", DES_1_02="0.5", DEV_0_01="0", DEV_1_01="0", OPS_2_01="0.5"),
)
BRAVO = TeamRecord(
    "Bravo",
    (_submitted("2026 Q2", date(2026, 5, 20), 0),),
    _result(BANK, DES_0_01="0.5", DEV_1_01="0", OPS_2_01="0.5"),
)
CHARLIE = TeamRecord(
    "Charlie",
    (
        _submitted("April", date(2026, 4, 2), 1),
        _submitted("June", date(2026, 6, 28), 0),
    ),
    _result(BANK, DEV_1_01="0.5", OPS_2_02="na"),
)
DELTA = TeamRecord(
    "Delta",
    (_submitted("2026 Q2", date(2026, 4, 15), 0),),
    _result(BANK, DES_1_02="0.5", OPS_2_02="0"),
)
ECHO = TeamRecord(
    "Echo",
    (_submitted("2026 Q2", date(2026, 5, 1), None, BANK_2),),
    _result(BANK_2, **{q.code.replace("-", "_"): "0" for q in BANK_2.questions}),
)
FOXTROT = TeamRecord("Foxtrot", (), None)
WORLD = (FOXTROT, DELTA, ECHO, CHARLIE, BRAVO, ALPHA)  # any order: the report sorts by name


@pytest.fixture(scope="module")
def portfolio() -> PortfolioContext:
    return build_portfolio(BANK, "Acme Analytics", WORLD, TODAY)


# --- which bank, which teams -------------------------------------------------------------------


def test_the_bank_most_teams_use_is_the_one_compared() -> None:
    # Four latest results on tiny 1.0 against one on tiny 2.0; Foxtrot has none.
    assert prevailing_bank_key(WORLD) == "tiny@1.0"


def test_a_tie_between_banks_goes_to_the_one_used_most_recently() -> None:
    # Alpha (12 May) and Bravo (20 May) on 1.0, Echo and its twin (1 May) on 2.0: two each,
    # and 1.0 was used last.
    twin = replace(ECHO, name="Echo 2")
    assert prevailing_bank_key([ALPHA, BRAVO, ECHO, twin]) == "tiny@1.0"
    # With the twin submitted on 1 June, 2.0 is where the organisation is heading.
    later = replace(twin, submissions=(_submitted("June", date(2026, 6, 1), None, BANK_2),))
    assert prevailing_bank_key([ALPHA, BRAVO, ECHO, later]) == "tiny@2.0"


def test_nobody_submitted_means_no_bank() -> None:
    assert prevailing_bank_key([FOXTROT]) is None


def test_a_team_on_another_bank_is_listed_apart_and_counted_nowhere(
    portfolio: PortfolioContext,
) -> None:
    assert [(t.team, t.bank) for t in portfolio.other_bank] == [("Echo", "tiny, version 2.0")]
    assert portfolio.other_bank_note.startswith("This team's latest assessment uses other")
    assert "Echo" not in [row.team for row in portfolio.heatmap]
    # Echo answered everything 0: counted, it would make every practice lacking in 5 teams.
    assert all(gap.compared == 4 for gap in portfolio.gaps)
    assert portfolio.teams_compared == 4
    assert portfolio.teams_total == 6


# --- the heatmap -------------------------------------------------------------------------------


def test_the_heatmap_rows_are_the_compared_teams_by_name_then_those_not_assessed(
    portfolio: PortfolioContext,
) -> None:
    assert [row.team for row in portfolio.heatmap] == [
        "Alpha",
        "Bravo",
        "Charlie",
        "Delta",
        "Foxtrot",
    ]
    foxtrot = portfolio.heatmap[-1]
    assert foxtrot.overall is None
    assert foxtrot.phases == ()


def test_each_cell_is_the_latest_results_level(portfolio: PortfolioContext) -> None:
    rows = {row.team: row for row in portfolio.heatmap}

    def levels(team: str) -> list[int | None]:
        row = rows[team]
        assert row.overall is not None
        return [cell.level for cell in row.phases] + [row.overall.level]

    # Alpha: DES-0-01 at 0 keeps design below level 0, DEV-0-01 at 0 development; operations
    # holds level 2 with OPS-2-01 by hand (2.5 of 3 points, 83 % >= 80 %). Overall: the lowest.
    assert levels("Alpha") == [None, None, 2, None]
    # Bravo: design all in place (DES-0-01 by hand counts at level 0) up to level 2;
    # development stops at 0 (DEV-1-01 is critical and at 0); operations at 2 as Alpha.
    assert levels("Bravo") == [2, 0, 2, 0]
    # Charlie: DEV-1-01 by hand is a critical practice short of automated; OPS-2-02 `na` leaves
    # OPS-2-01 and OPS-2-03, both at 1.
    assert levels("Charlie") == [2, 0, 2, 0]
    # Delta: DES-1 holds 1.5 of 2 points (75 %), OPS-2 2 of 3 (67 %).
    assert levels("Delta") == [0, 2, 1, 0]
    alpha = rows["Alpha"]
    assert alpha.phases[0].label == "Not yet level 0"
    assert alpha.phases[0].css == "lv-none"
    assert alpha.phases[2].label == "Level 2"
    assert (alpha.label, alpha.date) == ("Spring review", "12 May 2026")
    # Engine 2 results carry the index: operations' three rungs, 1 + 1 + 5/6, rounded.
    assert alpha.phases[2].index == pytest.approx(2.83)


# --- the practices most teams lack -------------------------------------------------------------


def test_the_practices_lacking_are_counted_over_the_compared_teams(
    portfolio: PortfolioContext,
) -> None:
    counts = {gap.code: (gap.lacking, gap.missing) for gap in portfolio.gaps}
    assert counts == {
        # Alpha 0, Bravo 0, Charlie 0.5: lacking in 3; not in place at all in 2.
        "DEV-1-01": (3, 2),
        # Level 0 asks for the practice in place, by hand or automated: Alpha 0 lacks it,
        # Bravo 0.5 has it in place by hand, as Bravo's own report counts it.
        "DES-0-01": (1, 1),
        "OPS-2-01": (2, 0),  # Alpha and Bravo by hand
        "DES-1-02": (2, 0),  # Alpha and Delta by hand
        "DEV-0-01": (1, 1),  # Alpha
        # Delta 0; Charlie's `na` is not a lack, and Echo (all 0) is not compared.
        "OPS-2-02": (1, 1),
    }


def test_the_practices_are_ordered_by_teams_then_risk_then_level(
    portfolio: PortfolioContext,
) -> None:
    # 3 teams first. Among the 2s: OPS-2-01 (high, level 2), then the medium DES-1-02 although
    # its level is lower: risk comes before level. Among the 1s: the high-risk DES-0-01 (level
    # 0), then the high-risk OPS-2-02 (level 2), then the medium DEV-0-01 (level 0).
    assert [gap.code for gap in portfolio.gaps] == [
        "DEV-1-01",
        "OPS-2-01",
        "DES-1-02",
        "DES-0-01",
        "OPS-2-02",
        "DEV-0-01",
    ]
    first = portfolio.gaps[0]
    assert (first.title, first.phase_name, first.level) == (
        "Orchestrated training pipeline",
        "Development",
        1,
    )
    assert first.teams_text == "3 of 4 teams"
    assert first.owner_name == "ML engineer"
    assert [gap.gate for gap in portfolio.gaps] == [False, False, False, True, False, False]


# --- the plan ----------------------------------------------------------------------------------


def test_the_plan_takes_what_half_the_teams_lack_by_risk_then_teams(
    portfolio: PortfolioContext,
) -> None:
    # Lacking in at least 2 of 4: DEV-1-01, OPS-2-01, DES-1-02. The gate practice DES-0-01 is
    # missing in Alpha alone (Bravo has it by hand), so it stays in Alpha's own plan. Ranked:
    # the high-risk OPS-2-01 first; then by teams the medium DEV-1-01 (3) before DES-1-02 (2).
    # DEV-1-01 waits for DEV-0-01: Alpha lacks the pipeline and has no versioned code at all,
    # so DEV-0-01 is pulled in just before it, although only one team lacks it.
    # OPS-2-01 depends on DES-1-02 too, but the teams lacking it (Alpha, Bravo) have DES-1-02
    # by hand or automated: done by hand holds nothing up, so OPS-2-01 keeps its rank.
    items = [item for group in portfolio.plan for item in group.items]
    assert [item.gap.code for item in items] == ["OPS-2-01", "DEV-0-01", "DEV-1-01", "DES-1-02"]
    assert [item.number for item in items] == [1, 2, 3, 4]
    pulled_in = items[1]
    assert pulled_in.needed_for == ("Orchestrated training pipeline",)
    assert pulled_in.gap.teams_text == "1 of 4 teams"
    # Four items fit the first month: the level blockers (DEV-1-01 is critical, DEV-0-01 comes
    # with it), then the next in order, within five a month.
    assert [(group.days, group.title) for group in portfolio.plan] == [(30, "First 30 days")]
    assert portfolio.plan_later == 0
    assert items[0].action == "Put OPS-2-01 in place."
    assert items[0].effort_words == "weeks"


def test_no_plan_item_comes_before_a_prerequisite_a_team_lacking_it_has_not_in_place() -> None:
    # Eight realistic teams on the bundled bank, whose practices depend on one another: the
    # months must never put an item before one it waits for, and hold five items a month
    # beside the gate practices.
    bank = bundled_bank()
    results = [score(bank, realistic_input(bank, seed=seed)) for seed in range(8)]
    gaps = practice_gaps(bank, results)
    items, later = organisation_plan(bank, results, gaps)
    assert later > 0  # more than the 90 days can hold
    traces = [
        {t.code: t.points for p in r.phases for c in p.cells for t in c.answers} for r in results
    ]

    def below(points: float | None, limit: float) -> bool:
        return points is not None and points < limit

    planned = {item.gap.code: item for item in items}
    checked = 0
    for item in items:
        code = item.gap.code
        for prerequisite in bank.question(code).depends_on:
            # It waits when some team lacking it has not put the prerequisite in place at all.
            if any(below(t[code], 1.0) and below(t[prerequisite], IN_PLACE) for t in traces):
                before = planned[prerequisite]
                assert before.number < item.number, (prerequisite, code)
                assert before.days <= item.days, (prerequisite, code)
                checked += 1
    assert checked  # the case is not empty
    months = Counter(item.days for item in items)
    # The first month may hold more than five: every missing gate practice goes in it.
    assert months[30] >= ITEMS_PER_PERIOD
    assert months[60] == months[90] == ITEMS_PER_PERIOD


# --- the trend ---------------------------------------------------------------------------------


def test_the_trend_counts_teams_by_overall_level_per_quarter(portfolio: PortfolioContext) -> None:
    assert portfolio.trend_columns == ("Not yet level 0", "Level 0", "Level 1", "Level 2")
    rows = [(row.period, row.teams, row.counts) for row in portfolio.trend]
    assert rows == [
        # Q1: only Alpha's kick-off, not yet level 0.
        ("2026 Q1", 1, (1, 0, 0, 0)),
        # Q2: Alpha (not yet 0), Bravo (0), Delta (0) and Charlie once, with June's level 0
        # rather than April's 1. Echo's 2.0 assessment is not counted.
        ("2026 Q2", 4, (1, 3, 0, 0)),
    ]
    assert portfolio.trend_note == ""


def test_with_one_quarter_the_trend_is_one_line() -> None:
    context = build_portfolio(BANK, "Acme", [BRAVO, DELTA], TODAY)
    assert len(context.trend) == 1
    assert context.trend_note.startswith("Every assessment compared here was submitted in 2026 Q2")


# --- the words ---------------------------------------------------------------------------------


def test_the_summary_says_it_in_words(portfolio: PortfolioContext) -> None:
    summary = " ".join(portfolio.summary)
    assert "compares 4 of its 6 teams" in summary
    assert "tiny bank, version 1.0" in summary.lower()
    assert "By overall level: 3 teams at level 0 (manual process) and 1 not yet at level 0." in (
        summary
    )
    # Development: Alpha not yet 0, Bravo 0, Charlie 0, Delta 2 (mean 0.25, the lowest).
    assert "The weakest phase across teams is Development: 1 of 4 teams is not yet at level 0" in (
        summary
    )
    assert "Orchestrated training pipeline (Development, level 1): 3 of 4 teams do not" in summary
    assert "1 team has not been assessed yet." in summary
    assert "1 team was scored against another question bank" in summary
    assert not CODE.search(summary)


def test_when_practices_tie_the_summary_says_how_many_instead_of_singling_one_out() -> None:
    # Every other answer is automated. Both teams lack DES-1-02 (by hand at level 1) and
    # OPS-2-01, "Progressive rollout" (by hand at level 2): two practices tied at 2 of 2, and
    # OPS-2-01 is the riskier (high against medium).
    pair = (
        TeamRecord(
            "Bravo",
            (_submitted("Q2", date(2026, 5, 2), 0),),
            _result(BANK, DES_1_02="0.5", OPS_2_01="0.5"),
        ),
        TeamRecord(
            "Delta",
            (_submitted("Q2", date(2026, 5, 3), 0),),
            _result(BANK, DES_1_02="0.5", OPS_2_01="0.5"),
        ),
    )
    summary = " ".join(build_portfolio(BANK, "Acme", pair, date(2026, 6, 1)).summary)
    assert (
        "2 practices are lacking in both teams, led by the riskiest: Progressive rollout "
        "(Operations, level 2)." in summary
    )
    assert "most teams lack" not in summary


def test_the_sections_and_document_facts(portfolio: PortfolioContext) -> None:
    assert [s.title for s in portfolio.sections] == [
        SUMMARY[1],
        HEATMAP[1],
        TREND[1],
        GAPS[1],
        PLAN[1],
    ]
    assert portfolio.date == "1 July 2026"
    assert portfolio.header == "Acme Analytics · MLOps maturity portfolio · 1 July 2026"
    assert (portfolio.bank_title, portfolio.bank_version) == ("Tiny bank", "1.0")
    assert portfolio.more_gaps == ""  # six practices: the table shows them all


def test_an_organisation_without_submissions_still_has_a_report() -> None:
    context = build_portfolio(BANK, "Initech", [FOXTROT], TODAY)
    assert context.summary == (
        "Initech's only team has an assessment scored against Tiny bank, version 1.0 yet.",
    )
    assert context.gaps == ()
    assert context.plan == ()
    assert context.trend_note.startswith("No assessment has been submitted yet")
    assert [row.team for row in context.heatmap] == ["Foxtrot"]
