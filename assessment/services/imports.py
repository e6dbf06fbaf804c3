"""Importing an assessment file (our JSON export, or an answers file) into a team as a draft,
all or nothing."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from assessment.formats.answers_file import (
    MAX_FILE_BYTES,
    AnswersFileError,
    bank_key,
    parse_answers_file,
    read_answers_file,
)
from assessment.formats.assessment_file import import_problems, unwrap_export
from assessment.models import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, Assessment, QuestionBank
from assessment.scoring.types import AssessmentInput, Presence
from assessment.selectors.banks import question_bank
from assessment.services.answers import AnswerData, answers_save
from assessment.services.assessments import assessment_start
from core.models import Team

MAX_IMPORT_BYTES = MAX_FILE_BYTES  # refused before it is copied or parsed
TOO_LARGE = "the file is larger than 2 MB; an assessment file is a few kilobytes"
WRONG_TYPE = "use the .json file exported here, or an answers file (.yaml, .yml or .json)"
BANK_NOT_LOADED = (
    "bank: {key} is not loaded on this server; an administrator loads it with "
    "`python manage.py load_question_bank`"
)
# The web form's limits, so an imported answer can be edited and saved again unchanged.
TEXT_LIMITS = {"note": NOTE_MAX_LENGTH, "reason": REASON_MAX_LENGTH}


@dataclass(frozen=True)
class ImportedAssessment:
    bank: QuestionBank
    given: AssessmentInput
    label: str  # from an export; "" for a plain answers file


def read_import(upload: UploadedFile) -> ImportedAssessment:
    """Check an uploaded file completely; raise AnswersFileError listing every problem."""
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in (".json", ".yaml", ".yml"):
        raise AnswersFileError([WRONG_TYPE])
    if upload.size is not None and upload.size > MAX_IMPORT_BYTES:
        raise AnswersFileError([TOO_LARGE])
    # The answers-file reader works on paths: it is the one place that knows both formats.
    with tempfile.NamedTemporaryFile(suffix=suffix) as copy:
        for chunk in upload.chunks():
            copy.write(chunk)
        copy.flush()
        try:
            data = read_answers_file(copy.name)
        except AnswersFileError as error:
            # Name the file the user chose, not our temporary copy.
            name = Path(upload.name or "").name
            raise AnswersFileError([p.replace(copy.name, name) for p in error.problems]) from None
    data, label = unwrap_export(data)
    slug, version = bank_key(data)
    bank = question_bank(slug, version)
    if bank is None:
        raise AnswersFileError([BANK_NOT_LOADED.format(key=f"{slug}@{version}")])
    given = parse_answers_file(data, bank.bank())
    if problems := import_problems(given, TEXT_LIMITS):
        raise AnswersFileError(problems)
    return ImportedAssessment(bank=bank, given=given, label=label)


def assessment_import(
    *,
    team: Team,
    bank: QuestionBank,
    label: str,
    given: AssessmentInput,
    by: User,
) -> Assessment:
    """A draft holding an imported file's answers, team and targets, for review and submission
    here. Called only with a fully checked file, so nothing is ever half-imported."""
    with transaction.atomic():
        assessment = assessment_start(
            team=team,
            bank=bank,
            label=label,
            targets=dict(given.targets),
            by=by,
            detail="imported from a file",
        )
        assessment.composition = {
            role: presence.value
            for role, presence in given.team.items()
            if presence != Presence.UNKNOWN
        }
        assessment.save(update_fields=["composition"])
        answers_save(
            assessment=assessment,
            respondent=assessment.respondents.get(is_lead=True),
            changes={code: AnswerData.of(answer) for code, answer in given.answers.items()},
            by=by,
        )
    return assessment
