"""Score an answers file (the offline format of docs/scoring.md) against a published bank."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from assessment.banks.loader import BUNDLED_BANKS_DIR, read_bank_file
from assessment.banks.parse import BankInvalid
from assessment.models import QuestionBank
from assessment.scoring.answers_file import (
    AnswersFileError,
    bank_key,
    parse_answers_file,
    read_answers_file,
)
from assessment.scoring.engine import score
from assessment.scoring.results import Result
from assessment.scoring.types import AssessmentInput, Bank

UNKNOWN_BANK = (
    "bank: {key} is neither loaded here nor bundled with this version of the tool (known: {known})"
)


@dataclass(frozen=True)
class ScoredAnswers:
    bank: Bank
    given: AssessmentInput
    result: Result


def find_bank(slug: str, version: str) -> Bank:
    """A published bank: the loaded one, else the bundled file, so a fresh checkout can score."""
    stored = QuestionBank.objects.filter(slug=slug, version=version).first()
    if stored is not None:
        return stored.bank()
    bundled = BUNDLED_BANKS_DIR / slug / f"{version}.yaml"
    if bundled.is_file():
        try:
            return read_bank_file(bundled).bank
        except BankInvalid:
            pass
    known = sorted(
        {b.key for b in QuestionBank.objects.defer("content")}
        | {f"{p.parent.name}@{p.stem}" for p in BUNDLED_BANKS_DIR.glob("*/*.yaml")}
    )
    raise AnswersFileError([UNKNOWN_BANK.format(key=f"{slug}@{version}", known=", ".join(known))])


def score_answers_file(path: str | Path) -> ScoredAnswers:
    """Read, check and score an answers file; raise AnswersFileError listing every problem."""
    data = read_answers_file(path)
    bank = find_bank(*bank_key(data))
    given = parse_answers_file(data, bank)
    return ScoredAnswers(bank=bank, given=given, result=score(bank, given))
