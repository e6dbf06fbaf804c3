"""Creating an organisation, and its teams: create, rename, archive and restore, from the pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessment.permissions import (
    NO_ORGANIZATIONS,
    NO_TEAMS,
    may_create_organizations,
    may_manage_teams,
)
from core.forms import OrganizationCreateForm, TeamForm
from core.http import AuthenticatedHttpRequest
from core.models import Team
from core.selectors import organization_for_user, team_for_user
from core.services import organization_create, team_create, team_set_archived, team_update


@require_http_methods(["GET", "POST"])
def organization_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not may_create_organizations(request.user):
        raise PermissionDenied(NO_ORGANIZATIONS)
    form = OrganizationCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = organization_create(name=form.cleaned_data["name"], by=request.user)
        messages.success(request, f"{organization.name} is created, with you as its owner.")
        return redirect("organization_detail", organization.slug)
    return render(request, "core/organization_create.html", {"form": form})


@require_http_methods(["GET", "POST"])
def team_create_view(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization, membership = organization_for_user(request.user, slug)
    if not may_manage_teams(membership):
        raise PermissionDenied(NO_TEAMS)
    form = TeamForm(request.POST or None, organization=organization)
    if request.method == "POST" and form.is_valid():
        team = team_create(organization=organization, by=request.user, **form.cleaned_data)
        messages.success(request, f"Team \u201c{team.name}\u201d is created.")
        return redirect("team_detail", team.pk)
    return render(
        request,
        "core/team_form.html",
        {"form": form, "organization": organization, "team": None},
    )


@require_http_methods(["GET", "POST"])
def team_settings(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    team = _managed_team(request, team_id)
    form = TeamForm(
        request.POST or None,
        organization=team.organization,
        team=team,
        initial={
            "name": team.name,
            "description": team.description,
            "reassessment_months": team.reassessment_months,
        },
    )
    if request.method == "POST" and form.is_valid():
        team_update(team=team, by=request.user, **form.cleaned_data)
        messages.success(request, "Saved.")
        return redirect("team_detail", team.pk)
    return render(
        request,
        "core/team_form.html",
        {"form": form, "organization": team.organization, "team": team},
    )


@require_POST
def team_archive(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    team = _managed_team(request, team_id)
    archive = request.POST.get("archive") == "1"
    team_set_archived(team=team, archived=archive, by=request.user)
    messages.success(
        request,
        f"\u201c{team.name}\u201d is archived: out of the lists, its history kept."
        if archive
        else f"\u201c{team.name}\u201d is restored.",
    )
    return redirect("team_settings", team.pk)


def _managed_team(request: AuthenticatedHttpRequest, team_id: int) -> Team:
    """The team, for an owner or consultant of its organisation: 404 elsewhere, 403 to others."""
    team, membership = team_for_user(request.user, team_id)
    if not may_manage_teams(membership):
        raise PermissionDenied(NO_TEAMS)
    return team
