"""Scoring an answers file (the offline format of docs/scoring.md) against a published bank."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assessment.formats.answers_file import bank_key, parse_answers_file, read_answers_file
from assessment.scoring.engine import score
from assessment.scoring.results import Result
from assessment.scoring.types import AssessmentInput, Bank
from assessment.selectors.banks import find_bank


@dataclass(frozen=True)
class ScoredAnswers:
    bank: Bank
    given: AssessmentInput
    result: Result


def score_answers_file(path: str | Path) -> ScoredAnswers:
    """Read, check and score an answers file; raise AnswersFileError listing every problem."""
    data = read_answers_file(path)
    bank = find_bank(*bank_key(data))
    given = parse_answers_file(data, bank)
    return ScoredAnswers(bank=bank, given=given, result=score(bank, given))
