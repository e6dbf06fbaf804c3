"""A team's action plan: listed, added to (an action of one's own, or an assessment's
recommendations accepted), read and changed. Viewers read; the others edit."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.utils.timezone import localdate
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from assessment.api.access import assessment_for_api, token_allows
from assessment.api.base import user_of
from assessment.api.problems import Invalid
from assessment.api.serializers import AcceptSerializer, ActionSerializer, ActionWriteSerializer
from assessment.models import Action
from assessment.permissions import plan_refusal
from assessment.selectors.actions import action_for_user
from assessment.selectors.banks import practice_codes
from assessment.services.actions import (
    action_create,
    action_fields,
    action_update,
    actions_accept,
)
from core.models import Membership, Team
from core.selectors import team_for_user

NO_RESULT = "This assessment has no result yet, so nothing to accept: submit it first."


def _check_plan_writable(team: Team, membership: Membership) -> None:
    if refusal := plan_refusal(membership, team.archived_at is not None):
        raise PermissionDenied(refusal)


def _write_context(team: Team) -> dict[str, Any]:
    return {
        "members": set(
            Membership.objects.filter(organization_id=team.organization_id).values_list(
                "user_id", flat=True
            )
        ),
        "known_codes": practice_codes(team),
    }


class TeamActions(generics.ListAPIView[Action]):
    """The team's actions, by due date (undated last)."""

    serializer_class = ActionSerializer

    def get_queryset(self) -> QuerySet[Action]:
        team, _ = team_for_user(user_of(self.request), self.kwargs["team_id"])
        token_allows(self.request, team.organization_id)
        # Undated last on every database (SQLite puts nulls first, PostgreSQL last).
        return (
            Action.objects.filter(team=team)
            .select_related("owner")
            .order_by(F("due_on").asc(nulls_last=True), "pk")
        )

    @extend_schema(request=ActionWriteSerializer, responses={201: ActionSerializer})
    def post(self, request: Request, team_id: int) -> Response:
        """Add an action of the team's own."""
        team, membership = team_for_user(user_of(request), team_id)
        token_allows(request, team.organization_id)
        _check_plan_writable(team, membership)
        given = ActionWriteSerializer(data=request.data, context=_write_context(team))
        given.is_valid(raise_exception=True)
        action = action_create(team=team, by=user_of(request), **given.validated_data)
        return Response(ActionSerializer(action).data, status=status.HTTP_201_CREATED)


class ActionDetail(generics.GenericAPIView[Action]):
    serializer_class = ActionSerializer

    def get(self, request: Request, action_id: int) -> Response:
        action, _ = action_for_user(user_of(request), action_id)
        token_allows(request, action.team.organization_id)
        return Response(ActionSerializer(action).data)

    @extend_schema(request=ActionWriteSerializer, responses={200: ActionSerializer})
    def patch(self, request: Request, action_id: int) -> Response:
        """Change some of its fields: owner, due date, status (done records when), notes..."""
        action, membership = action_for_user(user_of(request), action_id)
        token_allows(request, action.team.organization_id)
        _check_plan_writable(action.team, membership)
        current = action_fields(action)
        if not isinstance(request.data, dict):
            raise Invalid([("", "Send a JSON object of the fields to change.")])
        # One owner: naming a member replaces a named owner, and a name replaces a member.
        if request.data.get("owner_id") is not None:
            current["owner_name"] = ""
        elif request.data.get("owner_name"):
            current["owner_id"] = None
        given = ActionWriteSerializer(
            data=current | dict(request.data), context=_write_context(action.team)
        )
        given.is_valid(raise_exception=True)
        action = action_update(action=action, by=user_of(request), **given.validated_data)
        return Response(ActionSerializer(action).data)


class AcceptRecommendations(generics.GenericAPIView[Action]):
    serializer_class = ActionSerializer
    pagination_class = None

    @extend_schema(
        request=AcceptSerializer,
        responses={201: ActionSerializer(many=True), 200: ActionSerializer(many=True)},
    )
    def post(self, request: Request, assessment_id: int) -> Response:
        """Accept some of the assessment's recommendations (by practice code) into the team's
        plan; a practice already in an open action is skipped."""
        assessment, membership = assessment_for_api(request, assessment_id)
        _check_plan_writable(assessment.team, membership)
        if assessment.result is None:
            raise NotFound(NO_RESULT)
        given = AcceptSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            created = actions_accept(
                assessment=assessment,
                codes=[code.upper() for code in given.validated_data["practices"]],
                by=user_of(request),
                today=localdate(),
            )
        except ValueError as error:
            raise Invalid([("practices", str(error))]) from None
        # 200 when every practice was in the plan already: nothing was created.
        return Response(
            ActionSerializer(created, many=True).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )
