"""The consensus view of a team assessment: every respondent's answer per question, flagged
where they disagree, and the snapshot of those disagreements taken at submission."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.models import Answer, Assessment, FinalAnswer, Respondent
from assessment.scoring import consensus
from assessment.scoring.consensus import FlaggedQuestion, Position, TeamSnapshot
from assessment.scoring.types import AnswerValue, Bank, Question
from assessment.selectors.respondents import respondents as respondents_of
from core.selectors import display_name


@dataclass(frozen=True)
class RespondentAnswer:
    respondent: Respondent
    value: str  # "" when they have not answered (or the phase is not theirs)
    note: str


@dataclass(frozen=True)
class ConsensusRow:
    question: Question
    answers: tuple[RespondentAnswer, ...]  # in respondent order
    spread: float | None
    flagged: bool
    final: FinalAnswer | None
    suggested: str  # the default final answer


def consensus_rows(
    assessment: Assessment, bank: Bank
) -> tuple[list[Respondent], list[ConsensusRow]]:
    """Every question with each respondent's answer, flagged and sorted by disagreement: three
    queries whatever the number of respondents and questions."""
    respondents = respondents_of(assessment)
    # (respondent id, question code) -> (value, note); a missing pair is an unanswered question.
    given = {
        (respondent_id, code): (value, note)
        for respondent_id, code, value, note in Answer.objects.filter(
            respondent__assessment=assessment
        ).values_list("respondent_id", "question_code", "value", "note")
    }
    finals = {f.question_code: f for f in FinalAnswer.objects.filter(assessment=assessment)}
    rows = []
    for question in bank.questions:
        answers = tuple(
            RespondentAnswer(r, *given.get((r.pk, question.code), ("", ""))) for r in respondents
        )
        values = [a.value for a in answers if a.value]
        rows.append(
            ConsensusRow(
                question=question,
                answers=answers,
                spread=consensus.spread(values),
                flagged=consensus.disagrees(values),
                final=finals.get(question.code),
                suggested=consensus.default_final(values) if values else "",
            )
        )
    # Most disputed first; Python's sort is stable, so ties keep the bank's order.
    rows.sort(key=lambda row: (not row.flagged, -(row.spread or 0.0)))
    return respondents, rows


def respondent_role_name(respondent: Respondent, bank: Bank) -> str:
    """The role a respondent answers as, in words ("lead" for a lead who named none)."""
    names = {role.code: role.name for role in bank.roles}
    return names.get(respondent.role, "lead" if respondent.is_lead else "")


def team_snapshot(assessment: Assessment, bank: Bank) -> TeamSnapshot:
    """The flagged questions of a team assessment as they stand: who answered what, the settled
    answer and why. Taken at submission and stored with the result."""
    respondents, rows = consensus_rows(assessment, bank)
    numbers = {r.pk: number for number, r in enumerate(respondents, start=1)}
    return TeamSnapshot(
        flagged=tuple(
            FlaggedQuestion(
                code=row.question.code,
                positions=tuple(
                    Position(
                        number=numbers[a.respondent.pk],
                        name=display_name(a.respondent.user),
                        role=respondent_role_name(a.respondent, bank),
                        value=AnswerValue(a.value),
                        note=a.note,
                    )
                    for a in row.answers
                    if a.value
                ),
                final=AnswerValue(row.final.value) if row.final else None,
                why=(row.final.reason or row.final.note) if row.final else "",
            )
            for row in rows
            if row.flagged
        )
    )
