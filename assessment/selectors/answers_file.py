"""Scoring an answers file (the offline format of docs/scoring.md) against a published bank,
either the bank the file names or a later version of it, carrying the answers through
`replaces:` (docs/question-bank.md, "Versions")."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assessment.banks.mapping import CarriedAnswer, Carry, carry_answers
from assessment.formats.answers_file import (
    AnswersFileError,
    bank_key,
    parse_answers_file,
    read_answers_file,
)
from assessment.scoring.engine import score
from assessment.scoring.results import Result
from assessment.scoring.types import AssessmentInput, Bank
from assessment.selectors.banks import find_bank

OTHER_BANK = "--bank {target}: the file is for {given}; only another version of {slug} can take it"
BAD_TARGET = '--bank {value}: write the bank as slug@version, e.g. "mlops-maturity@2.0"'


@dataclass(frozen=True)
class ScoredAnswers:
    bank: Bank
    given: AssessmentInput
    result: Result
    # Set when the file was written for another version: where each answer came from.
    carried_from: Bank | None = None
    carried: tuple[CarriedAnswer, ...] = ()

    def carry_summary(self) -> list[str]:
        """One line per kind of carry, for the person who asked for another version."""
        if self.carried_from is None:
            return []
        lines = [f"Answers for {self.carried_from.key} scored against {self.bank.key}:"]
        for carry in Carry:
            codes = [c.code for c in self.carried if c.carry is carry]
            if not codes:
                continue
            detail = ", ".join(
                f"{c.code} (from {' + '.join(c.sources)})" if c.sources else c.code
                for c in self.carried
                if c.carry is carry
            )
            lines.append(f"- {len(codes)} {_CARRY_WORDS[carry]}: {detail}")
        return lines

    def carried_dict(self) -> dict[str, object]:
        assert self.carried_from is not None
        return {
            "bank": self.carried_from.key,
            "answers": [
                {"code": c.code, "carry": c.carry.value, "sources": list(c.sources)}
                for c in self.carried
            ],
        }


_CARRY_WORDS = {
    Carry.CARRIED: "carried unchanged",
    Carry.SPLIT: "taken from a question that was split (confirm each)",
    Carry.MERGED: "merged from several questions, the lowest answer kept (confirm each)",
    Carry.NEW: "new, not answered yet",
}


def score_answers_file(path: str | Path, target: str = "") -> ScoredAnswers:
    """Read, check and score an answers file; raise AnswersFileError listing every problem.
    With `target` ("slug@version"), score it against that version of the file's bank."""
    data = read_answers_file(path)
    slug, version = bank_key(data)
    bank = find_bank(slug, version)
    given = parse_answers_file(data, bank)
    if not target or target == bank.key:
        return ScoredAnswers(bank=bank, given=given, result=score(bank, given))
    target_slug, _, target_version = target.partition("@")
    if not target_slug or not target_version:
        raise AnswersFileError([BAD_TARGET.format(value=target)])
    if target_slug != slug:
        raise AnswersFileError([OTHER_BANK.format(target=target, given=bank.key, slug=slug)])
    later = find_bank(target_slug, target_version)
    carried = carry_answers(bank, later, given.answers)
    phases = {phase.code for phase in later.phases}
    roles = {role.code for role in later.roles}
    moved = AssessmentInput(
        answers={c.code: c.answer for c in carried if c.answer is not None},
        team={role: presence for role, presence in given.team.items() if role in roles},
        targets={phase: level for phase, level in given.targets.items() if phase in phases},
        threshold=given.threshold,
    )
    return ScoredAnswers(
        bank=later,
        given=moved,
        result=score(later, moved),
        carried_from=bank,
        carried=carried,
    )
