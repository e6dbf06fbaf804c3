"""An assessment as CSV (one row per question) and as JSON (everything needed to rebuild it),
and reading such a JSON back. Pure Python: the caller hands in plain records."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

from assessment.formats.answers_file import AnswersFileError
from assessment.formats.records import AnswerRecord, AssessmentRecord
from assessment.scoring.types import AssessmentInput, Bank

EXPORT_FORMAT = "mlops-maturity-assessment"
EXPORT_FORMAT_VERSION = 1
CSV_COLUMNS = ["code", "phase", "level", "statement", "answer", "evidence", "note", "na_reason"]
CUSTOM_THRESHOLD = (
    "threshold: assessments here are scored at 80 %; remove the threshold, or score the file "
    "with `score_answers` instead"
)
TEXT_TOO_LONG = "{where}: {length} characters; at most {limit}"
BAD_EXPORT = "input: an exported assessment must hold its answers under `input`"
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@")
# What spreadsheets skip before deciding that a cell holds a formula: whitespace and line breaks
# of every kind (no-break spaces included), and invisible format characters (zero-width spaces
# and joiners, direction marks, the byte-order mark).
_LEADING_BLANKS = re.compile(r"^[\s\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+")


def csv_cell(value: object) -> str:
    """A value safe to open in a spreadsheet. Text that a spreadsheet could run as a formula is
    kept as text by a leading apostrophe: one that starts with = + - @ (full-width forms too),
    even behind blanks or invisible characters, or that starts with a tab or a line break."""
    text = "" if value is None else str(value)
    first = unicodedata.normalize("NFKC", _LEADING_BLANKS.sub("", text)[:1])
    if first in _FORMULA_STARTS or text[:1] in ("\t", "\r", "\n"):
        return "'" + text
    return text


def assessment_csv(bank: Bank, answers: Mapping[str, AnswerRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for q in bank.questions:
        answer = answers.get(q.code)
        writer.writerow(
            [
                csv_cell(v)
                for v in (
                    q.code,
                    q.phase,
                    q.level,
                    q.statement,
                    answer.value if answer else "",
                    answer.evidence if answer else "",
                    answer.note if answer else "",
                    answer.reason if answer else "",
                )
            ]
        )
    return out.getvalue()


def answers_file_data(
    record: AssessmentRecord, answers: Mapping[str, AnswerRecord]
) -> dict[str, Any]:
    """The assessment's input in the answers-file format (docs/scoring.md), so `score_answers`
    and the import read it back."""
    entries: dict[str, Any] = {}
    for code, answer in answers.items():
        if not answer.value:
            continue
        entry: dict[str, str] = {"value": answer.value}
        for field in ("evidence", "note", "reason"):
            if getattr(answer, field):
                entry[field] = getattr(answer, field)
        entries[code] = entry
    return {
        "bank": record.bank_key,
        "answers": entries,
        "team": dict(record.composition),
        "targets": dict(record.targets),
    }


def assessment_json(
    record: AssessmentRecord, answers: Mapping[str, AnswerRecord]
) -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "organization": record.organization,
        "team": record.team,
        "label": record.label,
        "status": record.status,
        "created_at": record.created_at.isoformat(),
        "submitted_at": record.submitted_at.isoformat() if record.submitted_at else None,
        "bank": record.bank_key,
        "engine_version": record.engine_version or None,
        "input": answers_file_data(record, answers),
        "result": record.result,
    }


def export_filename(team: str, label: str, extension: str) -> str:
    def slug(text: str) -> str:
        return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")

    return f"{slug(team)}-{slug(label)}.{extension}"


def unwrap_export(data: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """An answers file as it stands, or the answers inside one of our exports with its label."""
    if data.get("format") != EXPORT_FORMAT:
        return data, ""
    inner = data.get("input")
    if not isinstance(inner, dict):
        raise AnswersFileError([BAD_EXPORT])
    return inner, str(data.get("label") or "")[:100]


def import_problems(given: AssessmentInput, limits: Mapping[str, int]) -> list[str]:
    """What stops a checked answers file from becoming an assessment here: a custom threshold,
    and texts longer than the web form's limits (so an imported answer can be saved again)."""
    problems = []
    if given.threshold != AssessmentInput().threshold:
        problems.append(CUSTOM_THRESHOLD)
    for code, answer in given.answers.items():
        for field, limit in limits.items():
            length = len(getattr(answer, field))
            if length > limit:
                problems.append(
                    TEXT_TOO_LONG.format(
                        where=f"answers.{code}.{field}", length=length, limit=limit
                    )
                )
    return problems
