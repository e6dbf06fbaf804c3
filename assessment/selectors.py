"""Reads for the assessment app. Access checks live in core.selectors."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.http import Http404

from assessment import consensus
from assessment.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    ExportJob,
    FinalAnswer,
    QuestionBank,
    Respondent,
)
from assessment.reports.trend import TrendPoint
from assessment.scoring.types import Bank, Question
from core.models import Membership, Organization, Team
from core.selectors import AnyUser, membership_in


def latest_question_banks() -> list[QuestionBank]:
    """The newest version of each bank, for choosing what to answer."""
    latest: dict[str, QuestionBank] = {}
    for bank in QuestionBank.objects.defer("content"):
        current = latest.get(bank.slug)
        if current is None or bank.version_key > current.version_key:
            latest[bank.slug] = bank
    return sorted(latest.values(), key=lambda b: b.title)


def assessment_for_user(user: AnyUser, assessment_id: int) -> tuple[Assessment, Membership]:
    """An assessment the user may see, with the membership that grants it; 404 otherwise, so
    another organisation's ids reveal nothing."""
    if not user.is_authenticated:
        raise Http404
    try:
        assessment = (
            Assessment.objects.select_related("team__organization", "bank")
            .defer("bank__content")
            .get(pk=assessment_id)
        )
    except Assessment.DoesNotExist:
        raise Http404 from None
    return assessment, membership_in(user, assessment.team.organization)


def team_assessments(team: Team) -> list[Assessment]:
    return list(
        Assessment.objects.filter(team=team)
        .select_related("bank", "created_by")
        .defer("bank__content", "result")
        .order_by("-created_at")
    )


def lead_respondent(assessment: Assessment) -> Respondent:
    return Respondent.objects.get(assessment=assessment, is_lead=True)


def is_team_assessment(assessment: Assessment) -> bool:
    """Several respondents answer on their own and the lead settles final answers. Once any
    answer is settled it stays a team assessment, even if respondents leave again, so settled
    answers are never silently dropped."""
    return (
        Respondent.objects.filter(assessment=assessment).count() > 1
        or FinalAnswer.objects.filter(assessment=assessment).exists()
    )


def final_answers(assessment: Assessment) -> QuerySet[Answer] | QuerySet[FinalAnswer]:
    """The answers that are scored: the lead's in a solo assessment, the settled ones in a team
    assessment. Both carry question_code, value, evidence, note and reason."""
    if is_team_assessment(assessment):
        return FinalAnswer.objects.filter(assessment=assessment)
    return Answer.objects.filter(respondent__assessment=assessment, respondent__is_lead=True)


def final_answers_by_code(assessment: Assessment) -> dict[str, Answer | FinalAnswer]:
    return {a.question_code: a for a in final_answers(assessment)}


def answers_by_code(respondent: Respondent) -> dict[str, Answer]:
    return {a.question_code: a for a in Answer.objects.filter(respondent=respondent)}


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


def progress(bank: Bank, answers: dict[str, Answer]) -> Progress:
    """Answered / total per phase; "Don't know" counts as answered, a typed note alone does not."""
    phases = []
    for phase in bank.phases:
        questions = bank.questions_in(phase.code)
        missing = tuple(
            q.code for q in questions if not (answers.get(q.code) and answers[q.code].value)
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


def newest_bank() -> Bank | None:
    """The newest version of the first bank, for column headings that need phase names."""
    banks = latest_question_banks()
    return banks[0].bank() if banks else None


def membership_of(organization: Organization, membership_id: int) -> Membership:
    try:
        return Membership.objects.select_related("user").get(
            pk=membership_id, organization=organization
        )
    except Membership.DoesNotExist:
        raise Http404 from None


def latest_submitted(team: Team) -> Assessment | None:
    return (
        Assessment.objects.filter(team=team, status=AssessmentStatus.SUBMITTED)
        .order_by("-submitted_at")
        .first()
    )


def submitted_assessments(team: Team) -> list[Assessment]:
    """Oldest first, with only what trends and comparisons list."""
    return list(
        Assessment.objects.filter(team=team, status=AssessmentStatus.SUBMITTED)
        .order_by("submitted_at")
        .only("id", "team_id", "label", "submitted_at", "summary", "bank_id")
    )


def with_results(assessments: list[Assessment]) -> list[Assessment]:
    """The same assessments with their full results and banks, in the order given."""
    loaded = Assessment.objects.select_related("bank").in_bulk([a.pk for a in assessments])
    return [loaded[a.pk] for a in assessments]


def export_job(organization: Organization, job_id: int) -> ExportJob:
    try:
        return ExportJob.objects.get(pk=job_id, organization=organization)
    except ExportJob.DoesNotExist:
        raise Http404 from None


def respondent_for(assessment: Assessment, user: AnyUser) -> Respondent | None:
    """Whose answers this user edits: their own when they are a respondent; the lead's shared
    sheet in a solo assessment (any editor may help fill it in); none otherwise."""
    respondents = list(Respondent.objects.filter(assessment=assessment).select_related("user"))
    for respondent in respondents:
        if respondent.user_id == user.pk:
            return respondent
    if len(respondents) == 1:
        return respondents[0]
    return None


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
    respondents = list(
        Respondent.objects.filter(assessment=assessment)
        .select_related("user")
        .order_by("-is_lead", "created_at", "pk")
    )
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


def answer_counts(assessment: Assessment) -> dict[int, int]:
    """Answered questions per respondent id."""
    return dict(
        Answer.objects.filter(respondent__assessment=assessment)
        .exclude(value="")
        .values("respondent_id")
        .annotate(count=Count("id"))
        .values_list("respondent_id", "count")
    )


def respondent_of(assessment: Assessment, respondent_id: int) -> Respondent:
    try:
        return Respondent.objects.select_related("assessment", "user").get(
            pk=respondent_id, assessment=assessment
        )
    except Respondent.DoesNotExist:
        raise Http404 from None


def trend_points(assessments: list[Assessment]) -> list[TrendPoint]:
    return [
        TrendPoint(
            label=a.label,
            overall=a.summary["overall"],
            phases={
                code: (phase["level"], phase["percent"])
                for code, phase in a.summary["phases"].items()
            },
        )
        for a in assessments
        if a.summary
    ]


def display_name(user: object) -> str:
    """The user's full name ("Dana Okafor"), or the username when no name was given."""
    get_full_name = getattr(user, "get_full_name", None)
    return (get_full_name() if get_full_name else "").strip() or user.get_username()


def team_disagreement_records(assessment: Assessment, bank: Bank) -> list[dict] | None:
    """The flagged questions of a team assessment as plain data (who answered what, the settled
    answer and why), to snapshot at submission; None for an assessment answered by one person."""
    if not is_team_assessment(assessment):
        return None
    respondents, rows = consensus_rows(assessment, bank)
    role_names = {role.code: role.name for role in bank.roles}
    people = {
        r.pk: {
            "number": number,
            "name": display_name(r.user),
            "role": role_names.get(r.role, "lead" if r.is_lead else ""),
        }
        for number, r in enumerate(respondents, start=1)
    }
    return [
        {
            "code": row.question.code,
            "answers": [
                {**people[a.respondent.pk], "value": a.value, "note": a.note}
                for a in row.answers
                if a.value
            ],
            "final": row.final.value if row.final else None,
            "why": (row.final.reason or row.final.note) if row.final else "",
        }
        for row in rows
        if row.flagged
    ]
