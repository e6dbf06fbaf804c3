"""The scoring method, rule by rule, with exact values (the tiny bank is in tiny_bank.py)."""

from __future__ import annotations

import json
import re
from dataclasses import replace

import pytest

from assessment.formats.answers_file import parse_answers_file
from assessment.scoring.engine import ENGINE_VERSION, level_label, score
from assessment.scoring.results import NOT_YET_LEVEL_0, AnswerTrace, Result, RoleAction
from assessment.scoring.types import Answer, AnswerValue, AssessmentInput, Bank, Presence
from tests.scoring.bank_factory import generated_bank
from tests.scoring.tiny_bank import TINY_BANK

ALL_CODES = tuple(q.code for q in TINY_BANK.questions)
EVIDENCE = "https://wiki.example/proof"


def automated_except(**overrides: Answer) -> dict[str, Answer]:
    """Every tiny-bank practice automated with evidence, except the ones given (DES_0_01=...)."""
    answers = {code: Answer(AnswerValue.AUTOMATED, evidence=EVIDENCE) for code in ALL_CODES}
    for name, answer in overrides.items():
        answers[name.replace("_", "-")] = answer
    return answers


def a(value: str, **texts: str) -> Answer:
    return Answer(AnswerValue(value), **texts)


NA = a("na", reason="does not apply")


# --- labels, versions, identity ------------------------------------------------------------------


def test_it_labels_levels_with_the_bank_names() -> None:
    assert level_label(TINY_BANK, 1) == "Level 1 \u2013 ML pipeline automation"
    assert level_label(TINY_BANK, None) == NOT_YET_LEVEL_0 == "Not yet level 0"


def test_it_records_the_engine_and_bank_versions() -> None:
    result = score(TINY_BANK, AssessmentInput())

    assert result.engine_version == ENGINE_VERSION == "2.0.0"
    assert (result.bank_slug, result.bank_version, result.bank_key) == ("tiny", "1.0", "tiny@1.0")
    assert result.threshold == 80.0


def test_it_does_not_change_its_input() -> None:
    given = AssessmentInput(answers=automated_except(), team={"ml_engineer": Presence.ABSENT})
    before = repr(given)

    score(TINY_BANK, given)

    assert repr(given) == before


# --- cells ---------------------------------------------------------------------------------------


def test_it_leaves_na_out_of_the_cell_percent() -> None:
    given = AssessmentInput(answers=automated_except(OPS_0_01=a("0.5"), OPS_0_02=NA))

    cell = score(TINY_BANK, given).phase("operations").cell(0)

    # (0.5 + 1) / 2 applicable = 75 %; OPS-0-02 is out of the denominator. Level 0 asks for
    # every applicable practice in place, which both are; counted as 0, the N/A one would not be.
    assert (cell.questions, cell.answered, cell.applicable, cell.na) == (3, 3, 2, 1)
    assert (cell.points, cell.percent, cell.met) == (1.5, 75.0, True)
    assert (cell.rule, cell.in_place, cell.depends_on_na) == ("all_in_place", 2, True)
    assert cell.low_confidence is True


def test_it_scores_unknown_and_unanswered_as_zero() -> None:
    answers = automated_except(DEV_1_02=a("unknown"))
    del answers["DEV-1-03"]

    result = score(TINY_BANK, AssessmentInput(answers=answers))
    cell = result.phase("development").cell(1)

    assert (cell.points, cell.applicable, cell.answered, cell.percent) == (1.0, 3, 2, 33.33)
    assert cell.answers == (
        AnswerTrace("DEV-1-01", AnswerValue.AUTOMATED, True, 1.0, 1.0),
        AnswerTrace("DEV-1-02", AnswerValue.UNKNOWN, True, 0.0, 0.0),
        AnswerTrace("DEV-1-03", AnswerValue.UNKNOWN, False, 0.0, 0.0),
    )
    assert result.unknown == ("DEV-1-02",)
    assert result.unanswered == ("DEV-1-03",)


def test_a_cell_where_nothing_applies_does_not_block() -> None:
    given = AssessmentInput(answers=automated_except(DES_2_01=NA, DES_2_02=NA))

    design = score(TINY_BANK, given).phase("design")

    assert design.cell(2).applicable == 0
    assert design.cell(2).percent is None
    assert design.cell(2).met is True
    assert design.level == 2


@pytest.mark.parametrize(
    ("na_count", "low_confidence"),
    [(0, False), (1, False), (2, True), (5, True)],
    ids=["none", "exactly 20 %", "40 %", "all"],
)
def test_it_flags_cells_with_more_than_20_percent_na(na_count: int, low_confidence: bool) -> None:
    bank = _bank_with_na_everywhere(questions_per_cell=5)
    codes = [q.code for q in bank.questions_in("phase0", 0)]
    answers = {code: (NA if i < na_count else a("1")) for i, code in enumerate(codes)}

    cell = score(bank, AssessmentInput(answers=answers)).phase("phase0").cell(0)

    assert cell.na == na_count
    assert cell.low_confidence is low_confidence


@pytest.mark.parametrize(
    ("threshold", "met"),
    [(66.6, True), (66.66, True), (66.67, False)],
)
def test_it_compares_percentages_with_the_threshold_exactly(threshold: float, met: bool) -> None:
    # development level 1 at 2 / 3: 66.666...%, displayed 66.67.
    given = AssessmentInput(answers=automated_except(DEV_1_02=a("0")), threshold=threshold)

    cell = score(TINY_BANK, given).phase("development").cell(1)

    assert cell.percent == 66.67
    assert cell.reaches_threshold is met


def test_it_meets_a_cell_exactly_at_the_threshold() -> None:
    # development level 2: (1 + 0.5) / 2 = 75 %
    given = AssessmentInput(answers=automated_except(DEV_2_01=a("0.5")), threshold=75)

    assert score(TINY_BANK, given).phase("development").level == 2


# --- critical practices ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "level"),
    [("0", None), ("unknown", None), ("0.5", 2), ("1", 2)],
)
def test_a_critical_practice_needs_half_a_point_at_level_0(value: str, level: int | None) -> None:
    # threshold 50 so that the cell's percent (1 / 2 at worst) never decides
    given = AssessmentInput(
        answers=automated_except(DEV_0_01=a(value, evidence=EVIDENCE)), threshold=50
    )

    assert score(TINY_BANK, given).phase("development").level == level


@pytest.mark.parametrize(("value", "level"), [("0", 0), ("0.5", 0), ("1", 2)])
def test_a_critical_practice_needs_a_full_point_from_level_1(value: str, level: int) -> None:
    given = AssessmentInput(
        answers=automated_except(DEV_1_01=a(value, evidence=EVIDENCE)), threshold=50
    )

    development = score(TINY_BANK, given).phase("development")

    assert development.level == level
    assert development.cell(1).critical_failures == (() if value == "1" else ("DEV-1-01",))


# --- phases and overall ------------------------------------------------------------------------


def test_levels_are_cumulative() -> None:
    given = AssessmentInput(answers=automated_except(DEV_1_01=a("0"), DEV_1_02=a("0")))

    development = score(TINY_BANK, given).phase("development")

    assert [cell.met for cell in development.cells] == [True, False, True]
    assert development.level == 0
    assert development.label == "Level 0 \u2013 Manual process"


def test_the_overall_level_is_the_lowest_phase_level() -> None:
    given = AssessmentInput(answers=automated_except(DEV_2_01=a("0"), OPS_1_01=a("0")))

    result = score(TINY_BANK, given)

    assert [p.level for p in result.phases] == [2, 1, 0]
    assert (result.overall.level, result.overall.label) == (0, "Level 0 \u2013 Manual process")


def test_the_overall_level_is_null_when_any_phase_is() -> None:
    given = AssessmentInput(answers=automated_except(OPS_0_01=a("0")))

    result = score(TINY_BANK, given)

    assert [p.level for p in result.phases] == [2, 2, None]
    assert (result.overall.level, result.overall.label) == (None, "Not yet level 0")


def test_the_phase_percent_covers_every_applicable_question() -> None:
    given = AssessmentInput(
        answers=automated_except(OPS_0_02=NA, OPS_1_02=a("0"), OPS_2_01=a("0.5"))
    )

    operations = score(TINY_BANK, given).phase("operations")

    # (2 + 2 + 2.5) / (2 + 3 + 3) = 6.5 / 8
    assert (operations.points, operations.applicable, operations.percent) == (6.5, 8, 81.25)


# --- evidenced view ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("evidence", "evidenced_points"), [("", 0.5), ("  \n", 0.5), ("see the runbook", 1.0)]
)
def test_an_automated_answer_without_evidence_counts_as_manual(
    evidence: str, evidenced_points: float
) -> None:
    given = AssessmentInput(answers=automated_except(DES_0_02=a("1", evidence=evidence)))

    cell = score(TINY_BANK, given).phase("design").cell(0)

    assert cell.answers[1] == AnswerTrace(
        "DES-0-02", AnswerValue.AUTOMATED, True, 1.0, evidenced_points
    )
    assert cell.points == 3.0
    assert cell.evidenced_points == 2.0 + evidenced_points


def test_evidence_never_changes_manual_or_missing_practices() -> None:
    given = AssessmentInput(answers=automated_except(DES_0_02=a("0.5"), DES_0_03=a("0")))

    cell = score(TINY_BANK, given).phase("design").cell(0)

    assert (cell.points, cell.evidenced_points) == (1.5, 1.5)


def test_the_evidenced_level_can_be_lower_than_the_claimed_one() -> None:
    given = AssessmentInput(answers=automated_except(OPS_1_01=a("1")))

    result = score(TINY_BANK, given)
    operations = result.phase("operations")

    assert (operations.level, operations.evidenced_level) == (2, 0)
    assert operations.evidenced_label == "Level 0 \u2013 Manual process"
    assert operations.cell(1).evidenced_critical_failures == ("OPS-1-01",)
    assert (result.overall.level, result.overall.evidenced_level) == (2, 0)


# --- roles -------------------------------------------------------------------------------------


def test_it_weighs_owners_fully_and_contributors_by_half() -> None:
    # data_scientist owns DES-1-01 (0) and contributes to DES-1-02 (0.5); the rest is 1.
    given = AssessmentInput(answers=automated_except(DES_1_01=a("0"), DES_1_02=a("0.5")))

    role = score(TINY_BANK, given).role("data_scientist")

    assert (role.weight, role.shortfall, role.gap) == (6.0, 1.25, 0.2083)
    assert role.open_practices == ("DES-1-01", "DES-1-02")
    assert [(t.code, t.points) for t in role.owned] == [
        ("DES-0-02", 1.0),
        ("DES-1-01", 0.0),
        ("DES-2-01", 1.0),
        ("DEV-0-01", 1.0),
    ]
    assert [(t.code, t.points) for t in role.contributed] == [
        ("DES-0-01", 1.0),
        ("DES-1-02", 0.5),
        ("DEV-0-02", 1.0),
        ("DEV-1-02", 1.0),
    ]


@pytest.mark.parametrize(
    ("presence", "action"),
    [
        (Presence.PRESENT, RoleAction.STRENGTHEN),
        (Presence.SHARED, RoleAction.STRENGTHEN),
        (Presence.ABSENT, RoleAction.ADD),
        (Presence.UNKNOWN, RoleAction.ADD),
    ],
)
def test_a_gap_of_exactly_one_half_calls_for_action(presence: Presence, action: RoleAction) -> None:
    # product_owner: DES-0-01 and DES-1-02 at 0, DES-0-03 and DES-2-02 at 1 -> 2 / 4 = 0.5
    given = AssessmentInput(
        answers=automated_except(DES_0_01=a("0"), DES_1_02=a("0")), team={"product_owner": presence}
    )

    role = score(TINY_BANK, given).role("product_owner")

    assert (role.gap, role.action, role.presence) == (0.5, action, presence)


def test_a_gap_below_one_half_is_ok_even_for_an_absent_role() -> None:
    # product_owner: DES-0-01 = 0, DES-1-02 = 0.5 -> 1.5 / 4 = 0.375
    given = AssessmentInput(
        answers=automated_except(DES_0_01=a("0"), DES_1_02=a("0.5")),
        team={"product_owner": Presence.ABSENT},
    )

    role = score(TINY_BANK, given).role("product_owner")

    assert (role.gap, role.action) == (0.375, RoleAction.OK)


def test_a_role_not_stated_is_reported_as_unknown_and_treated_as_absent() -> None:
    role = score(TINY_BANK, AssessmentInput()).role("ml_engineer")

    assert (role.presence, role.gap, role.action) == (Presence.UNKNOWN, 1.0, RoleAction.ADD)


def test_a_role_with_no_applicable_question_has_no_gap() -> None:
    given = AssessmentInput(team={"platform_owner": Presence.ABSENT})

    role = score(TINY_BANK, given).role("platform_owner")

    assert (role.weight, role.gap, role.action) == (0.0, None, RoleAction.OK)
    assert role.owned == role.contributed == ()


def test_na_questions_do_not_count_for_a_role() -> None:
    given = AssessmentInput(answers={"OPS-0-03": NA, "OPS-1-03": NA, "OPS-2-03": NA})

    role = score(TINY_BANK, given).role("data_engineer")

    # left: DEV-0-02, DEV-1-03 (w 1), OPS-1-01, OPS-2-02 (w 0.5) -> weight 3, all unanswered
    assert (role.weight, role.shortfall, role.gap) == (3.0, 3.0, 1.0)


def test_a_role_listed_as_owner_and_contributor_counts_once() -> None:
    bank = _bank_where_owner_also_contributes()

    role = score(bank, AssessmentInput()).role("product_owner")

    assert [t.code for t in role.owned] == ["DES-0-01"]
    assert role.contributed == ()
    assert role.weight == 1.0


# --- recommendations ---------------------------------------------------------------------------


def test_a_recommendation_says_who_what_and_why() -> None:
    given = AssessmentInput(answers=automated_except(OPS_0_01=a("0.5", note="weekly by hand")))

    (recommendation,) = score(TINY_BANK, given).recommendations

    assert recommendation.code == "OPS-0-01"
    assert (recommendation.phase, recommendation.level) == ("operations", 0)
    assert recommendation.critical is True
    assert recommendation.owner == "ml_engineer"
    assert (recommendation.answer, recommendation.answered, recommendation.points) == (
        AnswerValue.MANUAL,
        True,
        0.5,
    )
    assert recommendation.text == "Put OPS-0-01 in place."
    assert recommendation.first_step == "Start OPS-0-01."


def test_recommendations_leave_out_na_and_automated_practices() -> None:
    # operations level 0: 1 / 1 applicable -> met; level 1 unanswered -> operations 0, target 1
    given = AssessmentInput(
        answers={"OPS-0-01": a("1", evidence=EVIDENCE), "OPS-0-02": NA, "OPS-0-03": NA}
    )

    codes = [r.code for r in score(TINY_BANK, given).recommendations]

    assert codes == [
        "DES-0-01",  # design and development are null: their level-0 practices, critical first
        "DEV-0-01",
        "DES-0-02",
        "DES-0-03",
        "DEV-0-02",
        "OPS-1-01",  # then operations' level 1; none of its level-0 practices
        "OPS-1-02",
        "OPS-1-03",
    ]


def test_recommendations_rank_level_then_critical_then_points_then_code() -> None:
    given = AssessmentInput(
        answers=automated_except(
            OPS_0_01=a("0.5"),  # operations level 0: 2.5 / 3, met (0.5 is enough at level 0)
            OPS_1_02=a("0"),  # operations level 1: 1.5 / 3, not met -> operations 0
            OPS_1_03=a("0.5"),
            DEV_1_01=a("0.5"),  # development level 1: 1.5 / 3 -> development 0
            DEV_1_02=a("0"),
            DES_1_02=a("0"),  # design level 1: 1 / 2 -> design 0
        ),
    )

    result = score(TINY_BANK, given)
    codes = [r.code for r in result.recommendations]

    assert [p.level for p in result.phases] == [0, 0, 0]
    assert codes == [
        "OPS-0-01",  # level 0 before level 1
        "DEV-1-01",  # every phase at level 0: critical first
        "DES-1-02",  # then lower points (0), then code
        "DEV-1-02",
        "OPS-1-02",
        "OPS-1-03",  # 0.5
    ]


def test_recommendations_put_the_weaker_phase_first_within_a_level() -> None:
    given = AssessmentInput(
        answers=automated_except(
            DES_1_02=a("0"),  # design 0
            OPS_0_02=a("0"),  # operations level 0: 2 / 3 -> null
            OPS_1_02=a("0"),
        ),
        targets={"operations": 1},
    )

    codes = [r.code for r in score(TINY_BANK, given).recommendations]

    # level 0: OPS-0-02; level 1: operations (null) before design (0), despite the codes
    assert codes == ["OPS-0-02", "OPS-1-02", "DES-1-02"]


# --- input the engine refuses ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (
            AssessmentInput(answers={"NOPE-0-01": a("1")}),
            "answer for 'NOPE-0-01': no such question in tiny@1.0",
        ),
        (
            AssessmentInput(answers={"DES-0-01": NA}),
            "answer for 'DES-0-01': 'na' is not allowed for this question",
        ),
        (AssessmentInput(team={"wizard": Presence.PRESENT}), "team: no role 'wizard' in tiny@1.0"),
        (AssessmentInput(targets={"sales": 1}), "targets: no phase 'sales' in tiny@1.0"),
        (AssessmentInput(targets={"design": 3}), "targets: 3 is not a level of tiny@1.0"),
        (AssessmentInput(threshold=0), "threshold: 0 is not above 0 and at most 100"),
        (AssessmentInput(threshold=100.5), "threshold: 100.5 is not above 0 and at most 100"),
    ],
)
def test_it_refuses_input_that_does_not_fit_the_bank(given: AssessmentInput, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)) as raised:
        score(TINY_BANK, given)

    assert str(raised.value) == message


def test_it_names_every_misfit_at_once() -> None:
    given = AssessmentInput(answers={"X": a("1")}, team={"wizard": Presence.PRESENT})

    with pytest.raises(ValueError, match="wizard") as raised:
        score(TINY_BANK, given)

    assert str(raised.value) == (
        "answer for 'X': no such question in tiny@1.0; team: no role 'wizard' in tiny@1.0"
    )


# --- serialisation -----------------------------------------------------------------------------

REQUIRED_TOP_KEYS = {
    "bank",
    "engine_version",
    "overall",
    "phases",
    "roles",
    "recommendations",
    "unknown",
    "unanswered",
}


def _varied_input() -> AssessmentInput:
    return AssessmentInput(
        answers=automated_except(
            DES_0_02=a("0.5", note="reviewed quarterly"),
            DES_1_01=a("1"),
            DEV_1_03=a("na", reason="no feature store"),
            OPS_0_01=a("unknown"),
            OPS_1_01=a("0"),
        ),
        team={"ml_engineer": Presence.ABSENT, "data_scientist": Presence.SHARED},
        targets={"operations": 1},
        threshold=75,
    )


def test_to_dict_has_the_documented_keys() -> None:
    data = score(TINY_BANK, _varied_input()).to_dict()

    assert set(data) >= REQUIRED_TOP_KEYS
    assert set(data) - REQUIRED_TOP_KEYS == {
        "threshold",
        "input",
        "index",
        "gate",
        "not_applicable",
        "weak_evidence",
    }
    assert {"level", "label"} <= set(data["overall"])
    assert list(data["phases"]) == ["design", "development", "operations"]
    phase = data["phases"]["operations"]
    assert {"level", "evidenced_level", "label", "percent", "cells"} <= set(phase)
    assert list(phase["cells"]) == ["0", "1", "2"]
    assert {"percent", "met", "low_confidence", "applicable", "answered"} <= set(
        phase["cells"]["0"]
    )
    assert {"code", "presence", "gap", "action", "open_practices"} <= set(data["roles"][0])
    assert {"code", "phase", "level", "critical", "owner", "answer", "text"} <= set(
        data["recommendations"][0]
    )


def test_to_dict_gives_plain_json_values() -> None:
    data = score(TINY_BANK, _varied_input()).to_dict()

    assert data["bank"] == "tiny@1.0"
    assert data["engine_version"] == "2.0.0"
    assert data["threshold"] == 75.0
    assert data["unknown"] == ["OPS-0-01"]
    assert data["unanswered"] == []
    assert data["phases"]["operations"]["cells"]["1"]["critical_failures"] == ["OPS-1-01"]
    assert data["recommendations"][0] == {
        "code": "OPS-0-01",
        "phase": "operations",
        "level": 0,
        "critical": True,
        "gate": "",
        "owner": "ml_engineer",
        "answer": "unknown",
        "text": "Put OPS-0-01 in place.",
        "answered": True,
        "points": 0.0,
        "first_step": "Start OPS-0-01.",
    }
    assert data["input"]["answers"]["DES-0-02"] == {"value": "0.5", "note": "reviewed quarterly"}
    assert data["input"]["team"] == {"data_scientist": "shared", "ml_engineer": "absent"}


def test_it_round_trips_through_json_without_loss() -> None:
    result = score(TINY_BANK, _varied_input())

    assert Result.from_dict(json.loads(json.dumps(result.to_dict()))) == result


def test_the_input_section_is_an_answers_file_that_reproduces_the_result() -> None:
    result = score(TINY_BANK, _varied_input())

    again = score(TINY_BANK, parse_answers_file(result.to_dict()["input"], TINY_BANK))

    assert again == result


# --- helpers -----------------------------------------------------------------------------------


def _bank_with_na_everywhere(*, questions_per_cell: int) -> Bank:
    bank = generated_bank(questions_per_cell=questions_per_cell, seed=1)
    questions = tuple(replace(q, allow_na=True, critical=False) for q in bank.questions)
    return replace(bank, questions=questions)


def _bank_where_owner_also_contributes() -> Bank:
    first = TINY_BANK.questions[0]
    odd = replace(first, contributors=("product_owner", "product_owner"))
    return replace(TINY_BANK, questions=(odd,))
