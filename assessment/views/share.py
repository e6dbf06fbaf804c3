"""Sharing a report without an account: owners and consultants make and revoke read-only links;
anyone with a live link reads that one report (page and PDF), and every use is logged."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment.forms.share import ShareForm
from assessment.models import ReportShare, ReportShareUse
from assessment.permissions import NO_SHARING, may_share
from assessment.selectors.assessments import assessment_for_user
from assessment.selectors.report import report_context, report_filename, report_sources
from assessment.selectors.shares import active_share, assessment_shares
from assessment.services.reports import report_pdf_bytes
from assessment.services.shares import share_create, share_revoke, share_use_record
from core.http import AuthenticatedHttpRequest

GONE = "This link has expired or was revoked. Ask whoever sent it for a new one."


@require_http_methods(["GET", "POST"])
def report_shares(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, membership = assessment_for_user(request.user, assessment_id)
    if not may_share(membership):
        raise PermissionDenied(NO_SHARING)
    if assessment.result is None:
        return redirect("assessment_review", assessment.pk)
    form = ShareForm(request.POST or None)
    new_link = ""
    if request.method == "POST" and form.is_valid():
        _share, token = share_create(
            assessment=assessment,
            by=request.user,
            days=form.cleaned_data["days"],
            note=form.cleaned_data["note"],
        )
        new_link = request.build_absolute_uri(reverse("shared_report", args=[assessment.pk, token]))
        form = ShareForm()
    return render(
        request,
        "assessment/report_shares.html",
        {
            "assessment": assessment,
            "membership": membership,
            "form": form,
            "new_link": new_link,
            "shares": assessment_shares(assessment),
            "now": timezone.now(),
        },
    )


@require_POST
def report_share_revoke(
    request: AuthenticatedHttpRequest, assessment_id: int, share_id: int
) -> HttpResponse:
    assessment, membership = assessment_for_user(request.user, assessment_id)
    if not may_share(membership):
        raise PermissionDenied(NO_SHARING)
    share = get_object_or_404(ReportShare, pk=share_id, assessment=assessment)
    share_revoke(share=share, by=request.user)
    messages.success(request, "The link is revoked: it no longer opens the report.")
    return redirect("report_shares", assessment.pk)


def _live(
    request: HttpRequest, assessment_id: int, token: str, kind: ReportShareUse.Kind
) -> ReportShare:
    share = active_share(assessment_id, token)
    if share is None or share.assessment.result is None:
        raise Http404(GONE)
    address = request.META.get("REMOTE_ADDR") or None
    share_use_record(
        share=share, kind=kind, address=address, agent=request.headers.get("User-Agent", "")
    )
    return share


def _private(response: HttpResponse) -> HttpResponse:
    # A shared report is confidential: not cached, not indexed, and no referrer leaks the link.
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_not_required
@require_GET
def shared_report(request: HttpRequest, assessment_id: int, token: str) -> HttpResponse:
    share = _live(request, assessment_id, token, ReportShareUse.Kind.PAGE)
    report = report_context(report_sources(share.assessment, shared=True))
    return _private(
        render(
            request,
            "reports/shared.html",
            {
                "assessment": share.assessment,
                "report": report,
                "view": report.view,
                "token": token,
                "expires_at": share.expires_at,
            },
        )
    )


@login_not_required
@require_GET
def shared_report_pdf(request: HttpRequest, assessment_id: int, token: str) -> HttpResponse:
    share = _live(request, assessment_id, token, ReportShareUse.Kind.PDF)
    response = HttpResponse(
        report_pdf_bytes(share.assessment, shared=True), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="{report_filename(share.assessment)}"'
    return _private(response)
