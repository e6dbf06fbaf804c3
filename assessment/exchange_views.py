"""Moving assessments in and out: CSV and JSON downloads, and importing a file into a team."""

from __future__ import annotations

import json

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from assessment import selectors, services
from assessment.exports import assessment_csv, assessment_json, export_filename
from assessment.imports import read_import
from assessment.scoring.answers_file import AnswersFileError
from core import selectors as core_selectors


def _download(content: str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def assessment_export_csv(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment, _ = selectors.assessment_for_user(request.user, assessment_id)
    answers = selectors.final_answers_by_code(assessment)
    return _download(
        assessment_csv(assessment.bank.bank(), answers),
        "text/csv; charset=utf-8",
        export_filename(assessment, "csv"),
    )


@require_GET
def assessment_export_json(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment, _ = selectors.assessment_for_user(request.user, assessment_id)
    answers = selectors.final_answers_by_code(assessment)
    return _download(
        json.dumps(assessment_json(assessment, answers), indent=2, ensure_ascii=False),
        "application/json",
        export_filename(assessment, "json"),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Assessment file",
        help_text="A .json file exported from this tool, or an answers file (.yaml or .json).",
    )
    label = forms.CharField(
        max_length=100,
        required=False,
        help_text="Leave empty to keep the label stored in an exported file.",
    )


@require_http_methods(["GET", "POST"])
def assessment_import(request: HttpRequest, team_id: int) -> HttpResponse:
    team, membership = core_selectors.team_for_user(request.user, team_id)
    if not membership.can_edit:
        raise PermissionDenied("Your role in this organisation lets you read, not import.")
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            imported = read_import(form.cleaned_data["file"])
        except AnswersFileError as error:
            problems = error.problems
        else:
            label = form.cleaned_data["label"] or imported.label
            if not label:
                form.add_error("label", "This file holds no label: give the assessment one.")
            else:
                assessment = services.assessment_import(
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
