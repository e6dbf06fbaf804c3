"""Answers: one respondent's own, and the ones that are scored. The scored answers come from
here and nowhere else: the lead's sheet in a solo assessment, the settled final answers in a team
assessment; either way as `AnswerRecord`s."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from assessment.formats.records import AnswerRecord
from assessment.models import Answer, Assessment, FinalAnswer, Respondent
from assessment.scoring.types import Bank

ANSWER_FIELDS = ("question_code", "value", "evidence", "note", "reason")


@dataclass(frozen=True)
class ScoredAnswers:
    """What would be scored if the assessment were submitted now."""

    team: bool  # answered as a team: the lead's settled answers count, not anyone's own
    answers: dict[str, AnswerRecord]  # by question code


def is_team_assessment(assessment: Assessment) -> bool:
    """Several respondents answer on their own and the lead settles final answers. Once any
    answer is settled it stays a team assessment, even if respondents leave again, so settled
    answers are never silently dropped."""
    return (
        Respondent.objects.filter(assessment=assessment).count() > 1
        or FinalAnswer.objects.filter(assessment=assessment).exists()
    )


def scored_answers(assessment: Assessment) -> ScoredAnswers:
    if is_team_assessment(assessment):
        final = FinalAnswer.objects.filter(assessment=assessment)
        return ScoredAnswers(team=True, answers=_records(final.values_list(*ANSWER_FIELDS)))
    own = Answer.objects.filter(respondent__assessment=assessment, respondent__is_lead=True)
    return ScoredAnswers(team=False, answers=_records(own.values_list(*ANSWER_FIELDS)))


def scored_answers_of(assessment_ids: Iterable[int]) -> dict[int, ScoredAnswers]:
    """`scored_answers` for many assessments at once, in four queries whatever their number:
    what an organisation export reads, so its cost does not grow by queries per assessment."""
    ids = list(assessment_ids)
    respondents = dict(
        Respondent.objects.filter(assessment_id__in=ids)
        .values("assessment_id")
        .annotate(count=Count("id"))
        .values_list("assessment_id", "count")
    )
    settled = set(
        FinalAnswer.objects.filter(assessment_id__in=ids)
        .values_list("assessment_id", flat=True)
        .distinct()
    )
    team = {i for i in ids if respondents.get(i, 0) > 1 or i in settled}
    rows: dict[int, list[tuple[str, ...]]] = {i: [] for i in ids}
    for assessment_id, *fields in FinalAnswer.objects.filter(assessment_id__in=team).values_list(
        "assessment_id", *ANSWER_FIELDS
    ):
        rows[assessment_id].append(tuple(fields))
    for assessment_id, *fields in Answer.objects.filter(
        respondent__assessment_id__in=[i for i in ids if i not in team],
        respondent__is_lead=True,
    ).values_list("respondent__assessment_id", *ANSWER_FIELDS):
        rows[assessment_id].append(tuple(fields))
    return {i: ScoredAnswers(team=i in team, answers=_records(rows[i])) for i in ids}


def respondent_answers(respondent: Respondent) -> dict[str, AnswerRecord]:
    """One respondent's own answers, by question code, with what is still to confirm."""
    rows = Answer.objects.filter(respondent=respondent).values_list(
        *ANSWER_FIELDS, "carried", "carried_from"
    )
    return {
        code: AnswerRecord(value, evidence, note, reason, carried, carried_from)
        for code, value, evidence, note, reason, carried, carried_from in rows
    }


def carried_to_confirm(assessment: Assessment) -> list[str]:
    """Codes of the lead's answers brought over from another bank version and not yet saved."""
    return list(
        Answer.objects.filter(respondent__assessment=assessment, respondent__is_lead=True)
        .exclude(carried="")
        .values_list("question_code", flat=True)
    )


def _records(rows: Iterable[tuple[str, ...]]) -> dict[str, AnswerRecord]:
    """From rows of ANSWER_FIELDS."""
    return {
        code: AnswerRecord(value=value, evidence=evidence, note=note, reason=reason)
        for code, value, evidence, note, reason in rows
    }


@dataclass(frozen=True)
class PhaseProgress:
    code: str
    name: str
    answered: int
    total: int
    missing: tuple[str, ...]  # codes, in bank order

    @property
    def complete(self) -> bool:
        return self.answered == self.total


@dataclass(frozen=True)
class Progress:
    phases: tuple[PhaseProgress, ...]

    @property
    def answered(self) -> int:
        return sum(p.answered for p in self.phases)

    @property
    def total(self) -> int:
        return sum(p.total for p in self.phases)

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def complete(self) -> bool:
        return self.answered == self.total


def progress(bank: Bank, answers: dict[str, AnswerRecord]) -> Progress:
    """Answered / total per phase; "Don't know" counts as answered, a typed note alone does not."""
    phases = []
    for phase in bank.phases:
        questions = bank.questions_in(phase.code)
        missing = tuple(
            q.code for q in questions if not (q.code in answers and answers[q.code].answered)
        )
        phases.append(
            PhaseProgress(
                code=phase.code,
                name=phase.name,
                answered=len(questions) - len(missing),
                total=len(questions),
                missing=missing,
            )
        )
    return Progress(phases=tuple(phases))
