"""The few figures of a result that dashboards and trends show, and how two of them compare.

Pure Python over `Result.to_dict()`: a summary is stored beside each submitted result, so a
dashboard of hundreds of teams never loads whole results.
"""

from __future__ import annotations

from typing import Any

UP, DOWN, FLAT = "up", "down", "flat"


def result_summary(result: dict[str, Any]) -> dict[str, Any]:
    """The overall level and each phase's level and percent, from a stored `Result.to_dict()`."""
    return {
        "overall": result["overall"]["level"],
        "phases": {
            code: {"level": phase["level"], "percent": phase["percent"]}
            for code, phase in result["phases"].items()
        },
    }


def trend_between(before: dict[str, Any], after: dict[str, Any]) -> str:
    """Up, down or flat between two summaries: by overall level, then by the mean phase
    percent, so a team climbing within a level still shows progress."""
    earlier, later = summary_rank(before), summary_rank(after)
    return UP if later > earlier else DOWN if later < earlier else FLAT


def summary_rank(summary: dict[str, Any]) -> tuple[int, float]:
    """For ordering summaries: the overall level (not yet level 0 lowest), then the mean percent."""
    overall = summary["overall"]
    percents = [p["percent"] or 0.0 for p in summary["phases"].values()]
    mean = round(sum(percents) / len(percents), 1) if percents else 0.0
    return (-1 if overall is None else overall, mean)
