"""An organisation's pages: the dashboard of its teams, switching between organisations, and
its activity log."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.timezone import localdate
from django.views.decorators.http import require_GET, require_http_methods

from assessment.formats.text import query_text
from assessment.permissions import NO_COMMENTARY, OWNERS_ONLY, may_manage_members, may_sign_reports
from assessment.selectors.activity import organization_activity
from assessment.selectors.banks import newest_bank
from assessment.selectors.dashboard import SORTS, organization_team_rows
from core.forms import OrganizationSettingsForm, ReportBrandingForm
from core.http import AuthenticatedHttpRequest
from core.logos import logo_data_uri
from core.models import ReportBranding
from core.selectors import archived_teams, memberships_for, organization_for_user
from core.services import branding_save, organization_settings_save

QUERY_LIMIT = 100


@require_GET
def organization_dashboard(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization, membership = organization_for_user(request.user, slug)
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    query = query_text(request.GET, "q").strip()[:QUERY_LIMIT]
    drafts_only = request.GET.get("drafts") == "1"
    rows = organization_team_rows(
        organization, today=localdate(), query=query, sort=sort, drafts_only=drafts_only
    )
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
            "archived_teams": list(archived_teams(organization)),
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


@require_http_methods(["GET", "POST"])
def organization_branding(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """How the organisation's reports are signed: owners and consultants set it."""
    organization, membership = organization_for_user(request.user, slug)
    if not may_sign_reports(membership):
        raise PermissionDenied(NO_COMMENTARY)
    current = ReportBranding.objects.filter(organization=organization).first()
    initial = (
        {"prepared_by": current.prepared_by, "firm": current.firm}
        | {"confidentiality": current.confidentiality}
        if current
        else {}
    )
    form = ReportBrandingForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        branding_save(
            organization=organization,
            prepared_by=form.cleaned_data["prepared_by"],
            firm=form.cleaned_data["firm"],
            confidentiality=form.cleaned_data["confidentiality"],
            logo=form.logo_change(),
            by=request.user,
        )
        messages.success(
            request,
            "Saved. Reports and drafts use it from now on; published reports keep theirs.",
        )
        return redirect("organization_branding", organization.slug)
    return render(
        request,
        "core/organization_branding.html",
        {
            "organization": organization,
            "membership": membership,
            "form": form,
            "logo": logo_data_uri(bytes(current.logo)) if current else "",
        },
    )


@require_http_methods(["GET", "POST"])
def organization_settings(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """The organisation's name and its sign-in rules: owners only."""
    organization, membership = organization_for_user(request.user, slug)
    if not may_manage_members(membership):
        raise PermissionDenied(OWNERS_ONLY)
    form = OrganizationSettingsForm(
        request.POST or None,
        organization=organization,
        user=request.user,
        initial={
            "name": organization.name,
            "require_mfa": organization.require_mfa,
            "sso_domain": organization.sso_domain,
        },
    )
    if request.method == "POST" and form.is_valid():
        organization_settings_save(organization=organization, by=request.user, **form.cleaned_data)
        messages.success(
            request, "Saved. Members who are signed in meet the new rules at their next sign-in."
        )
        return redirect("organization_settings", organization.slug)
    return render(
        request,
        "core/organization_settings.html",
        {"organization": organization, "membership": membership, "form": form},
    )
