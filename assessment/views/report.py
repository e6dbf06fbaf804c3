"""The maturity report of a submitted assessment: a web page, a PDF download, and an editable
Word copy for consultants who finish the report in their own template."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from assessment.reports.docx import DOCX_CONTENT_TYPE, report_docx
from assessment.selectors.assessments import assessment_for_user
from assessment.selectors.report import report_context, report_filename, report_sources
from assessment.services.reports import report_pdf_bytes
from core.http import AuthenticatedHttpRequest, attachment


@require_GET
def assessment_report(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, membership = assessment_for_user(request.user, assessment_id)
    if assessment.result is None:
        return redirect("assessment_review", assessment.pk)
    report = report_context(report_sources(assessment))
    return render(
        request,
        "reports/report.html",
        {"assessment": assessment, "membership": membership, "report": report, "view": report.view},
    )


@require_GET
def assessment_report_pdf(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, _ = assessment_for_user(request.user, assessment_id)
    if assessment.result is None:
        return redirect("assessment_review", assessment.pk)
    return attachment(report_pdf_bytes(assessment), "application/pdf", report_filename(assessment))


@require_GET
def assessment_report_docx(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, _ = assessment_for_user(request.user, assessment_id)
    if assessment.result is None:
        return redirect("assessment_review", assessment.pk)
    data = report_docx(report_context(report_sources(assessment)))
    filename = report_filename(assessment).removesuffix(".pdf") + ".docx"
    return attachment(data, DOCX_CONTENT_TYPE, filename)
