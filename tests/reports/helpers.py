"""Realistic assessments for the report tests and the report bench: a team that is solid at level
0, part-way through level 1 and starting on level 2, with evidence, notes and N/A reasons."""

from __future__ import annotations

import random
from datetime import date

from django.contrib.auth.models import User

from assessment.models import Assessment, QuestionBank
from assessment.reports.sections.cover import Cover
from assessment.scoring.types import Answer, AnswerValue, AssessmentInput, Bank, Presence
from assessment.services.answers import AnswerData, answers_save
from assessment.services.assessments import (
    assessment_set_composition,
    assessment_start,
    assessment_submit,
)
from core.models import Team
from tests.bundled import mlops_bank_file

NA_REASON = "We score in nightly batches; no online serving path exists."
NOTE = "Agreed in the quarterly review; the owner confirms details with the platform."

# Chance of each answer by question level: (not in place, manual, automated, don't know).
_MIX = {
    0: (0.02, 0.25, 0.70, 0.03),
    1: (0.20, 0.40, 0.35, 0.05),
    2: (0.55, 0.30, 0.10, 0.05),
}
_VALUES = ("0", "0.5", "1", "unknown")
_PRESENCES = (Presence.PRESENT, Presence.SHARED, Presence.ABSENT)


def bundled_bank() -> Bank:
    """The bundled bank, parsed once per test process (a `Bank` is immutable)."""
    return mlops_bank_file().bank


def realistic_input(bank: Bank, *, seed: int, lift: float = 0.0) -> AssessmentInput:
    """Answers to every question and a team composition. `lift` (0 to 1) is the chance that an
    answer below "automated" moves one step up: the same team a quarter later, never worse."""
    rng = random.Random(seed)
    lifter = random.Random(seed + 1)  # its own stream, so lifting leaves the other draws alone
    answers = {}
    for question in bank.questions:
        not_applicable = rng.random() < 0.5
        value = rng.choices(_VALUES, weights=_MIX.get(question.level, _MIX[2]))[0]
        with_evidence = rng.random() < 0.65
        with_note = rng.random() < 0.25
        if question.allow_na and not_applicable:
            answers[question.code] = Answer(AnswerValue.NOT_APPLICABLE, reason=NA_REASON)
            continue
        if value in ("0", "0.5") and lifter.random() < lift:
            value = {"0": "0.5", "0.5": "1"}[value]
        evidence = ""
        if value in ("0.5", "1") and with_evidence:
            evidence = f"https://wiki.example.com/ml-platform/{question.code.lower()}"
        answers[question.code] = Answer(
            AnswerValue(value), evidence=evidence, note=NOTE if with_note else ""
        )
    team = {role.code: _PRESENCES[index % 3] for index, role in enumerate(bank.roles)}
    return AssessmentInput(answers=answers, team=team)


def answer_data(given: AssessmentInput) -> dict[str, AnswerData]:
    """The same answers as the questionnaire's forms hand them to the services."""
    return {
        code: AnswerData(
            value=answer.value.value,
            evidence=answer.evidence,
            note=answer.note,
            reason=answer.reason,
        )
        for code, answer in given.answers.items()
    }


def submitted_assessment(
    *,
    team: Team,
    bank: QuestionBank,
    by: User,
    label: str,
    given: AssessmentInput,
    targets: dict[str, int] | None = None,
) -> Assessment:
    """Start, answer and submit an assessment through the services, as the web pages do."""
    assessment = assessment_start(team=team, bank=bank, label=label, targets=targets or {}, by=by)
    assessment_set_composition(
        assessment=assessment,
        composition={role: presence.value for role, presence in given.team.items()},
        by=by,
    )
    respondent = assessment.respondents.get(is_lead=True)
    answers_save(assessment=assessment, respondent=respondent, changes=answer_data(given), by=by)
    assessment_submit(assessment=assessment, by=by)
    assessment.refresh_from_db()
    return assessment


ACME_COVER = Cover(
    organisation="Acme Analytics",
    team="Fraud detection",
    label="2026 Q4",
    date=date(2026, 11, 20),
    respondents=("Dana Okafor", "Sam Lee"),
    author="Dana Okafor",
)
