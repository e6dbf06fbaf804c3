"""The report's charts at a glance: each phase's level against its target, and every phase ×
level cell's score against the threshold (rules in svg.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from assessment.charts.svg import (
    ACCENT,
    ACCENT_LIGHT,
    INK,
    MUTED,
    NBSP,
    RULE,
    WIDTH,
    svg_line,
    svg_rect,
    svg_root,
    svg_text,
)


@dataclass(frozen=True)
class PhaseLevels:
    """One phase in the level chart."""

    name: str
    level: int | None  # None: not yet level 0
    target: int
    target_given: bool


@dataclass(frozen=True)
class CellScore:
    """One phase × level cell in the score chart."""

    level: int
    percent: float | None  # None: no question applies
    met: bool
    # Engine 2's level 0: every practice must be in place, so the bar is the share in place.
    in_place: int | None = None
    applicable: int = 0


@dataclass(frozen=True)
class PhaseScores:
    name: str
    cells: tuple[CellScore, ...]


def level_chart(
    phases: Sequence[PhaseLevels],
    levels: Sequence[tuple[int, str]],
    *,
    chart_id: str = "levels-chart",
    title: str = "Current and target level per phase",
) -> str:
    """One row of level segments per phase: filled up to the level reached, dashed up to the
    target, plain outline beyond it; each row ends with its figures in words."""
    numbers = [number for number, _ in levels]
    label_w, text_w, row_h, gap, top = 150, 180, 34, 6, 30
    track_w = WIDTH - label_w - text_w
    seg_w = (track_w - gap * (len(numbers) - 1)) / max(len(numbers), 1)
    legend_y = top + row_h * len(phases) + 10
    height = legend_y + 20
    # Few text elements on purpose: each costs the PDF renderer far more than a shape.
    parts: list[str] = []
    for index, number in enumerate(numbers):
        x = label_w + index * (seg_w + gap) + seg_w / 2
        parts.append(svg_text(x, 18, f"Level {number}", size=11, fill=MUTED, anchor="middle"))
    for row, phase in enumerate(phases):
        y = top + row * row_h
        parts.append(svg_text(0, y + 19, phase.name, size=13, weight="600", fill=INK))
        reached = -1 if phase.level is None else phase.level
        for index, number in enumerate(numbers):
            x = label_w + index * (seg_w + gap)
            if number <= reached:
                parts.append(svg_rect(x, y + 4, seg_w, 22, fill=ACCENT, stroke=ACCENT))
            elif number <= phase.target:
                parts.append(
                    svg_rect(
                        x, y + 4, seg_w, 22, fill="#ffffff", stroke=ACCENT, dash="5 3", width=1.6
                    )
                )
            else:
                parts.append(svg_rect(x, y + 4, seg_w, 22, fill="#ffffff", stroke=RULE))
        status = "Not yet level 0" if phase.level is None else f"Level {phase.level}"
        parts.append(
            svg_text(
                WIDTH - text_w + 12, y + 19, f"{status} · target {phase.target}", size=12, fill=INK
            )
        )
    legend = (
        ("reached", {"fill": ACCENT, "stroke": ACCENT}),
        ("up to the target", {"fill": "#ffffff", "stroke": ACCENT, "dash": "5 3", "width": 1.6}),
        ("beyond the target", {"fill": "#ffffff", "stroke": RULE}),
    )
    x = label_w
    for text, style in legend:
        parts.append(svg_rect(x, legend_y, 18, 12, **style))
        parts.append(svg_text(x + 24, legend_y + 10, text, size=11, fill=MUTED))
        x += 24 + 6 * len(text) + 24

    described = " ".join(
        f"{phase.name}: "
        + ("not yet level 0" if phase.level is None else f"level {phase.level}")
        + f", target level {phase.target}"
        + ("." if phase.target_given else " (the next level).")
        for phase in phases
    )
    names = "; ".join(f"level {number}: {name}" for number, name in levels)
    return svg_root(chart_id, title, f"{described} Levels: {names}.", height, parts)


def score_chart(
    phases: Sequence[PhaseScores],
    threshold: float,
    *,
    chart_id: str = "scores-chart",
    title: str = "Share of points per phase and level",
) -> str:
    """A horizontal bar per cell, 0 to 100 %, with the threshold marked: solid bars are met,
    light bars are not, and each bar says its level, its percent and "met" or "not met"."""
    label_w, text_w, bar_h, row_gap, group_gap, top = 150, 180, 14, 5, 12, 22
    track_w = WIDTH - label_w - text_w
    rows = sum(len(phase.cells) for phase in phases)
    bottom = top + rows * (bar_h + row_gap) - row_gap + max(len(phases) - 1, 0) * group_gap
    # Back to front: the tracks, the scale, the bars and their figures, the threshold.
    parts: list[str] = []
    y = top
    for phase in phases:
        for _cell in phase.cells:
            parts.append(svg_rect(label_w, y, track_w, bar_h, fill="#f1f4f7", stroke="none"))
            y += bar_h + row_gap
        y += group_gap
    for tick in (0, 50, 100):
        x = label_w + track_w * tick / 100
        parts.append(svg_line(x, top - 4, x, bottom, stroke=RULE, width=0.8))
    for tick in (0, 100):
        x = label_w + track_w * tick / 100
        parts.append(svg_text(x, top - 8, f"{tick}{NBSP}%", size=10, fill=MUTED, anchor="middle"))
    described: list[str] = []
    y = top
    for phase in phases:
        parts.append(svg_text(0, y + 11, phase.name, size=13, weight="600", fill=INK))
        for cell in phase.cells:
            if cell.percent is None:
                figure = "no applicable question"
            else:
                share = (
                    100 * cell.in_place / cell.applicable
                    if cell.in_place is not None and cell.applicable
                    else cell.percent
                )
                bar = track_w * max(0.0, min(share, 100.0)) / 100
                if cell.met:
                    parts.append(svg_rect(label_w, y, bar, bar_h, fill=ACCENT, stroke=ACCENT))
                elif bar > 0:
                    parts.append(svg_rect(label_w, y, bar, bar_h, fill=ACCENT_LIGHT, stroke=ACCENT))
                status = "met" if cell.met else "not met"
                figure = (
                    f"{cell.in_place} of {cell.applicable} in place · {status}"
                    if cell.in_place is not None
                    else f"{cell.percent:.0f}{NBSP}% · {status}"
                )
            figure = f"Level {cell.level}: {figure}"
            parts.append(
                svg_text(
                    label_w + track_w + 10,
                    y + 11,
                    figure,
                    size=11,
                    fill=INK,
                    weight="600" if cell.met else "400",
                )
            )
            described.append(f"{phase.name} {figure.replace(NBSP, ' ')}")
            y += bar_h + row_gap
        y += group_gap
    x = label_w + track_w * threshold / 100
    parts.append(svg_line(x, top - 4, x, bottom + 4, stroke=INK, width=1.4, dash="4 3"))
    parts.append(
        svg_text(
            x, bottom + 17, f"threshold {threshold:g}{NBSP}%", size=11, fill=INK, anchor="middle"
        )
    )
    desc = f"Threshold {threshold:g} %. " + "; ".join(described) + "."
    return svg_root(chart_id, title, desc, bottom + 24, parts)
