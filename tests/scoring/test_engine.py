"""The scoring method, rule by rule, with exact values (the tiny bank is in tiny_bank.py)."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from typing import Any

import pytest

from assessment.formats.answers_file import parse_answers_file
from assessment.scoring.engine import ENGINE_VERSION, level_label, score
from assessment.scoring.results import NOT_YET_LEVEL_0, AnswerTrace, Result, RoleAction
from assessment.scoring.types import (
    Answer,
    AnswerValue,
    AssessmentInput,
    Bank,
    Presence,
    Role,
)
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
#
# docs/scoring.md, "Role gaps": a role's gap is taken over the applicable questions in reach (level
# at most the phase's target, or a missing gate practice; the tiny bank has no gate), each counted
# w x risk, w = 1 owned and 0.5 contributed, risk high 3, medium 2, low 1. Every tiny-bank question
# is medium, so the 2 cancels unless a test changes it. `weight` and `shortfall` stay unweighted,
# over every applicable question. A role needs attention when its gap is 0.5 or more, or it owns a
# first-month action (or a missing gate practice).


def others_fill_the_first_month() -> dict[str, Answer]:
    """Five level-0 practices of development and operations not in place: both phases are not yet
    level 0, so all five are tier-1 blockers (DEV-0-01, OPS-0-01 critical first, then DEV-0-02,
    OPS-0-02, OPS-0-03). Four take the first month's blocker slots and the fifth fills it, so
    anything else waits until 60 days. None of them is product_owner's."""
    return {
        "DEV_0_01": a("0"),
        "DEV_0_02": a("0"),
        "OPS_0_01": a("0"),
        "OPS_0_02": a("0"),
        "OPS_0_03": a("0"),
    }


def test_it_weighs_owners_fully_and_contributors_by_half() -> None:
    # data_scientist owns DES-1-01 (0) and contributes to DES-1-02 (0.5); the rest is 1.
    # Design's critical DES-1-01 fails level 1 -> design 0, target 1: DES-2-01 (owned) is out of
    # reach. In reach, every risk medium (2):
    #   owned       DES-0-02, DES-1-01, DEV-0-01            w x risk 1 x 2 each     -> 6
    #   contributed DES-0-01, DES-1-02, DEV-0-02, DEV-1-02  0.5 x 2 each            -> 4
    #   shortfall   DES-1-01: 2 x (1 - 0) = 2; DES-1-02: 1 x (1 - 0.5) = 0.5        -> 2.5
    #   gap = 2.5 / 10 = 0.25
    # Unweighted, over every question (DES-2-01 too): weight 4 x 1 + 4 x 0.5 = 6,
    # shortfall 1 x 1 + 0.5 x 0.5 = 1.25.
    given = AssessmentInput(answers=automated_except(DES_1_01=a("0"), DES_1_02=a("0.5")))

    role = score(TINY_BANK, given).role("data_scientist")

    assert (role.weight, role.shortfall, role.gap) == (6.0, 1.25, 0.25)
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


def test_the_gap_is_weighted_by_risk_as_in_the_docs_example() -> None:
    # The example of docs/scoring.md: product_owner owns three questions in reach answered 0.5, 1
    # and 0.5 (DES-0-01, DES-0-03, DES-1-02, medium) and contributes to one answered 0 (DES-0-02,
    # made high risk). Design aims at 1, so DES-2-02 (0) is out of reach.
    #   gap = (2 x 0.5 + 0 + 2 x 0.5 + 0.5 x 3 x 1) / (2 + 2 + 2 + 0.5 x 3) = 3.5 / 7.5 = 0.4667
    # Unweighted it would be (0.5 + 0.5 + 0.5 x 1) / 3.5 = 0.4286; not a reason for attention
    # either way, but DES-0-01 and DES-1-02 are in the first month (the plan is only DES-0-02,
    # DES-0-01, DES-1-02) -> strengthen all the same.
    bank = _bank_with(DES_0_02={"contributors": ("product_owner",), "risk": "high"})
    given = AssessmentInput(
        answers=automated_except(
            DES_0_01=a("0.5"), DES_1_02=a("0.5"), DES_0_02=a("0"), DES_2_02=a("0")
        ),
        targets={"design": 1},
        team={"product_owner": Presence.PRESENT},
    )

    role = score(bank, given).role("product_owner")

    assert role.gap == 0.4667
    assert role.first_month == ("DES-0-01", "DES-1-02")
    assert role.action is RoleAction.STRENGTHEN


@pytest.mark.parametrize(
    ("presence", "action", "assign_to"),
    [
        (Presence.PRESENT, RoleAction.STRENGTHEN, ""),
        (Presence.SHARED, RoleAction.STRENGTHEN, ""),
        (Presence.ABSENT, RoleAction.ASSIGN, "data_scientist"),
        (Presence.UNKNOWN, RoleAction.ASSIGN, "data_scientist"),
    ],
)
def test_a_gap_of_exactly_one_half_calls_for_action(
    presence: Presence, action: RoleAction, assign_to: str
) -> None:
    # product_owner, with design aiming at 2 so that all four of its questions are in reach:
    # DES-1-02 = 0, DES-2-02 = 0, DES-0-01 = DES-0-03 = 1 -> 2 x 2 / (4 x 2) = 0.5 exactly.
    # Its DES-1-02 (tier 2) and DES-2-02 (tier 3) wait behind the five blockers of the others, so
    # it owns nothing in the first month: the gap alone calls for action.
    # The team holds one role (data_scientist), a small team: absent -> assign, and so is a role
    # not stated. data_scientist contributes to DES-1-02, one of product_owner's open practices.
    given = AssessmentInput(
        answers=automated_except(DES_1_02=a("0"), DES_2_02=a("0"), **others_fill_the_first_month()),
        targets={"design": 2},
        team={"product_owner": presence, "data_scientist": Presence.PRESENT},
    )

    role = score(TINY_BANK, given).role("product_owner")

    assert role.first_month == ()
    assert (role.gap, role.action, role.presence) == (0.5, action, presence)
    assert role.assign_to == assign_to


def test_a_wide_gap_whose_actions_all_come_later_is_no_call_to_act_now() -> None:
    # docs/scoring.md: a gap of 0.5 or more calls for attention only when some of the role's
    # actions are in the 90-day plan. platform_owner here owns OPS-2-03 alone. Everything is 0
    # and every phase aims at 2, so all 23 questions are recommended: tier 1 the eight level-0
    # practices (every phase null), tier 3 the fifteen others (level 1 before level 2). 15 fit in
    # the plan (5 + 5 + 5); OPS-2-03, last of level 2 by code, is "later". platform_owner: 1
    # question in reach, 0 -> gap 1.0, but nothing in the next 90 days -> ok.
    bank = _bank_with(OPS_2_03={"owner": "platform_owner"})
    given = AssessmentInput(
        answers={code: a("0") for code in ALL_CODES},
        targets={"design": 2, "development": 2, "operations": 2},
        team={"platform_owner": Presence.PRESENT},
    )

    result = score(bank, given)
    role = result.role("platform_owner")

    assert [r.period for r in result.recommendations].count(None) == 8
    assert (result.recommendations[-1].code, result.recommendations[-1].period) == (
        "OPS-2-03",
        None,
    )
    assert (role.gap, role.first_month, role.plan_days) == (1.0, (), 0)
    assert role.action is RoleAction.OK


def test_a_gap_below_one_half_with_nothing_in_the_first_month_is_ok_even_for_an_absent_role() -> (
    None
):
    # product_owner: DES-2-02 = 0.5 -> design level 2 at (1 + 0.5) / 2 = 75 % -> design 1, target
    # 2: all four of its questions in reach -> 2 x 0.5 / (4 x 2) = 0.125. DES-2-02 (tier 2) waits
    # behind the five blockers of the others -> 60 days.
    given = AssessmentInput(
        answers=automated_except(DES_2_02=a("0.5"), **others_fill_the_first_month()),
        team={"product_owner": Presence.ABSENT, "data_scientist": Presence.PRESENT},
    )

    result = score(TINY_BANK, given)
    role = result.role("product_owner")

    assert [(r.code, r.period) for r in result.recommendations if r.owner == "product_owner"] == [
        ("DES-2-02", 60)
    ]
    assert (role.gap, role.first_month, role.action) == (0.125, (), RoleAction.OK)


@pytest.mark.parametrize(
    ("presence", "action"),
    [
        (Presence.PRESENT, RoleAction.STRENGTHEN),
        (Presence.SHARED, RoleAction.STRENGTHEN),
        (Presence.ABSENT, RoleAction.ASSIGN),
        (Presence.UNKNOWN, RoleAction.ASSIGN),
    ],
)
def test_a_role_that_owns_a_first_month_action_is_never_ok(
    presence: Presence, action: RoleAction
) -> None:
    # The same product_owner as above, gap 0.125, but nothing else to do: DES-2-02 is the whole
    # plan (design's next level, tier 2) -> first month -> it needs attention.
    given = AssessmentInput(
        answers=automated_except(DES_2_02=a("0.5")),
        team={"product_owner": presence, "data_scientist": Presence.PRESENT},
    )

    role = score(TINY_BANK, given).role("product_owner")

    assert (role.gap, role.first_month) == (0.125, ("DES-2-02",))
    assert role.action is action
    assert role.action is not RoleAction.OK


def test_a_role_not_stated_is_reported_as_unknown_and_given_an_owner_not_a_hire() -> None:
    # Nothing answered: every phase is null, target 0; ml_engineer's questions in reach are
    # OPS-0-01 and OPS-0-02, both 0 -> gap 1.0. Not stated -> assign; the team holds no role, so
    # there is nobody to name.
    role = score(TINY_BANK, AssessmentInput()).role("ml_engineer")

    assert (role.presence, role.gap, role.action) == (Presence.UNKNOWN, 1.0, RoleAction.ASSIGN)
    assert role.assign_to == ""


SMALL_TEAM = {
    "product_owner": Presence.PRESENT,
    "data_scientist": Presence.PRESENT,
    "data_engineer": Presence.SHARED,
    "platform_owner": Presence.PRESENT,
    "ml_engineer": Presence.ABSENT,
}
LARGER_TEAM = {**SMALL_TEAM, "analyst": Presence.PRESENT, "tester": Presence.PRESENT}


@pytest.mark.parametrize(
    ("team", "missing", "action", "assign_to", "plan_days"),
    [
        # 4 roles held: a small team -> assign, whatever the load
        (SMALL_TEAM, ("OPS_0_01", "OPS_0_02"), RoleAction.ASSIGN, "data_engineer", 20),
        # 6 roles held and 2 actions of effort M = 20 person-days, not under 20 -> add
        (LARGER_TEAM, ("OPS_0_01", "OPS_0_02"), RoleAction.ADD, "", 20),
        # 6 roles held but 1 action = 10 person-days, under 20 -> assign
        (LARGER_TEAM, ("OPS_0_01",), RoleAction.ASSIGN, "data_engineer", 10),
    ],
    ids=["small team", "larger team, 20 days", "larger team, 10 days"],
)
def test_an_absent_role_is_given_to_someone_in_a_small_team_and_added_to_a_larger_one(
    team: dict[str, Presence],
    missing: tuple[str, ...],
    action: RoleAction,
    assign_to: str,
    plan_days: int,
) -> None:
    # ml_engineer (absent) owns the missing OPS-0-01 (and OPS-0-02): operations not yet level 0 ->
    # first-month blockers -> it needs attention. OPS-1-01 = 0 too: out of reach (operations
    # aims at 0), but one of its open practices, and data_engineer contributes to it, so of the
    # roles held data_engineer is the most involved (1; every other role 0), ahead of
    # product_owner, which comes first in bank order.
    bank = replace(
        TINY_BANK,
        roles=(*TINY_BANK.roles, Role("analyst", "Analyst", ""), Role("tester", "Tester", "")),
    )
    answers = automated_except(OPS_1_01=a("0"), **dict.fromkeys(missing, a("0")))

    role = score(bank, AssessmentInput(answers=answers, team=team)).role("ml_engineer")

    assert role.open_practices == (*(m.replace("_", "-") for m in missing), "OPS-1-01")
    assert role.plan_days == plan_days
    assert (role.action, role.assign_to) == (action, assign_to)


def test_an_absent_role_in_a_team_that_holds_no_role_is_assigned_with_nobody_named() -> None:
    # docs/scoring.md: absent -> assign "when the team is small (at most 4 roles held) or the
    # role's share of the 90-day plan is under 20 person-days"; assign_to is "empty when the team
    # holds no role". Here 0 roles are held (0 <= 4) and product_owner's plan is DES-0-01 alone
    # (10 person-days < 20): assign, with nobody named.
    # product_owner: design null (DES-0-01 = 0), target 0 -> DES-0-01 (0), DES-0-03 (1) -> 0.5.
    given = AssessmentInput(
        answers=automated_except(DES_0_01=a("0")), team={"product_owner": Presence.ABSENT}
    )

    role = score(TINY_BANK, given).role("product_owner")

    assert (role.gap, role.first_month, role.plan_days) == (0.5, ("DES-0-01",), 10)
    assert (role.action, role.assign_to) == (RoleAction.ASSIGN, "")


def test_a_role_with_no_applicable_question_has_no_gap() -> None:
    given = AssessmentInput(team={"platform_owner": Presence.ABSENT})

    role = score(TINY_BANK, given).role("platform_owner")

    assert (role.weight, role.gap, role.action) == (0.0, None, RoleAction.OK)
    assert role.owned == role.contributed == ()


def test_na_questions_do_not_count_for_a_role() -> None:
    given = AssessmentInput(answers={"OPS-0-03": NA, "OPS-1-03": NA, "OPS-2-03": NA})

    role = score(TINY_BANK, given).role("data_engineer")

    # left: DEV-0-02, DEV-1-03 (w 1), OPS-1-01, OPS-2-02 (w 0.5) -> weight 3, all unanswered.
    # The gap is over what is in reach: every phase is null (target 0), so DEV-0-02 alone -> 1.0.
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


def test_recommendations_rank_by_tier_then_level_points_and_code() -> None:
    given = AssessmentInput(
        answers=automated_except(
            OPS_0_01=a("0.5"),  # operations level 0: in place by hand -> met
            OPS_1_02=a("0"),  # operations level 1: 1.5 / 3, not met -> operations 0
            OPS_1_03=a("0.5"),
            DEV_1_01=a("0.5"),  # development level 1: critical short of 1 -> development 0
            DEV_1_02=a("0"),
            DES_1_02=a("0"),  # design level 1: 1 / 2 -> design 0
        ),
    )

    result = score(TINY_BANK, given)
    plan = [(r.code, r.period, r.blocking) for r in result.recommendations]

    # Every phase is at 0: next level 1, target 1. Risk and value all tie (medium, medium/M).
    assert [p.level for p in result.phases] == [0, 0, 0]
    assert plan == [
        ("DEV-1-01", 30, True),  # tier 1: a critical in the next level, short of 1
        ("DES-1-02", 30, False),  # tier 2: the rest of the next level, points 0, by code
        ("DEV-1-02", 30, False),
        ("OPS-1-02", 30, False),
        ("OPS-1-03", 30, False),  # tier 2, points 0.5 after 0
        ("OPS-0-01", 60, False),  # tier 3: level 0 is met already, in reach only; sixth -> 60
    ]


def test_recommendations_put_the_weaker_phase_first_within_a_tier_and_level() -> None:
    given = AssessmentInput(
        answers=automated_except(
            DES_1_02=a("0.5"),  # design level 1 at 75 % >= 75 -> design 2, target 2
            DEV_1_02=a("0.5"),  # development level 1 at 2.5 / 3 -> met
            DEV_2_01=a("0"),  # development level 2 at 50 % -> development 1, target 2
            OPS_0_02=a("0"),  # operations level 0: not in place -> null
            OPS_1_02=a("0.5"),
        ),
        targets={"operations": 1},
        threshold=75,
    )

    codes = [r.code for r in score(TINY_BANK, given).recommendations]

    assert codes == [
        "OPS-0-02",  # tier 1: operations' next level 0, not in place
        "DEV-2-01",  # tier 2: development's next level 2
        # tier 3, all level 1 and 0.5, none critical: operations (null) before development (1)
        # before design (2), the reverse of the codes
        "OPS-1-02",
        "DEV-1-02",
        "DES-1-02",
    ]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ["DES-1-02", "OPS-1-02"]),  # a tie on value: by code
        ({"OPS_1_02": {"impact": "high"}}, ["OPS-1-02", "DES-1-02"]),  # 3 / 10 > 2 / 10
        ({"DES_1_02": {"effort": "L"}}, ["OPS-1-02", "DES-1-02"]),  # 2 / 30 < 2 / 10
    ],
    ids=["same value", "higher impact", "larger effort"],
)
def test_within_a_tier_the_better_value_comes_first(
    changes: dict[str, dict[str, str]], expected: list[str]
) -> None:
    # design 0 (DES-1-02 = 0: 50 %) and operations 0 (OPS-1-02 = 0: 2 / 3): both are tier 2
    # (next level 1, not critical), level 1, phase at 0, points 0; value = impact / effort days.
    bank = _bank_with(**changes)
    given = AssessmentInput(answers=automated_except(DES_1_02=a("0"), OPS_1_02=a("0")))

    assert [r.code for r in score(bank, given).recommendations] == expected


def test_a_high_risk_practice_beyond_the_target_is_recommended_and_ranked_by_risk() -> None:
    # design 0 (DES-1-02 = 0), target 1. DES-2-01 = 0 is beyond the target: left out while its
    # risk is medium, recommended when it is high, in tier 3 with DES-0-02 (0.5, in place, within
    # the target) and ahead of it: risk comes before level within a tier.
    given = AssessmentInput(
        answers=automated_except(DES_1_02=a("0"), DES_0_02=a("0.5"), DES_2_01=a("0"))
    )
    high = _bank_with(DES_2_01={"risk": "high"})

    medium_codes = [r.code for r in score(TINY_BANK, given).recommendations]
    high_codes = [r.code for r in score(high, given).recommendations]

    assert medium_codes == ["DES-1-02", "DES-0-02"]  # tier 2, tier 3
    assert high_codes == ["DES-1-02", "DES-2-01", "DES-0-02"]


# --- dependencies and the plan -----------------------------------------------------------------


def _assert_prerequisites_first(bank: Bank, result: Result) -> None:
    """Nothing is listed, or planned in an earlier month, before a prerequisite it lacks."""
    position = {rec.code: i for i, rec in enumerate(result.recommendations)}
    month = {
        rec.code: 4 if rec.period is None else rec.period // 30 for rec in result.recommendations
    }
    lacking = {rec.code for rec in result.recommendations if rec.points < 0.5}
    for rec in result.recommendations:
        for prerequisite in bank.question(rec.code).depends_on:
            if prerequisite in lacking:
                assert position[prerequisite] < position[rec.code], (prerequisite, rec.code)
                assert month[prerequisite] <= month[rec.code], (prerequisite, rec.code)


def test_a_prerequisite_is_ranked_before_what_depends_on_it() -> None:
    # OPS-0-01 (tier 1: operations not yet level 0) depends on DES-1-02 (tier 2: design's next
    # level). By rank alone OPS-0-01 comes first; the dependency puts DES-1-02 ahead of it. The
    # blocker waits for its prerequisite: it is not taken among the blockers, and both then fill
    # the first month in order.
    bank = _bank_with(OPS_0_01={"depends_on": ("DES-1-02",)})
    given = AssessmentInput(answers=automated_except(OPS_0_01=a("0"), DES_1_02=a("0")))

    without = [r.code for r in score(TINY_BANK, given).recommendations]
    result = score(bank, given)

    assert without == ["OPS-0-01", "DES-1-02"]
    assert [(r.code, r.period, r.blocking, r.needed_for) for r in result.recommendations] == [
        ("DES-1-02", 30, False, ()),
        ("OPS-0-01", 30, True, ()),
    ]
    _assert_prerequisites_first(bank, result)


def test_a_prerequisite_done_by_hand_holds_nothing_up() -> None:
    # docs/scoring.md: only a prerequisite not yet in place (below 0.5) is placed first.
    # OPS-0-01 (tier 1: operations is not yet level 0) depends on DES-1-02 = 0.5: in place by
    # hand, recommended for design's next level (tier 2) -> OPS-0-01 keeps its place, first.
    bank = _bank_with(OPS_0_01={"depends_on": ("DES-1-02",)})
    given = AssessmentInput(answers=automated_except(OPS_0_01=a("0"), DES_1_02=a("0.5")))

    result = score(bank, given)

    assert [r.code for r in result.recommendations] == ["OPS-0-01", "DES-1-02"]
    _assert_prerequisites_first(bank, result)


def test_a_missing_prerequisite_is_pulled_in_just_before_what_needs_it() -> None:
    # DES-1-01 (critical, 0: tier 1, design's next level) depends on OPS-1-02 (0). Operations is
    # not yet level 0 (OPS-0-01 = 0): target 0, so OPS-1-02 is not recommended by itself, but it
    # is not in place: pulled in just before DES-1-01, naming it in needed_for.
    # Rank: OPS-0-01 (tier 1, level 0) then DES-1-01 (tier 1, level 1).
    bank = _bank_with(DES_1_01={"depends_on": ("OPS-1-02",)})
    given = AssessmentInput(
        answers=automated_except(DES_1_01=a("0"), OPS_0_01=a("0"), OPS_1_02=a("0"))
    )

    without = [r.code for r in score(TINY_BANK, given).recommendations]
    result = score(bank, given)

    assert without == ["OPS-0-01", "DES-1-01"]
    assert [(r.code, r.period, r.needed_for) for r in result.recommendations] == [
        ("OPS-0-01", 30, ()),
        ("OPS-1-02", 30, ("DES-1-01",)),
        ("DES-1-01", 30, ()),
    ]
    _assert_prerequisites_first(bank, result)


def test_a_prerequisite_pulled_in_lists_every_recommendation_that_needs_it() -> None:
    # As above, and OPS-0-01 depends on OPS-1-02 too: docs/scoring.md says the practice pulled in
    # "lists those [recommendations that depend on it] in needed_for": both.
    bank = _bank_with(
        DES_1_01={"depends_on": ("OPS-1-02",)}, OPS_0_01={"depends_on": ("OPS-1-02",)}
    )
    given = AssessmentInput(
        answers=automated_except(DES_1_01=a("0"), OPS_0_01=a("0"), OPS_1_02=a("0"))
    )

    result = score(bank, given)

    assert [r.code for r in result.recommendations] == ["OPS-1-02", "OPS-0-01", "DES-1-01"]
    assert set(result.recommendations[0].needed_for) == {"OPS-0-01", "DES-1-01"}


def test_an_action_never_lands_in_a_month_before_its_prerequisite() -> None:
    # Five blockers (see others_fill_the_first_month); DEV-0-02 depends on DES-1-02 (tier 2:
    # design 0, next level 1). Ranked: DEV-0-01, OPS-0-01, [DES-1-02], DEV-0-02, OPS-0-02,
    # OPS-0-03. The blocker slots (four) take DEV-0-01, OPS-0-01, OPS-0-02, OPS-0-03: DEV-0-02
    # waits, as DES-1-02 is not in the first month yet. The next in order, DES-1-02, fills the
    # fifth slot; DEV-0-02 goes to 60 days.
    # Without the dependency: the five blockers fill the first month and DES-1-02 goes to 60.
    bank = _bank_with(DEV_0_02={"depends_on": ("DES-1-02",)})
    given = AssessmentInput(
        answers=automated_except(DES_1_02=a("0"), **others_fill_the_first_month())
    )

    without = [(r.code, r.period) for r in score(TINY_BANK, given).recommendations]
    result = score(bank, given)

    assert without == [
        ("DEV-0-01", 30),
        ("OPS-0-01", 30),
        ("DEV-0-02", 30),
        ("OPS-0-02", 30),
        ("OPS-0-03", 30),
        ("DES-1-02", 60),
    ]
    assert [(r.code, r.period) for r in result.recommendations] == [
        ("DEV-0-01", 30),
        ("OPS-0-01", 30),
        ("DES-1-02", 30),
        ("OPS-0-02", 30),
        ("OPS-0-03", 30),
        ("DEV-0-02", 60),
    ]
    _assert_prerequisites_first(bank, result)


@pytest.mark.parametrize(
    ("effort", "expected"),
    [
        (
            "S",  # a quick win: after the four blocker slots, before the fifth blocker
            [
                ("DEV-0-01", 30),
                ("OPS-0-01", 30),
                ("DEV-0-02", 30),
                ("OPS-0-02", 30),
                ("DES-1-02", 30),
                ("OPS-0-03", 60),
            ],
        ),
        (
            "M",  # not a quick win: the fifth blocker fills the month, DES-1-02 waits
            [
                ("DEV-0-01", 30),
                ("OPS-0-01", 30),
                ("DEV-0-02", 30),
                ("OPS-0-02", 30),
                ("OPS-0-03", 30),
                ("DES-1-02", 60),
            ],
        ),
    ],
)
def test_quick_wins_join_the_first_month_after_the_blockers(
    effort: str, expected: list[tuple[str, int]]
) -> None:
    # Five blockers, tier 1 (others_fill_the_first_month), ranked DEV-0-01, OPS-0-01 (critical),
    # DEV-0-02, OPS-0-02, OPS-0-03 (by code); DES-1-02 = 0.5 (design 0 at 75 %: next level 1) is
    # tier 2. The first month takes four blockers, then the quick wins until it holds five, then
    # the rest in order. Listed in plan order: period, then rank.
    bank = _bank_with(DES_1_02={"effort": effort})
    given = AssessmentInput(
        answers=automated_except(DES_1_02=a("0.5"), **others_fill_the_first_month())
    )

    result = score(bank, given)

    assert [(r.code, r.period) for r in result.recommendations] == expected
    assert [r.blocking for r in result.recommendations].count(True) == 5


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


NEW_ROLE_KEYS = (
    "gap",
    "action",
    "risk_weighted",
    "first_month",
    "owns_missing_gate",
    "plan_days",
    "assign_to",
)


def test_to_dict_gives_plain_json_values() -> None:
    data = score(TINY_BANK, _varied_input()).to_dict()

    assert data["bank"] == "tiny@1.0"
    assert data["engine_version"] == "2.0.0"
    assert data["threshold"] == 75.0
    assert data["unknown"] == ["OPS-0-01"]
    assert data["unanswered"] == []
    assert data["phases"]["operations"]["cells"]["1"]["critical_failures"] == ["OPS-1-01"]
    # design 2 and development 2 (target 2), operations null (OPS-0-01 unknown; target 1 given).
    # OPS-0-01: operations' next level 0, not in place -> tier 1, blocking; then tier 3, level
    # first: DES-0-02 (0.5, level 0), OPS-1-01 (0, level 1). Three actions: all in 30 days.
    assert [(r["code"], r["period"]) for r in data["recommendations"]] == [
        ("OPS-0-01", 30),
        ("DES-0-02", 30),
        ("OPS-1-01", 30),
    ]
    assert data["recommendations"][0] == {
        "code": "OPS-0-01",
        "phase": "operations",
        "level": 0,
        "critical": True,
        "gate": "",
        "period": 30,
        "blocking": True,
        "needed_for": [],
        "owner": "ml_engineer",
        "answer": "unknown",
        "text": "Put OPS-0-01 in place.",
        "answered": True,
        "points": 0.0,
        "first_step": "Start OPS-0-01.",
    }
    # ml_engineer in reach: DEV-1-01, DEV-1-02, DEV-2-01, DEV-2-02 = 1 (development target 2),
    # OPS-0-01 = 0 (unknown), OPS-0-02 = 1, OPS-1-01 = 0, OPS-1-02 = 1 (operations target 1), all
    # medium -> 2 x 2 / (8 x 2) = 0.25. It owns OPS-0-01 and OPS-1-01 in the first month (2 x 10
    # person-days). Absent, in a team holding one role (data_scientist, shared): small -> assign,
    # to the only role held.
    ml_engineer = next(role for role in data["roles"] if role["code"] == "ml_engineer")
    assert {key: ml_engineer[key] for key in NEW_ROLE_KEYS} == {
        "gap": 0.25,
        "action": "assign",
        "risk_weighted": True,
        "first_month": ["OPS-0-01", "OPS-1-01"],
        "owns_missing_gate": [],
        "plan_days": 20,
        # The data scientist, the only role held, takes part in none of its open practices:
        # ask for a name rather than guess one.
        "assign_to": "",
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


def _bank_with(**changes: dict[str, Any]) -> Bank:
    """The tiny bank with some questions changed: _bank_with(DES_1_02={"effort": "S"})."""
    by_code = {name.replace("_", "-"): fields for name, fields in changes.items()}
    assert set(by_code) <= set(ALL_CODES), set(by_code) - set(ALL_CODES)
    questions = tuple(replace(q, **by_code.get(q.code, {})) for q in TINY_BANK.questions)
    return replace(TINY_BANK, questions=questions)


def _bank_where_owner_also_contributes() -> Bank:
    first = TINY_BANK.questions[0]
    odd = replace(first, contributors=("product_owner", "product_owner"))
    return replace(TINY_BANK, questions=(odd,))
