"""Team answering: how far respondents' answers to one question disagree, and the answer a lead
starts from (pure Python over answer values "0", "0.5", "1", "na", "unknown"); and the snapshot
of a team's disagreements that its report keeps."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from assessment.scoring.types import AnswerValue

# Answers at least this far apart (in points) are flagged for the lead.
DISAGREEMENT = 0.5


def _points(values: Sequence[str]) -> list[float]:
    """The points of the answers that take a position on the practice ("don't know" takes none)."""
    scored = []
    for value in values:
        points = AnswerValue(value).points
        if points is not None and value != AnswerValue.UNKNOWN:
            scored.append(points)
    return scored


def spread(values: Sequence[str]) -> float | None:
    """Highest minus lowest points among the answers that score; None with fewer than two."""
    scored = _points(values)
    return max(scored) - min(scored) if len(scored) > 1 else None


def disagrees(values: Sequence[str]) -> bool:
    """Flag a question when answers are 0.5 or more apart, or when some respondents find the
    practice not applicable while others score it."""
    gap = spread(values)
    if gap is not None and gap >= DISAGREEMENT:
        return True
    return AnswerValue.NOT_APPLICABLE in values and bool(_points(values))


def default_final(values: Sequence[str]) -> str:
    """Where the lead starts: the median of the scored answers, rounded down to a valid answer
    (0.25 becomes 0, 0.75 becomes 0.5), so a split team never rounds itself up. Without scored
    answers: "na" if anyone said so, else "unknown"."""
    scored = _points(values)
    if scored:
        median = math.floor(statistics.median(scored) * 2) / 2
        return {0.0: "0", 0.5: "0.5", 1.0: "1"}[median]
    if AnswerValue.NOT_APPLICABLE in values:
        return AnswerValue.NOT_APPLICABLE.value
    return AnswerValue.UNKNOWN.value


# --- what a team assessment's report keeps of its answers ------------------------------------


@dataclass(frozen=True)
class Position:
    """One respondent's answer to a flagged question, numbered in respondent order (the lead is
    1) so the report can stay anonymous."""

    number: int
    name: str
    role: str  # the role's name in the bank ("Data scientist"), "lead", or ""
    value: AnswerValue
    note: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "name": self.name,
            "role": self.role,
            "value": self.value.value,
            "note": self.note,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Position:
        return cls(
            number=int(data["number"]),
            name=str(data["name"]),
            role=str(data["role"]),
            value=AnswerValue(data["value"]),
            note=str(data["note"]),
        )


@dataclass(frozen=True)
class FlaggedQuestion:
    """A question the team's answers split on, and how the lead settled it."""

    code: str
    positions: tuple[Position, ...]
    final: AnswerValue | None  # None: not settled
    why: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "answers": [position.to_dict() for position in self.positions],
            "final": self.final.value if self.final else None,
            "why": self.why,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FlaggedQuestion:
        return cls(
            code=str(data["code"]),
            positions=tuple(Position.from_dict(p) for p in data["answers"]),
            final=AnswerValue(data["final"]) if data["final"] else None,
            why=str(data["why"]),
        )


@dataclass(frozen=True)
class TeamSnapshot:
    """A team assessment's disagreements, frozen at submission so a reopened assessment's
    report keeps showing what was settled then. Stored as `to_dict()`."""

    flagged: tuple[FlaggedQuestion, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"flagged": [question.to_dict() for question in self.flagged]}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> TeamSnapshot:
        # A bare list is how the previous release stored it; while an upgrade rolls out, its web
        # workers may still write one after migration 0008 has converted the rest.
        flagged = data if isinstance(data, Sequence) else data["flagged"]
        return cls(flagged=tuple(FlaggedQuestion.from_dict(q) for q in flagged))
