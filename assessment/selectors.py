"""Reads for the assessment app. Access checks live in core.selectors."""

from __future__ import annotations

from django.http import Http404

from assessment.models import QuestionBank


def question_bank(slug: str, version: str) -> QuestionBank:
    try:
        return QuestionBank.objects.get(slug=slug, version=version)
    except QuestionBank.DoesNotExist:
        raise Http404 from None


def latest_question_banks() -> list[QuestionBank]:
    """The newest version of each bank, for choosing what to answer."""
    latest: dict[str, QuestionBank] = {}
    for bank in QuestionBank.objects.defer("content"):
        current = latest.get(bank.slug)
        if current is None or bank.version_key > current.version_key:
            latest[bank.slug] = bank
    return sorted(latest.values(), key=lambda b: b.title)
