"""What moved between two scoring results of the same team. Pure Python, codes only.

    comparison = compare_results(previous, current)
    comparison.overall.moved              # did the overall level change?
    [p for p in comparison.phases if p.moved]
    comparison.moved_cells                # cells whose percent or met flag changed
    comparison.improved, comparison.regressed, comparison.other

Everything is matched by code (phase code, level number, question code), so two results scored
against different versions of a bank compare on what they share; what only one of them has is
listed in `only_before` / `only_after` instead of being guessed at. Names and sentences are left to
the caller (the report joins them with the bank's words).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessment.scoring.results import AnswerTrace, Result
from assessment.scoring.types import AnswerValue

UP, DOWN, SAME = "up", "down", "same"


def _level_rank(level: int | None) -> int:
    # "Not yet level 0" (None) sits below level 0.
    return -1 if level is None else level


@dataclass(frozen=True)
class LevelChange:
    """A level before and after; `phase` is "" for the overall level."""

    phase: str
    before: int | None
    after: int | None

    @property
    def steps(self) -> int:
        """Levels gained (negative: lost); "not yet level 0" counts as one step below 0."""
        return _level_rank(self.after) - _level_rank(self.before)

    @property
    def direction(self) -> str:
        return UP if self.steps > 0 else DOWN if self.steps < 0 else SAME

    @property
    def moved(self) -> bool:
        return self.steps != 0


@dataclass(frozen=True)
class CellChange:
    """One phase × level cell before and after. Percent is None when no question applied."""

    phase: str
    level: int
    before_percent: float | None
    after_percent: float | None
    before_met: bool
    after_met: bool

    @property
    def percent_delta(self) -> float | None:
        if self.before_percent is None or self.after_percent is None:
            return None
        return round(self.after_percent - self.before_percent, 2)

    @property
    def moved(self) -> bool:
        return self.before_percent != self.after_percent or self.before_met != self.after_met


@dataclass(frozen=True)
class AnswerChange:
    """One question whose counted answer changed. Points are None for "not applicable"."""

    code: str
    before: AnswerValue
    after: AnswerValue
    before_answered: bool
    after_answered: bool
    before_points: float | None
    after_points: float | None


@dataclass(frozen=True)
class Comparison:
    overall: LevelChange
    phases: tuple[LevelChange, ...]  # phases both results have, in the current result's order
    cells: tuple[CellChange, ...]  # every cell both results have, phase by phase, lowest first
    improved: tuple[AnswerChange, ...]  # more points than before, in the current bank's order
    regressed: tuple[AnswerChange, ...]  # fewer points than before
    # Changed without a points order: to or from "not applicable", or between two answers worth
    # the same points ("don't know" and "not in place" both score 0).
    other: tuple[AnswerChange, ...]
    only_before: tuple[str, ...]  # question codes the previous result has and the current lacks
    only_after: tuple[str, ...]
    same_bank: bool

    @property
    def moved_phases(self) -> tuple[LevelChange, ...]:
        return tuple(change for change in self.phases if change.moved)

    @property
    def moved_cells(self) -> tuple[CellChange, ...]:
        return tuple(change for change in self.cells if change.moved)

    @property
    def changed(self) -> bool:
        """Whether anything at all differs between the two results' answers or levels."""
        return bool(
            self.overall.moved
            or self.moved_phases
            or self.moved_cells
            or self.improved
            or self.regressed
            or self.other
        )


def compare_results(
    previous: Result, current: Result, continued: Mapping[str, str] | None = None
) -> Comparison:
    """What changed from `previous` to `current` (two results of one team, oldest first).

    `continued` maps a current question code to the earlier code it continues (from the bank's
    `replaces:`; see `assessment.banks.mapping.continued_codes`), so a renamed question is
    compared with its predecessor instead of being listed as removed and added."""
    before_phases = {phase.code: phase for phase in previous.phases}
    phases: list[LevelChange] = []
    cells: list[CellChange] = []
    for phase in current.phases:
        old = before_phases.get(phase.code)
        if old is None:
            continue
        phases.append(LevelChange(phase.code, old.level, phase.level))
        old_cells = {cell.level: cell for cell in old.cells}
        for cell in phase.cells:
            old_cell = old_cells.get(cell.level)
            if old_cell is not None:
                cells.append(
                    CellChange(
                        phase=phase.code,
                        level=cell.level,
                        before_percent=old_cell.percent,
                        after_percent=cell.percent,
                        before_met=old_cell.met,
                        after_met=cell.met,
                    )
                )

    renamed = {old: new for new, old in (continued or {}).items() if old != new}
    before_traces = {renamed.get(code, code): trace for code, trace in _traces(previous).items()}
    after_traces = _traces(current)
    improved: list[AnswerChange] = []
    regressed: list[AnswerChange] = []
    other: list[AnswerChange] = []
    for code, after in after_traces.items():
        before = before_traces.get(code)
        if before is None or (before.value, before.answered) == (after.value, after.answered):
            continue
        change = AnswerChange(
            code=code,
            before=before.value,
            after=after.value,
            before_answered=before.answered,
            after_answered=after.answered,
            before_points=before.points,
            after_points=after.points,
        )
        if change.before_points is None or change.after_points is None:
            other.append(change)
        elif change.after_points > change.before_points:
            improved.append(change)
        elif change.after_points < change.before_points:
            regressed.append(change)
        else:
            other.append(change)

    return Comparison(
        overall=LevelChange("", previous.overall.level, current.overall.level),
        phases=tuple(phases),
        cells=tuple(cells),
        improved=tuple(improved),
        regressed=tuple(regressed),
        other=tuple(other),
        only_before=tuple(code for code in before_traces if code not in after_traces),
        only_after=tuple(code for code in after_traces if code not in before_traces),
        same_bank=previous.bank_key == current.bank_key,
    )


def _traces(result: Result) -> dict[str, AnswerTrace]:
    """Every question's counted answer, in bank order (phases, then levels, then questions)."""
    return {
        trace.code: trace
        for phase in result.phases
        for cell in phase.cells
        for trace in cell.answers
    }


def question_codes(result: Result) -> set[str]:
    """Every question code a result was scored on, answered or not."""
    return set(_traces(result))
