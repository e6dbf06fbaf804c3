"""Comparing two results of one team: what moved, by code (pure: no database)."""

from __future__ import annotations

from dataclasses import replace

from assessment.scoring.compare import DOWN, SAME, UP, LevelChange, compare_results
from assessment.scoring.engine import score
from assessment.scoring.types import Answer, AnswerValue, AssessmentInput
from tests.scoring.tiny_bank import TINY_BANK

EVIDENCE = "https://wiki.example/proof"


def answers(**overrides: str) -> dict[str, Answer]:
    """Every tiny-bank practice automated with evidence, except the ones given (DES_0_01="0")."""
    given = {q.code: Answer(AnswerValue.AUTOMATED, evidence=EVIDENCE) for q in TINY_BANK.questions}
    for name, value in overrides.items():
        reason = "batch only" if value == "na" else ""
        given[name.replace("_", "-")] = Answer(AnswerValue(value), evidence=EVIDENCE, reason=reason)
    return given


# Last quarter: a critical design foundation missing, a critical development practice manual.
PREVIOUS = score(
    TINY_BANK, AssessmentInput(answers=answers(DES_0_01="0", DEV_1_01="0.5", DEV_2_01="0"))
)
# This quarter: the design foundation fixed, one operations practice lost, one practice no
# longer applies, and a "not in place" became "don't know" (same points, different answer).
CURRENT = score(
    TINY_BANK,
    AssessmentInput(
        answers=answers(DEV_1_01="0.5", DEV_2_01="unknown", OPS_2_01="0", DES_0_03="na")
    ),
)


def test_it_reports_the_level_changes_of_each_phase_and_overall() -> None:
    comparison = compare_results(PREVIOUS, CURRENT)

    assert comparison.overall == LevelChange("", None, 0)
    assert comparison.overall.direction == UP
    assert comparison.overall.steps == 1
    assert [(c.phase, c.before, c.after, c.direction, c.steps) for c in comparison.phases] == [
        ("design", None, 2, UP, 3),
        ("development", 0, 0, SAME, 0),
        ("operations", 2, 1, DOWN, -1),
    ]
    assert [c.phase for c in comparison.moved_phases] == ["design", "operations"]


def test_it_reports_every_cell_and_singles_out_those_that_moved() -> None:
    comparison = compare_results(PREVIOUS, CURRENT)

    assert len(comparison.cells) == 9
    moved = {(c.phase, c.level): c for c in comparison.moved_cells}
    assert set(moved) == {("design", 0), ("operations", 2)}
    design = moved["design", 0]
    assert (design.before_percent, design.after_percent) == (66.67, 100.0)
    assert (design.before_met, design.after_met) == (False, True)
    assert design.percent_delta == 33.33
    operations = moved["operations", 2]
    assert (operations.before_percent, operations.after_percent) == (100.0, 66.67)
    assert (operations.before_met, operations.after_met) == (True, False)


def test_it_sorts_changed_answers_into_improved_regressed_and_other() -> None:
    comparison = compare_results(PREVIOUS, CURRENT)

    assert [(c.code, c.before, c.after) for c in comparison.improved] == [
        ("DES-0-01", AnswerValue.NOT_IN_PLACE, AnswerValue.AUTOMATED)
    ]
    assert [(c.code, c.before_points, c.after_points) for c in comparison.regressed] == [
        ("OPS-2-01", 1.0, 0.0)
    ]
    # To "not applicable" has no points order; "not in place" to "don't know" has no difference.
    assert [(c.code, c.after) for c in comparison.other] == [
        ("DES-0-03", AnswerValue.NOT_APPLICABLE),
        ("DEV-2-01", AnswerValue.UNKNOWN),
    ]
    assert comparison.changed


def test_the_same_result_twice_has_nothing_to_report() -> None:
    comparison = compare_results(CURRENT, CURRENT)

    assert not comparison.changed
    assert comparison.moved_cells == ()
    assert comparison.moved_phases == ()
    assert (comparison.improved, comparison.regressed, comparison.other) == ((), (), ())
    assert comparison.same_bank


def test_an_unanswered_question_that_gets_an_answer_counts_as_improved() -> None:
    previous = score(TINY_BANK, AssessmentInput(answers={}))

    comparison = compare_results(previous, CURRENT)

    assert "DES-0-02" in {c.code for c in comparison.improved}
    des_0_02 = next(c for c in comparison.improved if c.code == "DES-0-02")
    assert (des_0_02.before_answered, des_0_02.after_answered) == (False, True)


def test_results_of_different_bank_versions_compare_on_the_codes_they_share() -> None:
    smaller = replace(
        TINY_BANK,
        version="0.9",
        questions=tuple(q for q in TINY_BANK.questions if q.code != "OPS-2-03"),
    )
    previous = score(smaller, AssessmentInput(answers={}))

    comparison = compare_results(previous, CURRENT)

    assert not comparison.same_bank
    assert comparison.only_after == ("OPS-2-03",)
    assert comparison.only_before == ()
    assert "OPS-2-03" not in {c.code for c in comparison.improved}


def test_a_cells_change_is_rounded_as_the_compare_page_rounds_it() -> None:
    # 25 % -> 37.5 %: the compare page's floatformat says "+13"; so does the report.
    from assessment.reports.sections.progress import _cell_change

    assert _cell_change(12.5, False, False) == "+13 points"
    assert _cell_change(-12.5, True, False) == "-13 points, no longer met"
