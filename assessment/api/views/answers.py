"""An assessment's answers: read (those that are scored), written one or many at a time, or
replaced by a whole answers file. Writes are checked as an answers file is checked, and every
problem is listed; nothing is saved unless all are fixed."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import generics
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import BaseParser
from rest_framework.request import Request
from rest_framework.response import Response

from assessment.api.access import assessment_for_api, check_edit
from assessment.api.base import user_of
from assessment.api.problems import Invalid, answers_file_problems, conflict
from assessment.api.serializers import AnswerSerializer, AnswersWriteSerializer
from assessment.api.views.assessments import THRESHOLD_FIXED
from assessment.formats.answers_file import (
    AnswersFileError,
    load_answers_text,
    parse_answers,
    parse_answers_file,
)
from assessment.models import Assessment, Respondent
from assessment.permissions import SUBMITTED_READ_ONLY, phase_refusal
from assessment.scoring.types import DEFAULT_THRESHOLD, Answer, Bank
from assessment.selectors.answers import scored_answers
from assessment.selectors.respondents import respondent_for
from assessment.services.answers import AnswerData, answers_save
from assessment.services.answers_file import assessment_fill_from_file
from assessment.services.assessments import AssessmentLocked

BODY = "the request body"


class AnswersFileParser(BaseParser):
    """An answers file as sent, in YAML or JSON, loaded with the CLI's bounds and checks
    (size, depth, duplicate keys, unstorable text)."""

    media_type = "*/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        raw = stream.read() if stream is not None else b""
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Invalid([("", "The answers file is not UTF-8 text.")]) from None
        json_format = bool(media_type and "json" in media_type)
        try:
            return load_answers_text(text, json_format=json_format, where=BODY)
        except AnswersFileError as error:
            raise answers_file_problems(error) from None


def _answer_rows(assessment: Assessment) -> list[dict[str, str]]:
    records = scored_answers(assessment).answers
    return [
        {
            "code": code,
            "value": record.value,
            "evidence": record.evidence,
            "note": record.note,
            "reason": record.reason,
        }
        for code, record in records.items()
    ]


def _writable(request: Request, assessment_id: int) -> tuple[Assessment, Respondent, Bank]:
    """The draft and whose answers this caller writes; refusals as the questionnaire's."""
    assessment, membership = assessment_for_api(request, assessment_id)
    check_edit(membership)
    respondent = respondent_for(assessment, user_of(request))
    if respondent is None:
        raise PermissionDenied(phase_refusal(None, ""))
    return assessment, respondent, assessment.bank.bank()


def _check_phases(respondent: Respondent, bank: Bank, codes: list[str]) -> None:
    for code in codes:
        refusal = phase_refusal(respondent.phases, bank.question(code).phase)
        if refusal:
            raise PermissionDenied(f"{code}: {refusal}")


def _save(
    request: Request, assessment: Assessment, respondent: Respondent, answers: dict[str, Answer]
) -> Response:
    try:
        saved = answers_save(
            assessment=assessment,
            respondent=respondent,
            changes={code: AnswerData.of(answer) for code, answer in answers.items()},
            by=user_of(request),
        )
    except AssessmentLocked:
        return conflict(request, SUBMITTED_READ_ONLY)
    return Response({"saved": saved, "answers": _answer_rows(assessment)})


class Answers(generics.GenericAPIView[Assessment]):
    serializer_class = AnswerSerializer
    pagination_class = None  # one per question: a few dozen

    @extend_schema(responses=AnswerSerializer(many=True))
    def get(self, request: Request, assessment_id: int) -> Response:
        """The answers that are scored: the lead's sheet, or a team's settled final answers."""
        assessment, _ = assessment_for_api(request, assessment_id)
        return Response(_answer_rows(assessment))

    @extend_schema(
        request=AnswersWriteSerializer,
        responses={200: OpenApiTypes.OBJECT},
        examples=[
            OpenApiExample(
                "Two answers",
                value={"answers": {"DES-0-01": 1, "OPS-1-04": {"value": "na", "reason": "batch"}}},
                request_only=True,
            )
        ],
    )
    def patch(self, request: Request, assessment_id: int) -> Response:
        """Write some answers (yours, or the shared sheet of a solo assessment)."""
        assessment, respondent, bank = _writable(request, assessment_id)
        given = AnswersWriteSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        if assessment.is_submitted:
            return conflict(request, SUBMITTED_READ_ONLY)
        try:
            answers = parse_answers(given.validated_data["answers"], bank)
        except AnswersFileError as error:
            raise answers_file_problems(error) from None
        _check_phases(respondent, bank, list(answers))
        return _save(request, assessment, respondent, answers)


class OneAnswer(generics.GenericAPIView[Assessment]):
    serializer_class = AnswerSerializer

    @extend_schema(
        request={"application/json": OpenApiTypes.OBJECT},
        responses={200: OpenApiTypes.OBJECT},
        examples=[OpenApiExample("Automated", value={"value": "1"}, request_only=True)],
    )
    def put(self, request: Request, assessment_id: int, code: str) -> Response:
        """Write one answer: `{"value": "0.5", "evidence": "...", "note": "..."}`."""
        assessment, respondent, bank = _writable(request, assessment_id)
        if assessment.is_submitted:
            return conflict(request, SUBMITTED_READ_ONLY)
        try:
            answers = parse_answers({code[:20]: request.data}, bank)
        except AnswersFileError as error:
            raise answers_file_problems(error) from None
        if not answers:
            raise Invalid([(f"answers.{code[:20]}", "missing value")])
        _check_phases(respondent, bank, list(answers))
        return _save(request, assessment, respondent, answers)


class AnswersFile(generics.GenericAPIView[Assessment]):
    parser_classes = [AnswersFileParser]

    @extend_schema(
        request={
            "application/yaml": OpenApiTypes.STR,
            "application/json": OpenApiTypes.OBJECT,
        },
        responses={200: OpenApiTypes.OBJECT},
    )
    def put(self, request: Request, assessment_id: int) -> Response:
        """Replace the draft's answers, team composition and targets with an answers file
        (YAML, or JSON with `Content-Type: application/json`), checked exactly as
        `manage.py score_answers` checks it: every problem listed, nothing saved until none."""
        assessment, respondent, bank = _writable(request, assessment_id)
        if assessment.is_submitted:
            return conflict(request, SUBMITTED_READ_ONLY)
        try:
            given = parse_answers_file(request.data, bank)
        except AnswersFileError as error:
            raise answers_file_problems(error) from None
        if given.threshold != DEFAULT_THRESHOLD:
            raise Invalid([("threshold", THRESHOLD_FIXED)])
        _check_phases(respondent, bank, list(given.answers))
        try:
            saved = assessment_fill_from_file(
                assessment=assessment, respondent=respondent, given=given, by=user_of(request)
            )
        except AssessmentLocked:
            return conflict(request, SUBMITTED_READ_ONLY)
        return Response({"saved": saved, "answers": _answer_rows(assessment)})
