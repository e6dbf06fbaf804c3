"""Organisations and their teams: listed, read, and created by a script (a consultant setting up
a client and its teams)."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from assessment.api.access import token_allows, visible_organization_ids
from assessment.api.base import user_of
from assessment.api.problems import Invalid
from assessment.api.serializers import (
    MemberSerializer,
    OrganizationCreateSerializer,
    OrganizationSerializer,
    TeamCreateSerializer,
    TeamSerializer,
)
from assessment.permissions import (
    NO_ORGANIZATIONS,
    NO_TEAMS,
    may_create_organizations,
    may_manage_teams,
)
from core.models import Membership, Organization, Team
from core.selectors import (
    organization_for_user,
    organization_members,
    organizations_for,
    team_for_user,
)
from core.services import organization_create, team_create

RESTRICTED_TOKEN = "This token is restricted to one organisation: it cannot create another."


def _roles(request: Request) -> dict[int, str]:
    return dict(
        Membership.objects.filter(user=user_of(request)).values_list("organization_id", "role")
    )


class OrganizationList(generics.ListAPIView[Organization]):
    """The organisations you belong to (only the token's, for a restricted token)."""

    serializer_class = OrganizationSerializer

    def get_queryset(self) -> QuerySet[Organization]:
        organizations = organizations_for(user_of(self.request)).order_by("name", "pk")
        only = visible_organization_ids(self.request)
        return organizations if only is None else organizations.filter(pk__in=only)

    def get_serializer_context(self) -> dict[str, Any]:
        return super().get_serializer_context() | {"roles": _roles(self.request)}

    @extend_schema(request=OrganizationCreateSerializer, responses={201: OrganizationSerializer})
    def post(self, request: Request) -> Response:
        """Create an organisation; you become its owner."""
        if visible_organization_ids(request) is not None:
            raise PermissionDenied(RESTRICTED_TOKEN)
        if not may_create_organizations(user_of(request)):
            raise PermissionDenied(NO_ORGANIZATIONS)
        given = OrganizationCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        organization = organization_create(name=given.validated_data["name"], by=user_of(request))
        data = OrganizationSerializer(organization, context={"roles": {organization.pk: "owner"}})
        return Response(data.data, status=status.HTTP_201_CREATED)


class OrganizationDetail(generics.GenericAPIView[Organization]):
    serializer_class = OrganizationSerializer

    @extend_schema(responses=OrganizationSerializer)
    def get(self, request: Request, slug: str) -> Response:
        organization, membership = organization_for_user(user_of(request), slug)
        token_allows(request, organization.pk)
        context = {"roles": {organization.pk: membership.role}}
        return Response(OrganizationSerializer(organization, context=context).data)


class TeamList(generics.ListAPIView[Team]):
    """An organisation's teams, archived ones last."""

    serializer_class = TeamSerializer

    def get_queryset(self) -> QuerySet[Team]:
        organization, _ = organization_for_user(user_of(self.request), self.kwargs["slug"])
        token_allows(self.request, organization.pk)
        return (
            Team.objects.filter(organization=organization)
            .select_related("organization")
            .order_by("archived_at", "name", "pk")
        )

    @extend_schema(request=TeamCreateSerializer, responses={201: TeamSerializer})
    def post(self, request: Request, slug: str) -> Response:
        """Create a team (owners and consultants)."""
        organization, membership = organization_for_user(user_of(request), slug)
        token_allows(request, organization.pk)
        if not may_manage_teams(membership):
            raise PermissionDenied(NO_TEAMS)
        given = TeamCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        name = given.validated_data["name"].strip()
        taken = Invalid([("name", f"{organization.name} already has a team called {name}.")])
        if Team.objects.filter(organization=organization, name__iexact=name).exists():
            raise taken
        try:
            team = team_create(
                organization=organization,
                name=name,
                description=given.validated_data["description"],
                reassessment_months=int(given.validated_data["reassessment_months"]),
                by=user_of(request),
            )
        except IntegrityError:  # the same name, created by a simultaneous request
            raise taken from None
        return Response(TeamSerializer(team).data, status=status.HTTP_201_CREATED)


class TeamDetail(generics.GenericAPIView[Team]):
    serializer_class = TeamSerializer

    @extend_schema(responses=TeamSerializer)
    def get(self, request: Request, team_id: int) -> Response:
        team, _ = team_for_user(user_of(request), team_id)
        token_allows(request, team.organization_id)
        return Response(TeamSerializer(team).data)


class MemberList(generics.ListAPIView[Membership]):
    """Who belongs to the organisation, with the user id an action's `owner_id` takes."""

    serializer_class = MemberSerializer

    def get_queryset(self) -> QuerySet[Membership]:
        organization, _ = organization_for_user(user_of(self.request), self.kwargs["slug"])
        token_allows(self.request, organization.pk)
        return organization_members(organization).order_by("user__username", "pk")
