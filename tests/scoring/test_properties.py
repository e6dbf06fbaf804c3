"""Properties of the method that must hold for any answers, on the tiny and a generated bank."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from assessment.scoring.engine import score
from assessment.scoring.results import Result, RoleAction
from assessment.scoring.types import Answer, AnswerValue, AssessmentInput, Bank, Presence
from tests.scoring.bank_factory import generated_bank
from tests.scoring.tiny_bank import TINY_BANK

LARGE_BANK = generated_bank(questions_per_cell=6, seed=7)
BANKS = st.sampled_from([TINY_BANK, LARGE_BANK])

# The answers on the scale, lowest first. `na` is off the scale (it changes the denominator) and
# "no answer" scores like "unknown".
RAISES = {
    None: (AnswerValue.MANUAL, AnswerValue.AUTOMATED),
    AnswerValue.UNKNOWN: (AnswerValue.MANUAL, AnswerValue.AUTOMATED),
    AnswerValue.NOT_IN_PLACE: (AnswerValue.MANUAL, AnswerValue.AUTOMATED),
    AnswerValue.MANUAL: (AnswerValue.AUTOMATED,),
}


@st.composite
def assessments(draw: st.DrawFn, bank: Bank) -> AssessmentInput:
    answers = {}
    for question in bank.questions:
        values = [*AnswerValue] if question.allow_na else [v for v in AnswerValue if v != "na"]
        value = draw(st.one_of(st.none(), st.sampled_from(values)))
        if value is not None:
            answers[question.code] = Answer(
                value,
                evidence=draw(st.sampled_from(["", "https://wiki.example/proof"])),
                reason="does not apply" if value is AnswerValue.NOT_APPLICABLE else "",
            )
    team = draw(
        st.dictionaries(st.sampled_from([r.code for r in bank.roles]), st.sampled_from(Presence))
    )
    targets = draw(
        st.dictionaries(
            st.sampled_from([p.code for p in bank.phases]),
            st.sampled_from([level.number for level in bank.levels]),
        )
    )
    threshold = draw(st.sampled_from([50.0, 66.67, 75.0, 80.0, 100.0]))
    return AssessmentInput(answers=answers, team=team, targets=targets, threshold=threshold)


@st.composite
def bank_and_assessment(draw: st.DrawFn) -> tuple[Bank, AssessmentInput]:
    bank = draw(BANKS)
    return bank, draw(assessments(bank))


def _at_least(higher: int | None, lower: int | None) -> bool:
    # None ("not yet level 0") ranks below every level.
    return lower is None or (higher is not None and higher >= lower)


@given(case=bank_and_assessment(), data=st.data())
def test_raising_an_answer_never_lowers_a_cell_a_phase_or_the_overall_level(
    case: tuple[Bank, AssessmentInput], data: st.DataObject
) -> None:
    bank, before_input = case
    raisable = [
        q.code
        for q in bank.questions
        if (answer := before_input.answers.get(q.code)) is None or answer.value in RAISES
    ]
    code = data.draw(st.sampled_from(raisable))
    old = before_input.answers.get(code)
    new_value = data.draw(st.sampled_from(RAISES[None if old is None else old.value]))
    new = Answer(new_value, evidence=old.evidence if old else "", note=old.note if old else "")
    after_input = AssessmentInput(
        answers={**before_input.answers, code: new},
        team=before_input.team,
        targets=before_input.targets,
        threshold=before_input.threshold,
    )

    before, after = score(bank, before_input), score(bank, after_input)

    for phase_before, phase_after in zip(before.phases, after.phases, strict=True):
        assert _at_least(phase_after.level, phase_before.level)
        assert _at_least(phase_after.evidenced_level, phase_before.evidenced_level)
        for cell_before, cell_after in zip(phase_before.cells, phase_after.cells, strict=True):
            assert cell_after.points >= cell_before.points
            assert cell_after.evidenced_points >= cell_before.evidenced_points
            assert (cell_after.percent or 0) >= (cell_before.percent or 0)
            assert cell_after.met or not cell_before.met
        assert phase_after.index >= phase_before.index
    assert _at_least(after.overall.level, before.overall.level)
    assert _at_least(after.overall.evidenced_level, before.overall.evidenced_level)
    assert _at_least(after.overall.uncapped_level, before.overall.uncapped_level)
    assert after.index >= before.index
    assert {m.code for m in after.gate} <= {m.code for m in before.gate}
    for role_before, role_after in zip(before.roles, after.roles, strict=True):
        assert role_after.shortfall <= role_before.shortfall


@given(case=bank_and_assessment())
def test_the_index_stays_on_the_ladder_and_the_gate_only_lowers(
    case: tuple[Bank, AssessmentInput],
) -> None:
    bank, given_input = case
    result = score(bank, given_input)

    rungs = len(bank.levels)
    for phase in result.phases:
        assert 0 <= phase.index <= rungs
        # A phase at level L has every rung up to L nearly full: at least the threshold's share.
        if phase.level is not None:
            assert phase.index >= (phase.level + 1) * min(result.threshold, 100) / 100 - 0.01
    assert _at_least(result.overall.uncapped_level, result.overall.level)
    if result.gate_cap is not None or result.gate:
        assert _at_least(result.gate_cap, result.overall.level)
    assert result.overall.capped == (result.overall.level != result.overall.uncapped_level)
    assert Result.from_dict(json.loads(json.dumps(result.to_dict()))) == result


@given(case=bank_and_assessment())
def test_the_plan_respects_dependencies_and_roles_answer_for_it(
    case: tuple[Bank, AssessmentInput],
) -> None:
    bank, given_input = case
    result = score(bank, given_input)
    position = {rec.code: index for index, rec in enumerate(result.recommendations)}
    points = {t.code: t.points for p in result.phases for c in p.cells for t in c.answers}
    periods = [rec.period for rec in result.recommendations]

    # Nothing comes before a prerequisite it lacks, and every lacking prerequisite is listed.
    for rec in result.recommendations:
        for dependency in bank.question(rec.code).depends_on:
            earned = points[dependency]
            if earned is not None and earned < 0.5:
                assert dependency in position, (rec.code, dependency)
                assert position[dependency] < position[rec.code], (rec.code, dependency)
    # The list is the plan: 30, 60, 90 days, then later, in that order.
    order = {30: 0, 60: 1, 90: 2, None: 3}
    assert [order[p] for p in periods] == sorted(order[p] for p in periods)
    # A role that owns a first-month action, or a missing gate practice, is never "ok".
    first_month = {rec.code for rec in result.recommendations if rec.period == 30}
    for role in result.roles:
        owns = [
            code
            for code in first_month | {m.code for m in result.gate}
            if bank.question(code).owner == role.code
        ]
        if owns:
            assert role.action is not RoleAction.OK, (role.code, owns)
    # Every missing gate practice that blocks the next overall level is in the first month.
    next_level = 0 if result.overall.uncapped_level is None else result.overall.uncapped_level + 1
    for missing in result.gate:
        if missing.level <= next_level:
            assert missing.code in first_month


@given(case=bank_and_assessment(), data=st.data())
def test_the_order_of_answers_never_matters(
    case: tuple[Bank, AssessmentInput], data: st.DataObject
) -> None:
    bank, given_input = case
    shuffled = data.draw(st.permutations(list(given_input.answers.items())))
    team = data.draw(st.permutations(list(given_input.team.items())))
    reordered = AssessmentInput(
        answers=dict(shuffled),
        team=dict(team),
        targets=dict(reversed(given_input.targets.items())),
        threshold=given_input.threshold,
    )

    first, second = score(bank, given_input), score(bank, reordered)

    assert first == second
    assert json.dumps(first.to_dict()) == json.dumps(second.to_dict())


@given(bank=BANKS, with_evidence=st.booleans())
def test_all_automated_gives_the_top_level_everywhere(bank: Bank, with_evidence: bool) -> None:
    evidence = "https://wiki.example/proof" if with_evidence else ""
    answers = {q.code: Answer(AnswerValue.AUTOMATED, evidence=evidence) for q in bank.questions}

    result = score(bank, AssessmentInput(answers=answers))

    top = max(level.number for level in bank.levels)
    assert [phase.level for phase in result.phases] == [top] * len(bank.phases)
    assert result.overall.level == top
    assert result.recommendations == ()
    if with_evidence:
        assert result.overall.evidenced_level == top


@given(bank=BANKS, value=st.sampled_from([AnswerValue.NOT_IN_PLACE, AnswerValue.UNKNOWN, None]))
def test_nothing_in_place_gives_null_everywhere(bank: Bank, value: AnswerValue | None) -> None:
    answers = {} if value is None else {q.code: Answer(value) for q in bank.questions}

    result = score(bank, AssessmentInput(answers=answers))

    assert [phase.level for phase in result.phases] == [None] * len(bank.phases)
    assert [phase.evidenced_level for phase in result.phases] == [None] * len(bank.phases)
    assert result.overall.level is None
    # Level 0 only, except that a missing gate practice is recommended whatever its level; those
    # at level 0 (they block the next level, 0) come first.
    # (High-risk practices are shown whatever their level, and a missing prerequisite is pulled
    # in before what needs it.)
    assert {
        r.level
        for r in result.recommendations
        if not r.gate and bank.question(r.code).risk != "high" and not r.needed_for
    } == {0}
    blocking = [bool(r.gate) and r.level == 0 for r in result.recommendations]
    assert blocking == sorted(blocking, reverse=True)
    assert {r.code for r in result.recommendations if r.gate} == {m.code for m in result.gate}


@settings(max_examples=50)
@given(case=bank_and_assessment())
def test_results_round_trip_through_json(case: tuple[Bank, AssessmentInput]) -> None:
    bank, given_input = case
    result = score(bank, given_input)

    assert Result.from_dict(json.loads(json.dumps(result.to_dict()))) == result


@settings(max_examples=30)
@given(seed=st.integers(0, 10_000), per_cell=st.integers(1, 8))
def test_all_manual_stops_at_the_first_level_with_a_critical_practice(
    seed: int, per_cell: int
) -> None:
    bank = generated_bank(questions_per_cell=per_cell, seed=seed)
    answers = {q.code: Answer(AnswerValue.MANUAL) for q in bank.questions}

    result = score(bank, AssessmentInput(answers=answers, threshold=50))

    # Every cell at exactly 50 %, so only critical questions (0.5 passes at level 0 only) block.
    assert all(cell.percent == 50.0 for phase in result.phases for cell in phase.cells)
    for phase in result.phases:
        assert phase.level == _level_when_all_manual(bank, phase.code)


def _level_when_all_manual(bank: Bank, phase: str) -> int:
    reached = 0
    for level in sorted(lv.number for lv in bank.levels)[1:]:
        if any(q.critical for q in bank.questions_in(phase, level)):
            break
        reached = level
    return reached
