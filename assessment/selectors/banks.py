"""Which question banks are published here, and finding one by its key."""

from __future__ import annotations

from django.db.models import QuerySet

from assessment.banks.loader import BUNDLED_BANKS_DIR, read_bank_file
from assessment.banks.parse import BankInvalid
from assessment.formats.answers_file import AnswersFileError
from assessment.models import QuestionBank
from assessment.scoring.types import Bank
from core.models import Team

UNKNOWN_BANK = (
    "bank: {key} is neither loaded here nor bundled with this version of the tool (known: {known})"
)


def latest_question_banks() -> list[QuestionBank]:
    """The newest version of each bank, for choosing what to answer."""
    latest: dict[str, QuestionBank] = {}
    for bank in QuestionBank.objects.defer("content"):
        current = latest.get(bank.slug)
        if current is None or bank.version_key > current.version_key:
            latest[bank.slug] = bank
    return sorted(latest.values(), key=lambda b: b.title)


def question_banks_among(banks: list[QuestionBank]) -> QuerySet[QuestionBank]:
    """The same banks as a queryset, for a form's choice field."""
    return QuestionBank.objects.filter(pk__in=[b.pk for b in banks])


def newest_bank() -> Bank | None:
    """The newest version of the first bank, for column headings that need phase names."""
    banks = latest_question_banks()
    return banks[0].bank() if banks else None


def question_bank(slug: str, version: str) -> QuestionBank | None:
    return QuestionBank.objects.filter(slug=slug, version=version).first()


def find_bank(slug: str, version: str) -> Bank:
    """A published bank: the loaded one, else the bundled file, so a fresh checkout can score."""
    stored = question_bank(slug, version)
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


def practice_codes(team: Team) -> set[str]:
    """The question codes an action of the team may name: those of the newest bank and of the
    bank of the team's latest assessment (which may be an older version)."""
    codes: set[str] = set()
    newest = newest_bank()
    if newest is not None:
        codes.update(q.code for q in newest.questions)
    latest = (
        QuestionBank.objects.filter(assessments__team=team)
        .order_by("-assessments__created_at")
        .first()
    )
    if latest is not None:
        codes.update(q.code for q in latest.bank().questions)
    return codes
