"""Reading an assessment JSON (our export) or an answers file into a team, all or nothing."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import UploadedFile

from assessment.exports import EXPORT_FORMAT
from assessment.models import NOTE_MAX_LENGTH, REASON_MAX_LENGTH, QuestionBank
from assessment.scoring.answers_file import (
    AnswersFileError,
    bank_key,
    parse_answers_file,
    read_answers_file,
)
from assessment.scoring.types import AssessmentInput

MAX_IMPORT_BYTES = 2 * 1024 * 1024
TOO_LARGE = "the file is larger than 2 MB; an assessment file is a few kilobytes"
WRONG_TYPE = "use the .json file exported here, or an answers file (.yaml, .yml or .json)"
BANK_NOT_LOADED = (
    "bank: {key} is not loaded on this server; an administrator loads it with "
    "`python manage.py load_question_bank`"
)
CUSTOM_THRESHOLD = (
    "threshold: assessments here are scored at 80 %; remove the threshold, or score the file "
    "with `score_answers` instead"
)
TEXT_TOO_LONG = "{where}: {length} characters; at most {limit}"
BAD_EXPORT = "input: an exported assessment must hold its answers under `input`"


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
    label = ""
    if data.get("format") == EXPORT_FORMAT:
        label = str(data.get("label") or "")[:100]
        data = data.get("input")
        if not isinstance(data, dict):
            raise AnswersFileError([BAD_EXPORT])
    return _checked(data, label)


def _checked(data: dict[str, Any], label: str) -> ImportedAssessment:
    slug, version = bank_key(data)
    bank = QuestionBank.objects.filter(slug=slug, version=version).first()
    if bank is None:
        raise AnswersFileError([BANK_NOT_LOADED.format(key=f"{slug}@{version}")])
    given = parse_answers_file(data, bank.bank())
    problems = []
    if given.threshold != AssessmentInput().threshold:
        problems.append(CUSTOM_THRESHOLD)
    # The web form's limits, so an imported answer can be edited and saved again unchanged.
    for code, answer in given.answers.items():
        for field, limit in (("note", NOTE_MAX_LENGTH), ("reason", REASON_MAX_LENGTH)):
            length = len(getattr(answer, field))
            if length > limit:
                problems.append(
                    TEXT_TOO_LONG.format(
                        where=f"answers.{code}.{field}", length=length, limit=limit
                    )
                )
    if problems:
        raise AnswersFileError(problems)
    return ImportedAssessment(bank=bank, given=given, label=label)
