"""The roadmap: the recommendations as the 30/60/90-day plan the engine laid out, or, for a
result scored before the plan existed, grouped by the level they build towards."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.reports.prose import join_names, plural
from assessment.reports.result_view import RecommendationView, ResultView
from assessment.scoring.engine import level_label
from assessment.scoring.types import Bank

PERIOD_INTROS = {
    30: "What blocks the next level, then the quick wins: start these now.",
    60: "Next, once the first month's actions are under way.",
    90: "To finish the quarter.",
    None: "Beyond the quarter: worth doing, but not before the rest.",
}


@dataclass(frozen=True)
class RoadmapItem:
    number: int
    rec: RecommendationView
    unlocks: bool  # False: the level is already reached and this practice strengthens it


@dataclass(frozen=True)
class RoadmapGroup:
    anchor: str  # "roadmap-30", "roadmap-level-1"
    title: str  # "First 30 days", or "Level 1 – ML pipeline automation"
    intro: str
    items: tuple[RoadmapItem, ...]


def build_roadmap(view: ResultView, bank: Bank) -> tuple[RoadmapGroup, ...]:
    phase_levels = {phase.code: phase.level for phase in view.phases}
    items = []
    for number, rec in enumerate(view.recommendations, start=1):
        reached = phase_levels[rec.phase]
        items.append(RoadmapItem(number, rec, reached is None or reached < rec.level))
    if view.plan:
        return _by_period(view, items)
    return _by_level(view, bank, items)


def _by_period(view: ResultView, items: list[RoadmapItem]) -> tuple[RoadmapGroup, ...]:
    groups = []
    for period in view.plan:
        members = tuple(item for item in items if item.rec.period == period.days)
        groups.append(
            RoadmapGroup(
                anchor=f"roadmap-{period.days or 'later'}",
                title=period.title,
                intro=f"{plural(len(members), 'action')}. {PERIOD_INTROS[period.days]}",
                items=members,
            )
        )
    return tuple(groups)


def _by_level(view: ResultView, bank: Bank, items: list[RoadmapItem]) -> tuple[RoadmapGroup, ...]:
    order = {phase.name: index for index, phase in enumerate(view.phases)}
    by_level: dict[int, list[RoadmapItem]] = {}
    for item in items:
        by_level.setdefault(item.rec.level, []).append(item)
    groups = []
    for level, members in sorted(by_level.items()):
        unlocking = sorted({i.rec.phase_name for i in members if i.unlocks}, key=order.__getitem__)
        strengthening = sorted(
            {i.rec.phase_name for i in members if not i.unlocks}, key=order.__getitem__
        )
        parts = []
        if unlocking:
            parts.append(f"needed for level {level} in {join_names(unlocking)}")
        if strengthening:
            where = join_names(strengthening)
            parts.append(f"strengthening level {level} where it is already reached ({where})")
        intro = f"{plural(len(members), 'practice')}: " + "; ".join(parts) + "."
        groups.append(
            RoadmapGroup(
                anchor=f"roadmap-level-{level}",
                title=level_label(bank, level),
                intro=intro[0].upper() + intro[1:],
                items=tuple(members),
            )
        )
    return tuple(groups)
