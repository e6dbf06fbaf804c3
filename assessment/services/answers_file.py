"""Filling a draft from an answers file (the offline format of docs/scoring.md), as the API's
scripts and CI jobs push it: the file's answers, team composition and targets replace the
draft's, so submitting scores exactly what `score_answers` scores for the same file."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from assessment.models import Answer, Assessment, Respondent
from assessment.scoring.types import AssessmentInput
from assessment.services.answers import AnswerData, answers_save
from assessment.services.assessments import assessment_set_composition, lock_draft


def assessment_fill_from_file(
    *, assessment: Assessment, respondent: Respondent, given: AssessmentInput, by: User
) -> int:
    """Replace the respondent's answers with the file's (questions the file leaves out are
    cleared), and the assessment's composition and targets with the file's. Returns how many
    answers were written."""
    with transaction.atomic():
        locked = lock_draft(assessment)
        targets = {phase: int(level) for phase, level in given.targets.items()}
        if locked.targets != targets:
            locked.targets = targets
            locked.save(update_fields=["targets", "updated_at"])
            assessment.targets = targets
        assessment_set_composition(
            assessment=assessment,
            composition={role: presence.value for role, presence in given.team.items()},
            by=by,
        )
        Answer.objects.filter(respondent=respondent).exclude(
            question_code__in=list(given.answers)
        ).delete()
        return answers_save(
            assessment=assessment,
            respondent=respondent,
            changes={code: AnswerData.of(answer) for code, answer in given.answers.items()},
            by=by,
        )
