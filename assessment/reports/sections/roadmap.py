"""The roadmap: the recommendations grouped by the level they build towards."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.reports.prose import join_names, plural
from assessment.reports.result_view import RecommendationView, ResultView
from assessment.scoring.engine import level_label
from assessment.scoring.types import Bank


@dataclass(frozen=True)
class RoadmapItem:
    number: int
    rec: RecommendationView
    unlocks: bool  # False: the level is already reached and this practice strengthens it


@dataclass(frozen=True)
class RoadmapGroup:
    level: int
    title: str  # "Level 1 – ML pipeline automation"
    intro: str
    items: tuple[RoadmapItem, ...]


def build_roadmap(view: ResultView, bank: Bank) -> tuple[RoadmapGroup, ...]:
    phase_levels = {phase.code: phase.level for phase in view.phases}
    order = {phase.name: index for index, phase in enumerate(view.phases)}
    by_level: dict[int, list[RoadmapItem]] = {}
    for number, rec in enumerate(view.recommendations, start=1):
        reached = phase_levels[rec.phase]
        unlocks = reached is None or reached < rec.level
        by_level.setdefault(rec.level, []).append(RoadmapItem(number, rec, unlocks))
    groups = []
    for level, items in sorted(by_level.items()):
        unlocking = sorted({i.rec.phase_name for i in items if i.unlocks}, key=order.__getitem__)
        strengthening = sorted(
            {i.rec.phase_name for i in items if not i.unlocks}, key=order.__getitem__
        )
        parts = []
        if unlocking:
            parts.append(f"needed for level {level} in {join_names(unlocking)}")
        if strengthening:
            where = join_names(strengthening)
            parts.append(f"strengthening level {level} where it is already reached ({where})")
        intro = f"{plural(len(items), 'practice')}: " + "; ".join(parts) + "."
        groups.append(
            RoadmapGroup(
                level=level,
                title=level_label(bank, level),
                intro=intro[0].upper() + intro[1:],
                items=tuple(items),
            )
        )
    return tuple(groups)
