"""Did the actions a team finished move its answers? Pure Python, codes only.

An action names the practices (question codes) it addresses. Between two submitted results, a
practice *improved* when it earned more points after than before, or was already fully in place
and stayed so. An action done in between is then:

- ``REFLECTED``: every practice it addresses that both results ask improved;
- ``PARTLY``: some did and some did not;
- ``NOT_REFLECTED``: none did (the work is not visible in the answers yet);
- ``UNMATCHED``: no practice it addresses was scored in both results (an action of the lead's
  own with no practice, a question the newer bank dropped, or one not applicable on one side),
  so the answers cannot tell.

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
    Reflection.UNMATCHED: (
        "Done; the answers cannot tell (no practice it addresses was scored in both)"
    ),
}


@dataclass(frozen=True)
class DoneAction:
    """What the follow-up needs of an action marked done between the two submissions."""

    id: int
    title: str
    practices: tuple[str, ...]


@dataclass(frozen=True)
class PracticeMove:
    code: str  # in the later result's bank
    earlier: str  # the code it had in the earlier result (the same unless renamed, split, merged)
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
    lineage: Mapping[str, tuple[str, ...]] | None = None,
) -> tuple[FollowUp, ...]:
    """Each action's verdict, in the order given. `lineage` maps a code of `after`'s bank to
    every earlier code it continues (`banks.mapping.predecessors`), so a practice renamed, split
    or merged in a newer bank version is matched with its earlier self: an action naming a
    practice that was split is judged on each of its successors."""
    lineage = lineage or {}
    points_before = _points(before)
    points_after = _points(after)
    results = []
    for action in actions:
        moves = []
        for code in action.practices:
            # An action names codes of the bank it was accepted from, which may be the earlier.
            successors = [code] if code in points_after else _successors(code, lineage)
            for later in successors:
                earlier_codes = lineage.get(later, ())
                earlier = code if code in earlier_codes else next(iter(earlier_codes), later)
                moves.append(
                    PracticeMove(
                        code=later,
                        earlier=earlier,
                        before=points_before.get(earlier),
                        after=points_after.get(later),
                    )
                )
        results.append(FollowUp(action, _verdict(moves), tuple(moves)))
    return tuple(results)


def _successors(code: str, lineage: Mapping[str, tuple[str, ...]]) -> list[str]:
    """The later codes that continue `code`; itself when none does (then it is not asked)."""
    return [later for later, earlier in lineage.items() if code in earlier] or [code]


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
