"""Reads that decide what a user may see. Every view that takes an object id goes through here."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import Prefetch, QuerySet
from django.http import Http404

from core.models import Invitation, Membership, Organization, Team

AnyUser = User | AnonymousUser


def organizations_for(user: AnyUser) -> QuerySet[Organization]:
    """The organisations the user belongs to, in any role."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).distinct()


def teams_for(user: AnyUser) -> QuerySet[Team]:
    """The teams of every organisation the user belongs to."""
    if not user.is_authenticated:
        return Team.objects.none()
    return Team.objects.filter(organization__memberships__user=user).select_related("organization")


def memberships_for(user: AnyUser) -> QuerySet[Membership]:
    """The user's memberships with their organisations and teams, for the home page."""
    if not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("organization")
        .prefetch_related(
            Prefetch(
                "organization__teams",
                queryset=Team.objects.filter(archived_at__isnull=True).order_by("name"),
            )
        )
        .order_by("organization__name")
    )


def membership_in(user: AnyUser, organization: Organization) -> Membership:
    """The user's membership of an organisation; 404 when there is none, so ids do not leak."""
    if not user.is_authenticated:
        raise Http404
    try:
        return Membership.objects.get(user=user, organization=organization)
    except Membership.DoesNotExist:
        raise Http404 from None


def organization_for_user(user: User, slug: str) -> tuple[Organization, Membership]:
    try:
        membership = Membership.objects.select_related("organization").get(
            user=user, organization__slug=slug
        )
    except Membership.DoesNotExist:
        raise Http404 from None
    return membership.organization, membership


def team_for_user(user: AnyUser, team_id: int) -> tuple[Team, Membership]:
    """A team the user may see, with the membership that grants it; 404 otherwise."""
    if not user.is_authenticated:
        raise Http404
    try:
        team = Team.objects.select_related("organization").get(pk=team_id)
        membership = Membership.objects.get(user=user, organization_id=team.organization_id)
    except (Team.DoesNotExist, Membership.DoesNotExist):
        raise Http404 from None
    return team, membership


def membership_of(organization: Organization, membership_id: int) -> Membership:
    """One membership of an organisation, by id; 404 when it belongs to another."""
    try:
        return Membership.objects.select_related("user").get(
            pk=membership_id, organization=organization
        )
    except Membership.DoesNotExist:
        raise Http404 from None


def organization_members(organization: Organization) -> QuerySet[Membership]:
    return Membership.objects.filter(organization=organization).select_related("user")


def display_name(user: AbstractBaseUser) -> str:
    """The user's full name ("Dana Okafor"), or the username when no name was given."""
    get_full_name = getattr(user, "get_full_name", None)
    name = (get_full_name() if get_full_name else "").strip()
    return name or user.get_username()


def archived_teams(organization: Organization) -> QuerySet[Team]:
    return Team.objects.filter(organization=organization, archived_at__isnull=False).order_by(
        "name"
    )


def pending_invitations(organization: Organization) -> QuerySet[Invitation]:
    """Invitations neither accepted nor revoked, newest first; expired ones say so."""
    return Invitation.objects.filter(
        organization=organization, accepted_at=None, revoked_at=None
    ).select_related("created_by")
