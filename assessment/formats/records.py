"""Stored answers and assessments as plain values, so formats, forms and the report read one
shape whether the answers came from one respondent or were settled by a team's lead."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from assessment.scoring.types import Answer, AnswerValue


@dataclass(frozen=True)
class AnswerRecord:
    """One stored answer. `value` is "" while only evidence or a note has been typed."""

    value: str
    evidence: str = ""
    note: str = ""
    reason: str = ""
    # Brought over from another bank version and not yet confirmed (banks/mapping.Carry value).
    carried: str = ""
    carried_from: str = ""

    @property
    def answered(self) -> bool:
        return bool(self.value)

    def scored(self) -> Answer:
        """The engine's view of it; only for answered records."""
        return Answer(
            value=AnswerValue(self.value),
            evidence=self.evidence,
            note=self.note,
            reason=self.reason,
        )


@dataclass(frozen=True)
class AssessmentRecord:
    """What an export says about the assessment around its answers."""

    organization: str
    team: str
    label: str
    status: str
    created_at: datetime
    submitted_at: datetime | None
    bank_key: str
    engine_version: str
    composition: dict[str, str]
    targets: dict[str, int]
    result: dict[str, Any] | None
