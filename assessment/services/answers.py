"""Saving answers: a respondent's own, and the final answers a lead settles. Only what changed
is written, in one upsert, so two people saving the same assessment both keep theirs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import transaction

from assessment.models import Answer, Assessment, FinalAnswer, Respondent
from assessment.scoring.types import Answer as ScoredAnswer
from assessment.scoring.types import AnswerValue
from assessment.services.assessments import lock_draft

# Whose answers an upsert writes: a respondent's own, or the assessment's final ones.
_AnswerModel = TypeVar("_AnswerModel", Answer, FinalAnswer)


@dataclass(frozen=True)
class AnswerData:
    """What a form or an import says about one question."""

    value: str  # an AnswerValue, or "" when only evidence or a note was typed
    evidence: str = ""
    note: str = ""
    reason: str = ""

    @classmethod
    def of(cls, answer: ScoredAnswer) -> AnswerData:
        """The engine's answer (from a file or the API), as it is stored."""
        return cls(answer.value.value, answer.evidence, answer.note, answer.reason)


def answers_save(
    *,
    assessment: Assessment,
    respondent: Respondent,
    changes: dict[str, AnswerData],
    by: User,
) -> int:
    """Write only the answers that changed, so two people editing different questions of one
    assessment at the same moment both keep theirs. Returns how many were written."""
    return _answers_upsert(
        assessment,
        Answer,
        changes,
        owner={"respondent": respondent},
        # Saving an answer confirms it: a carried answer someone saved is theirs now.
        writer={"updated_by": by, "carried": "", "carried_from": ""},
    )


def final_answers_save(*, assessment: Assessment, changes: dict[str, AnswerData], by: User) -> int:
    """The lead's settled answers; respondents' own answers are never touched."""
    return _answers_upsert(
        assessment,
        FinalAnswer,
        changes,
        owner={"assessment": assessment},
        writer={"decided_by": by},
    )


def _answers_upsert(
    assessment: Assessment,
    model: type[_AnswerModel],
    changes: dict[str, AnswerData],
    *,
    owner: dict[str, object],
    writer: dict[str, object],
) -> int:
    """Write whole answers by question code, for one owner (a respondent, or the assessment's
    final answers). One upsert statement: no read-modify-write race between two savers."""
    if not changes:
        return 0
    rows = [
        model(
            **owner,
            **writer,
            question_code=code,
            value=data.value,
            evidence=data.evidence,
            note=data.note,
            reason=data.reason if data.value == AnswerValue.NOT_APPLICABLE else "",
        )
        for code, data in changes.items()
    ]
    with transaction.atomic():
        lock_draft(assessment)
        model.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=[*owner, "question_code"],
            update_fields=["value", "evidence", "note", "reason", "updated_at", *writer],
        )
    return len(rows)
