"""A team's levels and percentages over time, as SVG (same rules as charts.py: presentation
attributes only, title and description, readable without colour)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assessment.charts.svg import (
    ACCENT,
    INK,
    MUTED,
    RULE,
    WIDTH,
    coord,
    svg_line,
    svg_root,
    svg_text,
)

# Phases are told apart by dash pattern as well as shade, so the chart survives greyscale print.
PHASE_STYLES = (("#2f6f4f", "7 3"), ("#8a4b08", "2 3"), ("#5b3f8c", "10 3 2 3"))
LEFT, RIGHT, TOP = 96, 120, 16


@dataclass(frozen=True)
class TrendPoint:
    label: str  # the assessment's label, e.g. "2026 Q3"
    overall: int | None
    phases: dict[str, tuple[int | None, float | None]]  # phase code -> (level, percent)


def _x(index: int, count: int) -> float:
    span = WIDTH - LEFT - RIGHT
    return LEFT + (span * index / (count - 1) if count > 1 else span / 2)


def _points(coords: list[tuple[float, float]]) -> str:
    return " ".join(f"{coord(x)},{coord(y)}" for x, y in coords)


def _polyline(coords: list[tuple[float, float]], colour: str, width: float, dash: str) -> str:
    dashed = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<polyline points="{_points(coords)}" fill="none" stroke="{colour}" '
        f'stroke-width="{coord(width)}"{dashed}/>'
    )


def _marker(x: float, y: float, colour: str) -> str:
    return f'<circle cx="{coord(x)}" cy="{coord(y)}" r="3.5" fill="{colour}"/>'


def level_trend_chart(
    points: Sequence[TrendPoint],
    phases: Sequence[tuple[str, str]],  # (code, name)
    levels: Sequence[tuple[int, str]],  # (number, name)
    *,
    chart_id: str = "level-trend",
) -> str:
    """Overall level (thick line) and each phase's level, assessment by assessment."""
    rows = [(-1, "Not yet 0")] + [(n, f"Level {n}") for n, _ in levels]
    step = 44
    height = TOP + step * (len(rows) - 1) + 60

    def y(level: int | None, offset: float = 0.0) -> float:
        rank = -1 if level is None else level
        return TOP + step * (len(rows) - 1 - (rank + 1)) + offset

    parts = []
    for rank, name in rows:
        parts.append(svg_line(LEFT, y(rank), WIDTH - RIGHT, y(rank), stroke=RULE, width=0.6))
        parts.append(svg_text(LEFT - 10, y(rank) + 4, name, size=11, fill=MUTED, anchor="end"))
    for index, point in enumerate(points):
        parts.append(
            svg_text(
                _x(index, len(points)), height - 30, point.label, size=11, fill=INK, anchor="middle"
            )
        )
    labels: list[tuple[float, str, str, str]] = []
    for number, (code, name) in enumerate(phases):
        colour, dash = PHASE_STYLES[number % len(PHASE_STYLES)]
        offset = (number - (len(phases) - 1) / 2) * 5  # keep equal levels from hiding each other
        coords = [
            (_x(i, len(points)), y(p.phases.get(code, (None, None))[0], offset))
            for i, p in enumerate(points)
        ]
        parts.append(_polyline(coords, colour, 1.6, dash))
        parts.extend(_marker(x, yy, colour) for x, yy in coords)
        labels.append((coords[-1][1] + 4, name, colour, "400"))
    overall = [(_x(i, len(points)), y(p.overall)) for i, p in enumerate(points)]
    parts.append(_polyline(overall, ACCENT, 3.2, ""))
    parts.extend(_marker(x, yy, ACCENT) for x, yy in overall)
    labels.append((overall[-1][1] + 4, "Overall", ACCENT, "600"))
    parts.extend(_end_labels(overall[-1][0] + 10, labels))

    def says(level: int | None) -> str:
        return "not yet level 0" if level is None else f"level {level}"

    desc = "; ".join(
        f"{p.label}: overall {says(p.overall)}, "
        + ", ".join(f"{name} {says(p.phases.get(code, (None, None))[0])}" for code, name in phases)
        for p in points
    )
    return svg_root(chart_id, "Maturity level over time", desc, height, parts)


def percent_trend_chart(
    points: Sequence[TrendPoint],
    phases: Sequence[tuple[str, str]],
    *,
    chart_id: str = "percent-trend",
) -> str:
    """Each phase's share of points over time, all its levels together. No threshold line: the
    threshold applies to one level's cell, not to this share, and drawing it here suggested a
    team below it had failed."""
    plot = 160
    height = TOP + plot + 56

    def y(percent: float | None) -> float:
        return TOP + plot * (1 - (percent or 0.0) / 100)

    parts = []
    labels: list[tuple[float, str, str, str]] = []
    for tick in (0, 25, 50, 75, 100):
        parts.append(svg_line(LEFT, y(tick), WIDTH - RIGHT, y(tick), stroke=RULE, width=0.6))
        parts.append(
            svg_text(LEFT - 10, y(tick) + 4, f"{tick}\u00a0%", size=11, fill=MUTED, anchor="end")
        )
    for index, point in enumerate(points):
        parts.append(
            svg_text(
                _x(index, len(points)), height - 24, point.label, size=11, fill=INK, anchor="middle"
            )
        )
    for number, (code, name) in enumerate(phases):
        colour, dash = PHASE_STYLES[number % len(PHASE_STYLES)]
        coords = [
            (_x(i, len(points)), y(p.phases.get(code, (None, None))[1]))
            for i, p in enumerate(points)
        ]
        parts.append(_polyline(coords, colour, 1.8, dash))
        parts.extend(_marker(x, yy, colour) for x, yy in coords)
        last = points[-1].phases.get(code, (None, None))[1]
        label = f"{name} {last:.0f}\u00a0%" if last is not None else name
        labels.append((coords[-1][1] + 4, label, colour, "400"))
    parts.extend(_end_labels(_x(len(points) - 1, len(points)) + 10, labels))
    desc = "; ".join(
        f"{p.label}: "
        + ", ".join(
            f"{name} {_percent(p.phases.get(code, (None, None))[1])}" for code, name in phases
        )
        for p in points
    )
    return svg_root(
        chart_id, "Share of each phase's points over time, all levels together", desc, height, parts
    )


def _end_labels(x: float, labels: list[tuple[float, str, str, str]]) -> list[str]:
    """Line-end labels, nudged apart so lines ending at one height do not print over each other."""
    gap = 13
    placed: list[str] = []
    previous = float("-inf")
    for y, text, colour, weight in sorted(labels):
        y = max(y, previous + gap)
        placed.append(svg_text(x, y, text, size=11, fill=colour, weight=weight))
        previous = y
    return placed


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} %"
