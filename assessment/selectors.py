"""Reads for the assessment app. Access checks live in core.selectors."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404

from assessment.models import (
    Answer,
    Assessment,
    AssessmentStatus,
    ExportJob,
    QuestionBank,
    Respondent,
)
from assessment.scoring.types import Bank
from core.models import Membership, Organization, Team
from core.selectors import AnyUser, membership_in


def question_bank(slug: str, version: str) -> QuestionBank:
    try:
        return QuestionBank.objects.get(slug=slug, version=version)
    except QuestionBank.DoesNotExist:
        raise Http404 from None


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
