"""Publishing question banks: stored all or none, and a published version never changes."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from assessment.banks.loader import BankFile
from assessment.banks.parse import BankInvalid
from assessment.models import QuestionBank

PUBLISHED_VERSION_CHANGED = (
    "{source}: {key} is already published with different content; a published version never "
    "changes: give this file a new version (e.g. {suggestion}) and keep the old one"
)


@dataclass(frozen=True)
class BankLoadOutcome:
    bank: QuestionBank
    created: bool


def question_banks_load(*, files: list[BankFile]) -> list[BankLoadOutcome]:
    """Store validated bank files, all or none. Same content again is a no-op."""
    problems: list[str] = []
    outcomes: list[BankLoadOutcome] = []
    with transaction.atomic():
        for bank_file in files:
            bank = bank_file.bank
            stored = (
                QuestionBank.objects.select_for_update()
                .filter(slug=bank.slug, version=bank.version)
                .first()
            )
            if stored is None:
                stored = QuestionBank.objects.create(
                    slug=bank.slug,
                    version=bank.version,
                    title=bank.title,
                    checksum=bank_file.checksum,
                    content=bank_file.data,
                    question_count=len(bank.questions),
                )
                outcomes.append(BankLoadOutcome(stored, created=True))
            elif stored.checksum == bank_file.checksum:
                outcomes.append(BankLoadOutcome(stored, created=False))
            else:
                problems.append(
                    PUBLISHED_VERSION_CHANGED.format(
                        source=bank_file.path,
                        key=bank.key,
                        suggestion=_next_version(bank.version),
                    )
                )
        if problems:
            # Leave the transaction so nothing of this call is kept.
            raise BankInvalid(problems)
    return outcomes


def _next_version(version: str) -> str:
    parts = version.split(".")
    parts[-1] = str(int(parts[-1]) + 1)
    return ".".join(parts)
