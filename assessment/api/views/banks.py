"""The question banks published here: what an answers file's `bank:` may name."""

from __future__ import annotations

from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from assessment.api.serializers import BankDetailSerializer, BankSerializer
from assessment.models import QuestionBank
from assessment.selectors.banks import question_bank


class BankList(generics.ListAPIView[QuestionBank]):
    """Every published version of every bank, by slug, newest first."""

    serializer_class = BankSerializer

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return QuestionBank.objects.defer("content").order_by("slug", "-loaded_at", "-pk")


class BankDetail(generics.GenericAPIView[QuestionBank]):
    """One version: its phases, levels, roles and questions (codes, statements, which are
    critical, which may be not applicable)."""

    serializer_class = BankDetailSerializer

    def get(self, request: Request, slug: str, version: str) -> Response:
        bank = question_bank(slug, version)
        if bank is None:
            raise NotFound(f"No question bank {slug}@{version} is published here.")
        return Response(BankDetailSerializer(bank).data)
