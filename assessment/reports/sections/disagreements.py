"""Where the team disagreed: the questions a team's answers split on, and how the lead settled
them. Anonymous ("Respondent 2") unless the lead chose to name respondents."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.scoring.consensus import Position, TeamSnapshot
from assessment.scoring.types import Bank

NOT_SETTLED = "Not settled"


@dataclass(frozen=True)
class TeamAnswer:
    who: str  # "Respondent 2 (Data scientist)", or the person's name when the lead chose so
    answer: str
    note: str


@dataclass(frozen=True)
class Disagreement:
    """A question the team's answers split on, and how the lead settled it."""

    code: str
    statement: str
    answers: tuple[TeamAnswer, ...]
    final: str
    why: str


def build_disagreements(
    bank: Bank, snapshot: TeamSnapshot, *, named: bool
) -> tuple[Disagreement, ...]:
    def who(position: Position) -> str:
        name = position.name if named else f"Respondent {position.number}"
        return f"{name} ({position.role})" if position.role else name

    disagreements = []
    for flagged in snapshot.flagged:
        question = bank.question(flagged.code)
        disagreements.append(
            Disagreement(
                code=flagged.code,
                statement=question.statement,
                answers=tuple(
                    TeamAnswer(
                        who=who(position),
                        answer=position.value.label_at(question.level),
                        note=position.note,
                    )
                    for position in flagged.positions
                ),
                final=flagged.final.label_at(question.level) if flagged.final else NOT_SETTLED,
                why=flagged.why,
            )
        )
    return tuple(disagreements)
