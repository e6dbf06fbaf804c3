"""Moving assessments in and out: CSV and JSON downloads, importing a file into a team, and an
organisation's ZIP export built in the background."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessment.formats.answers_file import AnswersFileError
from assessment.formats.assessment_file import assessment_csv, assessment_json, export_filename
from assessment.forms.exchange import ImportForm
from assessment.forms.questionnaire import LABEL_TAKEN, free_label
from assessment.permissions import (
    NO_EXPORT_CANCEL,
    NO_EXPORTS,
    NO_IMPORTS,
    TEAM_ARCHIVED,
    may_cancel_export,
    may_edit,
)
from assessment.selectors.answers import scored_answers
from assessment.selectors.assessments import (
    assessment_for_user,
    assessment_labels,
    assessment_record,
)
from assessment.selectors.exports import export_file, export_is_stale, export_job
from assessment.services.exports import organization_export_cancel, organization_export_start
from assessment.services.imports import assessment_import, read_import
from core.http import AuthenticatedHttpRequest, attachment
from core.selectors import organization_for_user, team_for_user


@require_GET
def assessment_export_csv(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, _ = assessment_for_user(request.user, assessment_id)
    answers = scored_answers(assessment).answers
    return attachment(
        assessment_csv(assessment.bank.bank(), answers),
        "text/csv; charset=utf-8",
        export_filename(assessment.team.name, assessment.label, "csv"),
    )


@require_GET
def assessment_export_json(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, _ = assessment_for_user(request.user, assessment_id)
    answers = scored_answers(assessment).answers
    return attachment(
        json.dumps(
            assessment_json(assessment_record(assessment), answers), indent=2, ensure_ascii=False
        ),
        "application/json",
        export_filename(assessment.team.name, assessment.label, "json"),
    )


@require_http_methods(["GET", "POST"])
def assessment_import_page(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    team, membership = team_for_user(request.user, team_id)
    if not may_edit(membership):
        raise PermissionDenied(NO_IMPORTS)
    if team.archived_at is not None:
        messages.error(request, TEAM_ARCHIVED)
        return redirect("team_detail", team.pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            imported = read_import(form.cleaned_data["file"])
        except AnswersFileError as error:
            problems = error.problems
        else:
            label = " ".join((form.cleaned_data["label"] or imported.label).split())
            taken = assessment_labels(team)
            if not label:
                form.add_error("label", "This file holds no label: give the assessment one.")
            elif label.casefold() in taken:
                form.add_error(
                    "label", LABEL_TAKEN.format(label=label, free=free_label(label, taken))
                )
            else:
                assessment = assessment_import(
                    team=team,
                    bank=imported.bank,
                    label=label,
                    given=imported.given,
                    by=request.user,
                )
                messages.success(
                    request,
                    f"Imported {len(imported.given.answers)} answers as a draft: review and "
                    "submit it when it is right.",
                )
                return redirect("assessment_review", assessment.pk)
    return render(
        request,
        "assessment/import.html",
        {"team": team, "form": form, "problems": problems},
    )


@require_POST
def organization_export_request(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization, membership = organization_for_user(request.user, slug)
    if not may_edit(membership):
        raise PermissionDenied(NO_EXPORTS)
    job = organization_export_start(organization=organization, by=request.user)
    return redirect("organization_export", organization.slug, job.pk)


@require_GET
def organization_export(request: AuthenticatedHttpRequest, slug: str, job_id: int) -> HttpResponse:
    organization, membership = organization_for_user(request.user, slug)
    job = export_job(organization, job_id)
    return render(
        request,
        "assessment/organization_export.html",
        {
            "organization": organization,
            "membership": membership,
            "job": job,
            "stale": export_is_stale(job),
            "may_cancel": may_cancel_export(membership),
        },
    )


@require_POST
def organization_export_cancel_request(
    request: AuthenticatedHttpRequest, slug: str, job_id: int
) -> HttpResponse:
    organization, membership = organization_for_user(request.user, slug)
    if not may_cancel_export(membership):
        raise PermissionDenied(NO_EXPORT_CANCEL)
    job = export_job(organization, job_id)
    organization_export_cancel(job=job, by=request.user)
    return redirect("organization_export", organization.slug, job.pk)


@require_GET
def organization_export_download(
    request: AuthenticatedHttpRequest, slug: str, job_id: int
) -> FileResponse:
    """Streams the ZIP from the file storage, whichever host's worker built it. Through this
    host rather than a redirect to a presigned bucket URL: the bucket need not be reachable
    from browsers, and every byte passes the access check above."""
    organization, _ = organization_for_user(request.user, slug)
    job = export_job(organization, job_id)
    file = export_file(job)
    if file is None:
        raise Http404
    response = FileResponse(file, as_attachment=True, filename=job.file_name)
    if "Content-Length" not in response:  # a bucket's file streams: its size came with it
        response["Content-Length"] = str(file.size)
    return response
