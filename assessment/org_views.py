"""Organisation-level pages: the dashboard of teams, members, exports and imports."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment import selectors, services
from assessment.dashboard import SORTS, organization_snapshots, rows_html
from assessment.models import ExportJob
from assessment.tasks import export_path
from core import selectors as core_selectors
from core import services as core_services
from core.forms import MemberInviteForm, MemberRoleForm
from core.models import Membership, Role

OWNERS_ONLY = "Only an owner of this organisation can manage its members."


@require_GET
def organization_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    organization, membership = core_selectors.organization_for_user(request.user, slug)
    sort = request.GET.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    query = request.GET.get("q", "").strip()[:100]
    drafts_only = request.GET.get("drafts") == "1"
    snapshots = organization_snapshots(
        organization, query=query, sort=sort, drafts_only=drafts_only
    )
    bank = selectors.newest_bank()
    return render(
        request,
        "assessment/organization_dashboard.html",
        {
            "organization": organization,
            "membership": membership,
            "snapshots": snapshots,
            "rows_html": rows_html(snapshots, [p.code for p in bank.phases] if bank else []),
            "phases": bank.phases if bank else (),
            "sort": sort,
            "query": query,
            "drafts_only": drafts_only,
            "other_memberships": core_selectors.memberships_for(request.user).exclude(
                organization=organization
            ),
        },
    )


@require_GET
def organization_switch(request: HttpRequest) -> HttpResponse:
    """The organisation switcher's target: another organisation's dashboard (404 if not yours)."""
    organization, _ = core_selectors.organization_for_user(
        request.user, request.GET.get("slug", "")
    )
    return redirect("organization_detail", organization.slug)


def _owned(request: HttpRequest, slug: str) -> tuple:
    organization, membership = core_selectors.organization_for_user(request.user, slug)
    if membership.role != Role.OWNER:
        raise PermissionDenied(OWNERS_ONLY)
    return organization, membership


@require_http_methods(["GET", "POST"])
def organization_members(request: HttpRequest, slug: str) -> HttpResponse:
    organization, membership = core_selectors.organization_for_user(request.user, slug)
    form = MemberInviteForm(request.POST or None, organization=organization)
    if request.method == "POST":
        if membership.role != Role.OWNER:
            raise PermissionDenied(OWNERS_ONLY)
        if form.is_valid():
            try:
                added = core_services.membership_add(
                    organization=organization,
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                    by=request.user,
                )
            except IntegrityError:  # the same invitation, sent twice at once
                messages.info(request, "That person already belongs to this organisation.")
                return redirect("organization_members", organization.slug)
            messages.success(
                request, f"{added.user.get_username()} joined as {added.get_role_display()}."
            )
            return redirect("organization_members", organization.slug)
    members = Membership.objects.filter(organization=organization).select_related("user")
    return render(
        request,
        "assessment/organization_members.html",
        {
            "organization": organization,
            "membership": membership,
            "members": members,
            "form": form,
            "role_choices": Role.choices,
        },
    )


@require_POST
def organization_member_update(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    organization, _ = _owned(request, slug)
    target = selectors.membership_of(organization, membership_id)
    try:
        if "remove" in request.POST:
            core_services.membership_remove(membership=target, by=request.user)
            messages.success(request, f"{target.user.get_username()} no longer belongs here.")
        else:
            form = MemberRoleForm(request.POST, prefix=f"m{target.pk}")
            if not form.is_valid():
                messages.error(request, "Choose one of the listed roles.")
            else:
                core_services.membership_set_role(
                    membership=target, role=form.cleaned_data["role"], by=request.user
                )
                messages.success(request, f"{target.user.get_username()} is now {target.role}.")
    except core_services.LastOwner as error:
        messages.error(request, str(error))
    return redirect("organization_members", organization.slug)


@require_POST
def organization_export_start(request: HttpRequest, slug: str) -> HttpResponse:
    organization, membership = core_selectors.organization_for_user(request.user, slug)
    if not membership.can_edit:
        raise PermissionDenied("Your role in this organisation does not include exports.")
    job = services.organization_export_start(organization=organization, by=request.user)
    return redirect("organization_export", organization.slug, job.pk)


@require_GET
def organization_export(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    organization, membership = core_selectors.organization_for_user(request.user, slug)
    job = selectors.export_job(organization, job_id)
    return render(
        request,
        "assessment/organization_export.html",
        {"organization": organization, "membership": membership, "job": job},
    )


@require_GET
def organization_export_download(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    organization, _ = core_selectors.organization_for_user(request.user, slug)
    job = selectors.export_job(organization, job_id)
    path = export_path(job) if job.status == ExportJob.Status.DONE else None
    if path is None or not path.is_file():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=job.file_name)
