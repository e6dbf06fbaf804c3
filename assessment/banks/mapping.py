"""Which earlier question each question of a bank continues, across bank versions, and carrying
one version's answers into the next."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from enum import StrEnum

from assessment.scoring.types import Answer, AnswerValue, Bank, Question


def continued_codes(bank: Bank, earlier_codes: Collection[str]) -> dict[str, str]:
    """new code -> the earlier code it continues. A question that lists `replaces:` continues
    only those codes (its own first, when listed), so a code reused for a new practice is never
    matched; one without continues the same code when it still exists. New questions are left out.
    """
    mapping = {}
    for question in bank.questions:
        for old in _predecessors(question):
            if old in earlier_codes:
                mapping[question.code] = old
                break
    return mapping


def _predecessors(question: Question) -> tuple[str, ...]:
    if not question.replaces:
        return (question.code,)
    if question.code in question.replaces:
        return (question.code, *(c for c in question.replaces if c != question.code))
    return question.replaces


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
    claimed = Counter(old for q in later.questions for old in _predecessors(q))
    earlier_codes = {q.code for q in earlier.questions}
    carried = []
    for question in later.questions:
        sources = tuple(
            old for old in _predecessors(question) if old in earlier_codes and old in answers
        )
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
