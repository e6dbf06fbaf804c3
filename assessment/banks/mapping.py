"""Which earlier question each question of a bank continues, across bank versions, and carrying
one version's answers into the next."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from assessment.scoring.types import Answer, AnswerValue, Bank, Question


def continued_codes(bank: Bank, earlier_codes: Collection[str]) -> dict[str, str]:
    """new code -> the earlier code it continues (the first, when it continues several).
    Questions new in this version are left out."""
    mapping = {}
    for question in bank.questions:
        sources = predecessors(question, earlier_codes)
        if sources:
            mapping[question.code] = sources[0]
    return mapping


def predecessors(question: Question, earlier_codes: Collection[str]) -> tuple[str, ...]:
    """The earlier questions `question` continues, among `earlier_codes`.

    A question whose code the earlier bank already has continues that question: its `replaces:`
    told an older move, unless it lists its own code there too, which says the list is about
    this move (a question that also absorbs another). A question whose code is new continues
    what its `replaces:` lists. Codes are never reused for another practice
    (docs/question-bank.md), which is what makes this safe."""
    if question.code in earlier_codes:
        if question.code not in question.replaces:
            return (question.code,)
        others = (c for c in question.replaces if c != question.code and c in earlier_codes)
        return (question.code, *others)
    return tuple(c for c in question.replaces if c in earlier_codes)


class Carry(StrEnum):
    """How an answer reached a question of the newer bank."""

    CARRIED = "carried"  # the question continues one earlier question, which nothing else splits
    SPLIT = "split"  # the earlier question was split: its answer is a starting point to confirm
    MERGED = "merged"  # several earlier answers: the lowest is kept, to be confirmed
    NEW = "new"  # nothing earlier answered it

    @property
    def needs_confirmation(self) -> bool:
        return self in (Carry.SPLIT, Carry.MERGED)


@dataclass(frozen=True)
class CarriedAnswer:
    code: str  # in the newer bank
    carry: Carry
    sources: tuple[str, ...]  # the earlier codes the answer came from
    answer: Answer | None  # None for a new question


def carry_answers(
    earlier: Bank, later: Bank, answers: Mapping[str, Answer]
) -> tuple[CarriedAnswer, ...]:
    """Each question of `later`, in bank order, with the answer `answers` (given against
    `earlier`) suggests for it. `na` is only carried where the newer question allows it."""
    earlier_codes = {q.code for q in earlier.questions}
    resolved = {q.code: predecessors(q, earlier_codes) for q in later.questions}
    claimed = Counter(old for sources in resolved.values() for old in sources)
    carried = []
    for question in later.questions:
        sources = tuple(old for old in resolved[question.code] if old in answers)
        answer = _combined([answers[old] for old in sources], question)
        if answer is None:
            carried.append(CarriedAnswer(question.code, Carry.NEW, (), None))
            continue
        if len(sources) > 1:
            carry = Carry.MERGED
        elif claimed[sources[0]] > 1:
            carry = Carry.SPLIT
        else:
            carry = Carry.CARRIED
        carried.append(CarriedAnswer(question.code, carry, sources, answer))
    return tuple(carried)


def _combined(answers: list[Answer], question: Question) -> Answer | None:
    usable = [a for a in answers if question.allow_na or a.value is not AnswerValue.NOT_APPLICABLE]
    if not usable:
        return None
    # The weakest claim: merging "automated" with "not in place" must not read as automated.
    return min(usable, key=_strength)


def _strength(answer: Answer) -> float:
    points = answer.value.points
    return 2.0 if points is None else points
