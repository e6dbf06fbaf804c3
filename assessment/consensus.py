"""Team answering: how far respondents' answers to one question disagree, and the answer a lead
starts from. Pure Python over answer values ("0", "0.5", "1", "na", "unknown")."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

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
