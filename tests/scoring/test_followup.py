"""The follow-up of finished actions, worked out by hand against the tiny bank (tiny_bank.py).

Points per answer, as the engine counts them: not in place 0, done manually 0.5, automated (or
institutionalised at level 0) 1, don't know 0, not answered 0, not applicable None (out of the
cell). A practice *improved* when it earned more points after than before, or when it was fully
in place (1) on both sides. Every case states the answers on both sides and the arithmetic.
"""

from __future__ import annotations

from dataclasses import replace

from assessment.banks.mapping import predecessors
from assessment.scoring.compare import question_codes
from assessment.scoring.engine import score
from assessment.scoring.followup import (
    DoneAction,
    FollowUp,
    PracticeMove,
    Reflection,
    follow_up,
)
from assessment.scoring.results import Result
from assessment.scoring.types import Answer, AnswerValue, AssessmentInput, Bank
from tests.scoring.tiny_bank import TINY_BANK

NOT_IN_PLACE, MANUAL, AUTOMATED = (
    AnswerValue.NOT_IN_PLACE,
    AnswerValue.MANUAL,
    AnswerValue.AUTOMATED,
)
NA = Answer(AnswerValue.NOT_APPLICABLE, reason="no online serving")
EVIDENCE = "https://wiki.example/proof"


def scored(bank: Bank = TINY_BANK, **answers: AnswerValue | Answer) -> Result:
    """`bank` scored with the given answers (DES_0_01=MANUAL...); every other question is left
    unanswered, which the engine counts as 0 points."""
    given = {
        name.replace("_", "-"): value
        if isinstance(value, Answer)
        else Answer(value, evidence=EVIDENCE if value != NOT_IN_PLACE else "")
        for name, value in answers.items()
    }
    return score(bank, AssessmentInput(answers=given))


def action(*practices: str, id: int = 1, title: str = "Do the thing") -> DoneAction:
    return DoneAction(id=id, title=title, practices=practices)


def only(followups: tuple[FollowUp, ...]) -> FollowUp:
    (single,) = followups
    return single


# --- reflected -----------------------------------------------------------------------------------


def test_points_that_rose_reflect_the_action() -> None:
    # DES-0-02: done manually (0.5) then automated (1): 1 > 0.5, improved. Its only practice
    # improved, so the action is reflected.
    before = scored(DES_0_02=MANUAL)
    after = scored(DES_0_02=AUTOMATED)

    result = only(follow_up((action("DES-0-02"),), before, after))

    assert result.reflection is Reflection.REFLECTED
    assert result.moves == (PracticeMove("DES-0-02", "DES-0-02", 0.5, 1.0),)
    assert result.moves[0].improved


def test_an_unanswered_practice_counts_as_zero_before() -> None:
    # DEV-1-01 had no answer (0 points) and is now done manually (0.5): 0.5 > 0, improved.
    before = scored()
    after = scored(DEV_1_01=MANUAL)

    result = only(follow_up((action("DEV-1-01"),), before, after))

    assert (result.reflection, result.moves) == (
        Reflection.REFLECTED,
        (PracticeMove("DEV-1-01", "DEV-1-01", 0.0, 0.5),),
    )


def test_a_practice_fully_in_place_on_both_sides_counts_as_improved() -> None:
    # DES-0-01 was automated (1) and stays automated (1): no rise, but min(1, 1) = 1 is fully in
    # place, so the practice is not held against the action: it is reflected.
    before = scored(DES_0_01=AUTOMATED)
    after = scored(DES_0_01=AUTOMATED)

    result = only(follow_up((action("DES-0-01"),), before, after))

    assert result.reflection is Reflection.REFLECTED
    assert result.moves == (PracticeMove("DES-0-01", "DES-0-01", 1.0, 1.0),)


def test_done_manually_on_both_sides_is_not_in_place_enough_to_count() -> None:
    # DES-0-02 done manually (0.5) before and after: no rise, and 0.5 < 1, so not improved.
    before = scored(DES_0_02=MANUAL)
    after = scored(DES_0_02=MANUAL)

    assert only(follow_up((action("DES-0-02"),), before, after)).reflection is (
        Reflection.NOT_REFLECTED
    )


# --- partly and not reflected --------------------------------------------------------------------


def test_one_of_two_practices_rising_is_partly_reflected() -> None:
    # DES-1-01: not in place (0) -> done manually (0.5): improved.
    # DES-1-02: done manually (0.5) -> done manually (0.5): not improved.
    # One of the two comparable practices improved: partly.
    before = scored(DES_1_01=NOT_IN_PLACE, DES_1_02=MANUAL)
    after = scored(DES_1_01=MANUAL, DES_1_02=MANUAL)

    result = only(follow_up((action("DES-1-01", "DES-1-02"),), before, after))

    assert result.reflection is Reflection.PARTLY
    assert [(m.code, m.before, m.after, m.improved) for m in result.moves] == [
        ("DES-1-01", 0.0, 0.5, True),
        ("DES-1-02", 0.5, 0.5, False),
    ]


def test_a_practice_that_fell_or_stayed_at_zero_is_not_reflected() -> None:
    # DEV-0-02: automated (1) -> done manually (0.5): fell. OPS-1-01: don't know (0) -> not in
    # place (0): no rise, and 0 is not in place. Neither improved: not reflected.
    before = scored(DEV_0_02=AUTOMATED, OPS_1_01=AnswerValue.UNKNOWN)
    after = scored(DEV_0_02=MANUAL, OPS_1_01=NOT_IN_PLACE)

    result = only(follow_up((action("DEV-0-02", "OPS-1-01"),), before, after))

    assert result.reflection is Reflection.NOT_REFLECTED
    assert result.moves == (
        PracticeMove("DEV-0-02", "DEV-0-02", 1.0, 0.5),
        PracticeMove("OPS-1-01", "OPS-1-01", 0.0, 0.0),
    )


# --- unmatched: the answers cannot tell -----------------------------------------------------------


def test_an_action_without_practices_is_unmatched() -> None:
    # The lead's own action names no practice: nothing to compare.
    result = only(follow_up((action(),), scored(), scored()))

    assert (result.reflection, result.moves) == (Reflection.UNMATCHED, ())


def test_a_practice_the_new_bank_dropped_is_unmatched() -> None:
    # Version 1.1 of the tiny bank drops OPS-2-03. It had 0.5 before; after, the result has no
    # such question (None): not comparable, and it was the action's only practice.
    newer = replace(
        TINY_BANK,
        version="1.1",
        questions=tuple(q for q in TINY_BANK.questions if q.code != "OPS-2-03"),
    )
    before = scored(OPS_2_03=MANUAL)
    after = scored(newer)

    result = only(follow_up((action("OPS-2-03"),), before, after))

    assert result.reflection is Reflection.UNMATCHED
    assert result.moves == (PracticeMove("OPS-2-03", "OPS-2-03", 0.5, None),)


def test_a_practice_not_applicable_on_one_side_is_unmatched() -> None:
    # DES-0-03 was not applicable (None) and is now automated (1): one side has no points, so
    # the move counts neither for nor against. The other way round gives the same.
    na_before = only(follow_up((action("DES-0-03"),), scored(DES_0_03=NA), scored(DES_0_03=MANUAL)))
    na_after = only(follow_up((action("DES-0-03"),), scored(DES_0_03=MANUAL), scored(DES_0_03=NA)))

    assert na_before.reflection is na_after.reflection is Reflection.UNMATCHED
    assert na_before.moves == (PracticeMove("DES-0-03", "DES-0-03", None, 0.5),)
    assert na_after.moves == (PracticeMove("DES-0-03", "DES-0-03", 0.5, None),)


def test_a_not_applicable_practice_leaves_the_verdict_to_the_others() -> None:
    # DES-0-03 goes to not applicable (left out); DES-0-02 goes 0 -> 1 (improved). The one
    # comparable practice improved: reflected, not partly.
    before = scored(DES_0_03=MANUAL, DES_0_02=NOT_IN_PLACE)
    after = scored(DES_0_03=NA, DES_0_02=AUTOMATED)

    result = only(follow_up((action("DES-0-03", "DES-0-02"),), before, after))

    assert result.reflection is Reflection.REFLECTED
    assert [m.comparable for m in result.moves] == [False, True]


# --- a renamed practice across bank versions -----------------------------------------------------


def renamed_bank() -> Bank:
    """Version 2.0 of the tiny bank, where DEV-1-02 became DEV-1-04 (`replaces: [DEV-1-02]`)."""
    questions = tuple(
        replace(q, code="DEV-1-04", replaces=("DEV-1-02",)) if q.code == "DEV-1-02" else q
        for q in TINY_BANK.questions
    )
    return replace(TINY_BANK, version="2.0", questions=questions)


def lineage(bank: Bank, before: Result) -> dict[str, tuple[str, ...]]:
    earlier = question_codes(before)
    return {q.code: predecessors(q, earlier) for q in bank.questions}


def test_a_renamed_practice_is_followed_through_its_lineage() -> None:
    # Before (1.0): DEV-1-02 not in place (0). After (2.0): DEV-1-04, its continuation,
    # automated (1). With the mapping, the action accepted from the 1.0 result (naming DEV-1-02)
    # and one naming the new code both compare 0 with 1: reflected, reported under DEV-1-04.
    bank = renamed_bank()
    before = scored(DEV_1_02=NOT_IN_PLACE)
    after = scored(bank, DEV_1_04=AUTOMATED)
    continuations = lineage(bank, before)
    assert continuations["DEV-1-04"] == ("DEV-1-02",)

    old_name, new_name = follow_up(
        (action("DEV-1-02", id=1), action("DEV-1-04", id=2)), before, after, continuations
    )

    for result in (old_name, new_name):
        assert result.reflection is Reflection.REFLECTED
        assert result.moves == (PracticeMove("DEV-1-04", "DEV-1-02", 0.0, 1.0),)


def test_without_the_mapping_a_renamed_practice_cannot_be_matched() -> None:
    # Without the lineage, DEV-1-02 is missing after and DEV-1-04 missing before.
    before = scored(DEV_1_02=NOT_IN_PLACE)
    after = scored(renamed_bank(), DEV_1_04=AUTOMATED)

    old_name, new_name = follow_up(
        (action("DEV-1-02", id=1), action("DEV-1-04", id=2)), before, after
    )

    assert old_name.moves == (PracticeMove("DEV-1-02", "DEV-1-02", 0.0, None),)
    assert new_name.moves == (PracticeMove("DEV-1-04", "DEV-1-04", None, 1.0),)
    assert old_name.reflection is new_name.reflection is Reflection.UNMATCHED


def test_a_split_practice_is_judged_on_each_of_its_successors() -> None:
    # 2.0 splits DEV-1-02 into DEV-1-04 and DEV-1-05 (both `replaces: [DEV-1-02]`). Before:
    # DEV-1-02 not in place (0). After: DEV-1-04 automated (1), DEV-1-05 not in place (0). The
    # action naming DEV-1-02 is judged on both: 0 -> 1 improved, 0 -> 0 not: partly reflected.
    split = replace(TINY_BANK.question("DEV-1-02"), code="DEV-1-05", replaces=("DEV-1-02",))
    bank = replace(renamed_bank(), questions=(*renamed_bank().questions, split))
    before = scored(DEV_1_02=NOT_IN_PLACE)
    after = scored(bank, DEV_1_04=AUTOMATED, DEV_1_05=NOT_IN_PLACE)

    result = only(follow_up((action("DEV-1-02"),), before, after, lineage(bank, before)))

    assert result.moves == (
        PracticeMove("DEV-1-04", "DEV-1-02", 0.0, 1.0),
        PracticeMove("DEV-1-05", "DEV-1-02", 0.0, 0.0),
    )
    assert result.reflection is Reflection.PARTLY


def test_a_merged_practice_is_compared_with_the_one_the_action_named() -> None:
    # 2.0 merges DEV-1-01 into DEV-1-02 (`replaces: [DEV-1-02, DEV-1-01]`; DEV-1-01 is gone).
    # Before: DEV-1-01 manual (0.5), DEV-1-02 not in place (0). After: DEV-1-02 automated (1).
    # The action named DEV-1-01: compared 0.5 -> 1 through its successor: reflected.
    merged = replace(TINY_BANK.question("DEV-1-02"), replaces=("DEV-1-02", "DEV-1-01"))
    bank = replace(
        TINY_BANK,
        version="2.0",
        questions=tuple(
            merged if q.code == "DEV-1-02" else q
            for q in TINY_BANK.questions
            if q.code != "DEV-1-01"
        ),
    )
    before = scored(DEV_1_01=MANUAL, DEV_1_02=NOT_IN_PLACE)
    after = scored(bank, DEV_1_02=AUTOMATED)

    result = only(follow_up((action("DEV-1-01"),), before, after, lineage(bank, before)))

    assert result.moves == (PracticeMove("DEV-1-02", "DEV-1-01", 0.5, 1.0),)
    assert result.reflection is Reflection.REFLECTED


# --- several actions ------------------------------------------------------------------------------


def test_actions_keep_their_order_and_each_gets_its_own_verdict() -> None:
    # Three actions on the same pair of results: DES-0-02 0 -> 1 (reflected), DES-1-01 and
    # DES-1-02 0 -> 0.5 and 0 -> 0 (partly), DEV-2-01 0.5 -> 0 (not reflected).
    before = scored(DES_0_02=NOT_IN_PLACE, DEV_2_01=MANUAL)
    after = scored(DES_0_02=AUTOMATED, DES_1_01=MANUAL)
    actions = (
        action("DEV-2-01", id=3),
        action("DES-0-02", id=1),
        action("DES-1-01", "DES-1-02", id=2),
    )

    results = follow_up(actions, before, after)

    assert [(r.action.id, r.reflection) for r in results] == [
        (3, Reflection.NOT_REFLECTED),
        (1, Reflection.REFLECTED),
        (2, Reflection.PARTLY),
    ]


def test_every_verdict_has_words() -> None:
    assert {r: bool(r.label) for r in Reflection} == dict.fromkeys(Reflection, True)
