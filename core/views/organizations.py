"""An organisation's pages: the dashboard of its teams, switching between organisations, and
its activity log."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from assessment.formats.text import query_text
from assessment.permissions import OWNERS_ONLY, may_manage_members
from assessment.selectors.activity import organization_activity
from assessment.selectors.banks import newest_bank
from assessment.selectors.dashboard import SORTS, organization_team_rows
from core.http import AuthenticatedHttpRequest
from core.selectors import memberships_for, organization_for_user

QUERY_LIMIT = 100


@require_GET
def organization_dashboard(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization, membership = organization_for_user(request.user, slug)
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    query = query_text(request.GET, "q").strip()[:QUERY_LIMIT]
    drafts_only = request.GET.get("drafts") == "1"
    rows = organization_team_rows(organization, query=query, sort=sort, drafts_only=drafts_only)
    bank = newest_bank()
    return render(
        request,
        "assessment/organization_dashboard.html",
        {
            "organization": organization,
            "membership": membership,
            "snapshots": rows,
            "phase_codes": [p.code for p in bank.phases] if bank else [],
            "phases": bank.phases if bank else (),
            "sort": sort,
            "query": query,
            "drafts_only": drafts_only,
            "other_memberships": memberships_for(request.user).exclude(organization=organization),
        },
    )


@require_GET
def organization_switch(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The organisation switcher's target: another organisation's dashboard (404 if not yours).
    Without a choice (someone typing /orgs/), the home page, which lists their organisations."""
    slug = query_text(request.GET, "slug")
    if not slug:
        return redirect("home")
    organization, _ = organization_for_user(request.user, slug)
    return redirect("organization_detail", organization.slug)


@require_GET
def organization_activity_log(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Who did what in the organisation, newest first: owners only."""
    organization, membership = organization_for_user(request.user, slug)
    if not may_manage_members(membership):
        raise PermissionDenied(OWNERS_ONLY)
    return render(
        request,
        "core/organization_activity.html",
        {
            "organization": organization,
            "membership": membership,
            "entries": organization_activity(organization),
        },
    )
