"""Assessments a user may see, a team's history, and the input the engine scores."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404

from assessment.charts.trend import TrendPoint
from assessment.formats.records import AnswerRecord, AssessmentRecord
from assessment.models import Assessment, AssessmentStatus
from assessment.scoring.results import Result
from assessment.scoring.types import AssessmentInput, Presence
from core.models import Membership, Team
from core.selectors import AnyUser, membership_in


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


def assessment_by_id(assessment_id: int) -> Assessment | None:
    """Any assessment, for commands run by an operator (no user, no access check)."""
    return (
        Assessment.objects.select_related("team__organization", "bank", "submitted_by")
        .filter(pk=assessment_id)
        .first()
    )


def assessments_by_ids(assessment_ids: Iterable[int]) -> list[Assessment]:
    """Those of these assessments that exist, in the order given, for tasks (no access check):
    one query."""
    ids = list(assessment_ids)
    found = Assessment.objects.select_related("team__organization", "bank").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def team_assessments(team: Team) -> list[Assessment]:
    return list(
        Assessment.objects.filter(team=team)
        .select_related("bank", "created_by")
        .defer("bank__content", "result")
        .order_by("-created_at")
    )


def organization_assessments(organization_id: int) -> QuerySet[Assessment]:
    """Every assessment of an organisation, team by team, oldest first."""
    return (
        Assessment.objects.filter(team__organization_id=organization_id)
        .select_related("team__organization", "bank")
        .order_by("team__name", "created_at")
    )


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


def stored_result(assessment: Assessment) -> Result:
    """The result frozen at submission, for an assessment that has one (submitted, or reopened
    since)."""
    if assessment.result is None:
        raise ValueError(f"assessment {assessment.pk} has no result")
    return Result.from_dict(assessment.result)


def previous_submitted_assessment(assessment: Assessment) -> Assessment | None:
    """The same team's latest submitted assessment started before this one, if any. Ordered by
    creation, not submission: reopening and resubmitting last quarter's assessment must not make
    it "later" than this quarter's."""
    return (
        Assessment.objects.filter(
            team_id=assessment.team_id,
            status=AssessmentStatus.SUBMITTED,
            result__isnull=False,
            created_at__lt=assessment.created_at,
        )
        .exclude(pk=assessment.pk)
        .order_by("-created_at", "-pk")
        .first()
    )


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


def engine_input(assessment: Assessment, answers: dict[str, AnswerRecord]) -> AssessmentInput:
    """What the engine scores: the answered records, the team composition and the targets."""
    return AssessmentInput(
        answers={code: record.scored() for code, record in answers.items() if record.answered},
        team={role: Presence(presence) for role, presence in assessment.composition.items()},
        targets={phase: int(level) for phase, level in assessment.targets.items()},
    )


def assessment_record(assessment: Assessment) -> AssessmentRecord:
    """What exports say about an assessment besides its answers."""
    return AssessmentRecord(
        organization=assessment.team.organization.name,
        team=assessment.team.name,
        label=assessment.label,
        status=assessment.status,
        created_at=assessment.created_at,
        submitted_at=assessment.submitted_at,
        bank_key=assessment.bank.key,
        engine_version=assessment.engine_version,
        composition=dict(assessment.composition),
        targets=dict(assessment.targets),
        result=assessment.result,
    )


def assessment_labels(team: Team) -> set[str]:
    """The team's assessment labels, lower-cased: a new one must differ from all of them."""
    return {label.casefold() for label in team.assessments.values_list("label", flat=True)}
