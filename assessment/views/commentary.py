"""The consultant's words on a report: write them as a draft, publish them (the report then
shows a frozen copy, with the branding of that moment), withdraw the publication to edit."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessment.forms.commentary import NOTE_PREFIX, CommentaryForm
from assessment.permissions import NO_COMMENTARY, may_sign_reports
from assessment.selectors.assessments import assessment_for_user
from assessment.selectors.report import report_context, report_sources
from assessment.services.commentary import CommentaryLocked, commentary_save, commentary_withdraw
from core.http import AuthenticatedHttpRequest

PUBLISH = "publish"


@require_http_methods(["GET", "POST"])
def report_commentary(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, membership = assessment_for_user(request.user, assessment_id)
    if not may_sign_reports(membership):
        raise PermissionDenied(NO_COMMENTARY)
    if assessment.result is None:
        return redirect("assessment_review", assessment.pk)
    sources = report_sources(assessment)
    report = report_context(sources)
    record = sources.signature.record
    # The executive paragraph stands for the summary: the other sections each take a note.
    sections = tuple(section for section in report.sections if section.anchor != "summary")
    initial: dict[str, object] = {"executive": record.executive if record else ""}
    initial |= {f"{NOTE_PREFIX}{a}": t for a, t in (record.notes.items() if record else ())}
    initial["result_version"] = assessment.result_version
    form = CommentaryForm(request.POST or None, sections=sections, initial=initial)
    published = record is not None and record.is_published
    if request.method == "POST" and not published and form.is_valid():
        publish = request.POST.get("action") == PUBLISH
        try:
            commentary_save(
                assessment=assessment,
                executive=form.cleaned_data["executive"],
                notes=form.notes(),
                seen_version=form.cleaned_data["result_version"],
                by=request.user,
                publish=publish,
            )
        except CommentaryLocked as refused:
            # Kept on the page, never lost: the writer checks the new figures and saves again.
            data = request.POST.copy()
            data["result_version"] = str(assessment.result_version)
            form = CommentaryForm(data, sections=sections, initial=initial)
            form.is_valid()
            form.add_error(None, str(refused))
        else:
            if publish:
                messages.success(request, "Published: the report now shows these words.")
                return redirect("assessment_report", assessment.pk)
            messages.success(request, "Draft saved. The report shows it marked “Draft”.")
            return redirect("report_commentary", assessment.pk)
    return render(
        request,
        "assessment/report_commentary.html",
        {
            "assessment": assessment,
            "membership": membership,
            "form": form,
            "record": record,
            "published": published,
            "branding": sources.signature.branding,
            "published_notes": [
                (report.section_titles.get(anchor, anchor), note)
                for anchor, note in (record.notes.items() if record else ())
            ],
        },
    )


@require_POST
def report_commentary_withdraw(
    request: AuthenticatedHttpRequest, assessment_id: int
) -> HttpResponse:
    assessment, membership = assessment_for_user(request.user, assessment_id)
    if not may_sign_reports(membership):
        raise PermissionDenied(NO_COMMENTARY)
    if commentary_withdraw(assessment=assessment, by=request.user):
        messages.success(request, "Publication withdrawn: edit the draft, then publish it again.")
    else:
        messages.info(request, "The commentary was not published: there was nothing to withdraw.")
    return redirect("report_commentary", assessment.pk)
