"""Assessments: listed with filters, started (optionally from an answers file), read, submitted,
reopened; their result (the JSON `score_answers` prints), their report PDF, and a comparison of
two of a team's submissions."""

from __future__ import annotations

import dataclasses
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from assessment.api.access import (
    assessment_for_api,
    check_edit,
    token_allows,
    visible_organization_ids,
)
from assessment.api.base import user_of
from assessment.api.problems import Invalid, answers_file_problems, conflict
from assessment.api.serializers import (
    AssessmentCreateSerializer,
    AssessmentSerializer,
    ReopenSerializer,
)
from assessment.banks.mapping import continued_codes
from assessment.formats.answers_file import AnswersFileError, bank_key, parse_answers_file
from assessment.models import Assessment, AssessmentStatus, QuestionBank
from assessment.permissions import (
    LEAD_ONLY,
    REOPEN_REFUSED,
    SUBMITTED_READ_ONLY,
    TEAM_ARCHIVED,
    leads,
    may_reopen,
)
from assessment.scoring.compare import compare_results, question_codes
from assessment.scoring.types import DEFAULT_THRESHOLD
from assessment.selectors.answers import is_team_assessment
from assessment.selectors.assessments import stored_result
from assessment.selectors.banks import latest_question_banks, question_bank
from assessment.selectors.report import report_filename
from assessment.selectors.respondents import lead_respondent
from assessment.services.answers_file import assessment_fill_from_file
from assessment.services.assessments import (
    AssessmentIncomplete,
    AssessmentLocked,
    assessment_reopen,
    assessment_start,
    assessment_submit,
)
from assessment.services.reports import report_pdf_bytes
from core.http import attachment
from core.selectors import team_for_user

LABEL_TAKEN = "This team already has an assessment with this label."
UNKNOWN_BANK = "No question bank {key} is published here: GET /api/v1/banks/ lists them."
NO_SUCH_TEAM = "No such team in your organisations: GET /api/v1/organizations/{slug}/teams/."
THRESHOLD_FIXED = "An assessment here is scored with the threshold 80: leave threshold out."
NOT_SUBMITTED_YET = "This assessment has no result yet: submit it first."


class AssessmentList(generics.ListAPIView[Assessment]):
    """Assessments of your organisations, newest first; filter by `team`, `organization` (its
    slug), `status` (draft or submitted) and `label`."""

    serializer_class = AssessmentSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("team", int, description="a team's id"),
            OpenApiParameter("organization", str, description="an organisation's slug"),
            OpenApiParameter("status", str, enum=["draft", "submitted"]),
            OpenApiParameter("label", str, description="the exact label, any case"),
        ]
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Assessment]:
        params = self.request.query_params
        assessments = (
            Assessment.objects.filter(team__organization__memberships__user=user_of(self.request))
            .select_related("team__organization", "bank")
            .defer("bank__content", "result", "team_snapshot")
            .order_by("-created_at", "-pk")
        )
        only = visible_organization_ids(self.request)
        if only is not None:
            assessments = assessments.filter(team__organization_id__in=only)
        problems = []
        team = params.get("team", "")
        if team and (not team.isdigit() or len(team) > 10):
            problems.append(("team", "A team's id is a whole number."))
        elif team:
            assessments = assessments.filter(team_id=int(team))
        if params.get("organization"):
            assessments = assessments.filter(team__organization__slug=params["organization"][:80])
        wanted = params.get("status")
        if wanted and wanted not in AssessmentStatus.values:
            problems.append(("status", "Use draft or submitted."))
        elif wanted:
            assessments = assessments.filter(status=wanted)
        if problems:
            raise Invalid(problems)
        if params.get("label"):
            assessments = assessments.filter(label__iexact=params["label"][:100])
        return assessments

    @extend_schema(request=AssessmentCreateSerializer, responses={201: AssessmentSerializer})
    def post(self, request: Request) -> Response:
        """Start an assessment of a team. With `answers_file`, the file's bank, answers, team
        composition and targets fill it, checked as `score_answers` checks them."""
        given = AssessmentCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            team, membership = team_for_user(user_of(request), given.validated_data["team"])
            token_allows(request, team.organization_id)
        except Http404:
            # The same answer for a team that does not exist and one of another organisation.
            raise Invalid([("team", NO_SUCH_TEAM)]) from None
        check_edit(membership)
        if team.archived_at is not None:
            raise PermissionDenied(TEAM_ARCHIVED)
        file = given.validated_data.get("answers_file")
        key = given.validated_data["bank"]
        try:
            if file is not None:
                key = key or "@".join(bank_key(file))
            bank = _bank(key)
            filled = parse_answers_file(file, bank.bank()) if file is not None else None
        except AnswersFileError as error:
            raise answers_file_problems(error) from None
        if filled is not None and filled.threshold != DEFAULT_THRESHOLD:
            raise Invalid([("answers_file.threshold", THRESHOLD_FIXED)])
        label = given.validated_data["label"].strip()
        if Assessment.objects.filter(team=team, label__iexact=label).exists():
            raise Invalid([("label", LABEL_TAKEN)])
        try:
            with transaction.atomic():
                assessment = assessment_start(
                    team=team,
                    bank=bank,
                    label=label,
                    targets=dict(filled.targets) if filled else {},
                    by=user_of(request),
                )
                if filled is not None:
                    assessment_fill_from_file(
                        assessment=assessment,
                        respondent=lead_respondent(assessment),
                        given=filled,
                        by=user_of(request),
                    )
        except IntegrityError:  # the same label, from a simultaneous request
            raise Invalid([("label", LABEL_TAKEN)]) from None
        return Response(AssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)


def _bank(key: str) -> QuestionBank:
    if not key:
        banks = latest_question_banks()
        if not banks:
            raise Invalid([("bank", "No question bank is published here yet.")])
        return banks[0]
    slug, _, version = key.partition("@")
    bank = question_bank(slug, version)
    if bank is None:
        raise Invalid([("bank", UNKNOWN_BANK.format(key=key))])
    return bank


class AssessmentDetail(generics.GenericAPIView[Assessment]):
    serializer_class = AssessmentSerializer

    def get(self, request: Request, assessment_id: int) -> Response:
        assessment, _ = assessment_for_api(request, assessment_id)
        return Response(AssessmentSerializer(assessment).data)


class AssessmentSubmit(generics.GenericAPIView[Assessment]):
    serializer_class = AssessmentSerializer

    @extend_schema(request=None, responses={200: AssessmentSerializer})
    def post(self, request: Request, assessment_id: int) -> Response:
        """Score and freeze the answers. Every question needs an answer ("unknown" counts):
        the problem lists those still missing."""
        assessment, membership = assessment_for_api(request, assessment_id)
        check_edit(membership)
        if assessment.is_submitted:
            return conflict(request, SUBMITTED_READ_ONLY)
        if is_team_assessment(assessment) and not leads(assessment, user_of(request), membership):
            raise PermissionDenied(LEAD_ONLY)
        try:
            assessment_submit(assessment=assessment, by=user_of(request))
        except AssessmentIncomplete as error:
            raise Invalid(
                [(f"answers.{code}", "not answered yet") for code in error.missing]
            ) from None
        except AssessmentLocked as error:
            return conflict(request, str(error))
        except ValueError as error:
            raise Invalid(
                [("", f"This assessment cannot be scored as it stands: {error}")]
            ) from None
        return Response(AssessmentSerializer(assessment).data)


class AssessmentReopen(generics.GenericAPIView[Assessment]):
    serializer_class = AssessmentSerializer

    @extend_schema(request=ReopenSerializer, responses={200: AssessmentSerializer})
    def post(self, request: Request, assessment_id: int) -> Response:
        """Back to draft (owners and consultants), recorded with the reason."""
        assessment, membership = assessment_for_api(request, assessment_id)
        if not may_reopen(membership):
            raise PermissionDenied(REOPEN_REFUSED)
        given = ReopenSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            assessment_reopen(
                assessment=assessment, by=user_of(request), reason=given.validated_data["reason"]
            )
        except AssessmentLocked as error:
            return conflict(request, str(error))
        return Response(AssessmentSerializer(assessment).data)


class AssessmentResult(generics.GenericAPIView[Assessment]):
    @extend_schema(
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT, description="As score_answers")}
    )
    def get(self, request: Request, assessment_id: int) -> Response:
        """The result frozen at the last submission: the JSON `manage.py score_answers` prints
        for the same answers (levels, cells, gate, recommendations, role verdicts)."""
        assessment, _ = assessment_for_api(request, assessment_id)
        if assessment.result is None:
            raise NotFound(NOT_SUBMITTED_YET)
        return Response(assessment.result)


class AssessmentReport(generics.GenericAPIView[Assessment]):
    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request: Request, assessment_id: int) -> HttpResponse:
        """The report as PDF, the same file the report page downloads."""
        assessment, _ = assessment_for_api(request, assessment_id)
        if assessment.result is None:
            raise NotFound(NOT_SUBMITTED_YET)
        pdf = report_pdf_bytes(assessment)
        return attachment(pdf, "application/pdf", report_filename(assessment))


class TeamComparison(generics.GenericAPIView[Assessment]):
    @extend_schema(
        parameters=[
            OpenApiParameter("before", int, required=True, description="a submitted assessment"),
            OpenApiParameter("after", int, required=True, description="a later one"),
        ],
        responses={200: OpenApiResponse(OpenApiTypes.OBJECT)},
    )
    def get(self, request: Request, team_id: int) -> Response:
        """What moved between two of the team's submitted assessments: levels, cells, answers."""
        team, _ = team_for_user(user_of(request), team_id)
        token_allows(request, team.organization_id)
        ids = []
        for name in ("before", "after"):
            raw = request.query_params.get(name, "")
            if not raw.isdigit() or len(raw) > 10:
                raise Invalid([(name, "The id of a submitted assessment of this team.")])
            ids.append(int(raw))
        found = {
            a.pk: a
            for a in Assessment.objects.filter(
                team=team, pk__in=ids, status=AssessmentStatus.SUBMITTED
            ).select_related("bank")
        }
        if len(found) != len(set(ids)):
            raise NotFound("No such submitted assessment of this team.")
        before, after = sorted(
            (found[i] for i in ids), key=lambda a: a.submitted_at or a.created_at
        )
        before_result, after_result = stored_result(before), stored_result(after)
        continued = continued_codes(after.bank.bank(), question_codes(before_result))
        comparison = compare_results(before_result, after_result, continued)
        return Response(
            {"before": before.pk, "after": after.pk} | _plain(dataclasses.asdict(comparison))
        )


def _plain(value: Any) -> Any:
    """Enums as their values, tuples as lists: JSON."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return getattr(value, "value", value)
