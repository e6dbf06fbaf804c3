"""An assessment as CSV (one row per question) and as JSON (everything needed to rebuild it)."""

from __future__ import annotations

import csv
import io
from typing import Any

from assessment.models import Answer, Assessment
from assessment.scoring.types import Bank

EXPORT_FORMAT = "mlops-maturity-assessment"
EXPORT_FORMAT_VERSION = 1
CSV_COLUMNS = ["code", "phase", "level", "statement", "answer", "evidence", "note", "na_reason"]
# Spreadsheet programs run a cell that starts with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def assessment_csv(bank: Bank, answers: dict[str, Answer]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for q in bank.questions:
        answer = answers.get(q.code)
        writer.writerow(
            [
                _cell(v)
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


def answers_file_data(assessment: Assessment, answers: dict[str, Answer]) -> dict[str, Any]:
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
        "bank": assessment.bank.key,
        "answers": entries,
        "team": dict(assessment.composition),
        "targets": dict(assessment.targets),
    }


def assessment_json(assessment: Assessment, answers: dict[str, Answer]) -> dict[str, Any]:
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_FORMAT_VERSION,
        "organization": assessment.team.organization.name,
        "team": assessment.team.name,
        "label": assessment.label,
        "status": assessment.status,
        "created_at": assessment.created_at.isoformat(),
        "submitted_at": assessment.submitted_at.isoformat() if assessment.submitted_at else None,
        "bank": assessment.bank.key,
        "engine_version": assessment.engine_version or None,
        "input": answers_file_data(assessment, answers),
        "result": assessment.result,
    }


def export_filename(assessment: Assessment, extension: str) -> str:
    def slug(text: str) -> str:
        return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")

    return f"{slug(assessment.team.name)}-{slug(assessment.label)}.{extension}"
