"""Did the actions a team finished move its answers? Pure Python, codes only.

An action names the practices (question codes) it addresses. Between two submitted results, a
practice *improved* when it earned more points after than before, or was already fully in place
and stayed so. An action done in between is then:

- ``REFLECTED``: every practice it addresses that both results ask improved;
- ``PARTLY``: some did and some did not;
- ``NOT_REFLECTED``: none did (the work is not visible in the answers yet);
- ``UNMATCHED``: no practice it addresses is asked by both results (an action of the lead's own
  with no practice, or a question the newer bank dropped), so the answers cannot tell.

Points, not answer words, decide: "partly" to "mostly" is progress even though neither is "in
place"; a practice that went to "does not apply" (no points) is not counted either way.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from assessment.scoring.results import Result

IN_PLACE_POINTS = 1.0


class Reflection(StrEnum):
    REFLECTED = "reflected"
    PARTLY = "partly"
    NOT_REFLECTED = "not_reflected"
    UNMATCHED = "unmatched"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Reflection.REFLECTED: "Done and reflected in the answers",
    Reflection.PARTLY: "Done, partly reflected in the answers",
    Reflection.NOT_REFLECTED: "Done but not reflected in the answers",
    Reflection.UNMATCHED: "Done; no practice it addresses is asked in both assessments",
}


@dataclass(frozen=True)
class DoneAction:
    """What the follow-up needs of an action marked done between the two submissions."""

    id: int
    title: str
    practices: tuple[str, ...]


@dataclass(frozen=True)
class PracticeMove:
    code: str
    before: float | None  # points as scored (unanswered: 0); None: not asked, or not applicable
    after: float | None

    @property
    def comparable(self) -> bool:
        return self.before is not None and self.after is not None

    @property
    def improved(self) -> bool:
        if self.before is None or self.after is None:
            return False
        return self.after > self.before or min(self.before, self.after) >= IN_PLACE_POINTS


@dataclass(frozen=True)
class FollowUp:
    action: DoneAction
    reflection: Reflection
    moves: tuple[PracticeMove, ...]  # one per practice it addresses, in its order


def follow_up(
    actions: tuple[DoneAction, ...],
    before: Result,
    after: Result,
    continued: Mapping[str, str] | None = None,
) -> tuple[FollowUp, ...]:
    """Each action's verdict, in the order given. `continued` maps a code of `after`'s bank to
    the earlier code it continues (`banks.mapping.continued_codes`), so a renamed practice is
    matched with its earlier self."""
    earlier = dict(continued or {})
    # An action names codes of the bank it was accepted from, which may be the earlier one.
    later = {old: new for new, old in earlier.items()}
    points_before = _points(before)
    points_after = _points(after)
    results = []
    for action in actions:
        moves = []
        for code in action.practices:
            after_code = code if code in points_after else later.get(code, code)
            before_code = earlier.get(after_code, after_code)
            moves.append(
                PracticeMove(
                    code=after_code,
                    before=points_before.get(before_code),
                    after=points_after.get(after_code),
                )
            )
        results.append(FollowUp(action, _verdict(moves), tuple(moves)))
    return tuple(results)


def _verdict(moves: list[PracticeMove]) -> Reflection:
    comparable = [move for move in moves if move.comparable]
    if not comparable:
        return Reflection.UNMATCHED
    improved = sum(move.improved for move in comparable)
    if improved == len(comparable):
        return Reflection.REFLECTED
    return Reflection.PARTLY if improved else Reflection.NOT_REFLECTED


def _points(result: Result) -> dict[str, float | None]:
    """Question code -> the points the engine counted (None when not applicable)."""
    return {
        trace.code: trace.points
        for phase in result.phases
        for cell in phase.cells
        for trace in cell.answers
    }
