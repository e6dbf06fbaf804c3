"""Answering as a team: the lead invites respondents, then settles each question's final answer."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from assessment.forms.consensus import ConsensusForm, RespondentForm
from assessment.models import Assessment
from assessment.permissions import LEAD_ONLY, SUBMITTED_READ_ONLY, leads
from assessment.scoring.types import answer_label
from assessment.selectors.assessments import assessment_for_user
from assessment.selectors.consensus import consensus_rows, respondent_role_name
from assessment.selectors.respondents import answer_counts, respondent_of, respondents
from assessment.services.answers import final_answers_save
from assessment.services.assessments import AssessmentLocked, assessment_set_naming
from assessment.services.respondents import respondent_add, respondent_remove
from core.confirm import Confirmation, confirmation_page
from core.http import AuthenticatedHttpRequest
from core.models import Membership

ALL_PHASES = "Every phase"


def _led(request: AuthenticatedHttpRequest, assessment_id: int) -> tuple[Assessment, Membership]:
    assessment, membership = assessment_for_user(request.user, assessment_id)
    if not leads(assessment, request.user, membership):
        raise PermissionDenied(LEAD_ONLY)
    return assessment, membership


@require_http_methods(["GET", "POST"])
def assessment_respondents(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, membership = assessment_for_user(request.user, assessment_id)
    bank = assessment.bank.bank()
    form = RespondentForm(request.POST or None, assessment=assessment, bank=bank)
    if request.method == "POST":
        if not leads(assessment, request.user, membership):
            raise PermissionDenied(LEAD_ONLY)
        if assessment.is_submitted:
            messages.error(request, SUBMITTED_READ_ONLY)
            return redirect("assessment_result", assessment.pk)
        if "naming" in request.POST:
            assessment_set_naming(
                assessment=assessment,
                name_respondents=request.POST.get("naming") == "named",
                by=request.user,
            )
            messages.success(request, "Saved how the report shows respondents.")
            return redirect("assessment_respondents", assessment.pk)
        if form.is_valid():
            try:
                respondent = respondent_add(
                    assessment=assessment,
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                    phases=form.cleaned_data["phases"],
                    by=request.user,
                )
            except IntegrityError:  # the same invitation, sent twice at once
                messages.info(request, "That person already answers this assessment.")
                return redirect("assessment_respondents", assessment.pk)
            messages.success(
                request,
                f"{respondent.user.get_username()} now answers on their own; you settle the "
                "final answers in the consensus view.",
            )
            return redirect("assessment_respondents", assessment.pk)
    counts = answer_counts(assessment)
    role_names = {r.code: r.name for r in bank.roles}
    phase_names = {p.code: p.name for p in bank.phases}
    return render(
        request,
        "assessment/respondents.html",
        {
            "assessment": assessment,
            "membership": membership,
            "form": form,
            "rows": [
                (
                    r,
                    role_names.get(r.role, "—"),
                    ", ".join(phase_names[p] for p in r.phases) or ALL_PHASES,
                    counts.get(r.pk, 0),
                )
                for r in respondents(assessment)
            ],
            "leads": leads(assessment, request.user, membership),
            "total": len(bank.questions),
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_respondent_remove(
    request: AuthenticatedHttpRequest, assessment_id: int, respondent_id: int
) -> HttpResponse:
    """POST: remove a respondent; GET: confirm it first."""
    assessment, _ = _led(request, assessment_id)
    respondent = respondent_of(assessment, respondent_id)
    if request.method == "GET":
        name = respondent.user.get_username()
        return confirmation_page(
            request,
            Confirmation(
                title=f"Remove {name} from \u201c{assessment.label}\u201d?",
                consequences=(
                    f"{name}'s answers to this assessment are deleted and leave the consensus "
                    "view. Final answers already settled stay as they are.",
                ),
                confirm_label=f"Remove {name} and their answers",
                action_url=reverse(
                    "assessment_respondent_remove", args=[assessment.pk, respondent.pk]
                ),
                cancel_url=reverse("assessment_respondents", args=[assessment.pk]),
                button_class="btn-danger",
            ),
        )
    try:
        respondent_remove(respondent=respondent, by=request.user)
    except AssessmentLocked as error:
        messages.error(request, str(error))
    return redirect("assessment_respondents", assessment.pk)


@require_http_methods(["GET", "POST"])
def assessment_consensus(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, membership = _led(request, assessment_id)
    if assessment.is_submitted and request.method == "POST":
        messages.error(request, SUBMITTED_READ_ONLY)
        return redirect("assessment_result", assessment.pk)
    bank = assessment.bank.bank()
    people, rows = consensus_rows(assessment, bank)
    form = ConsensusForm(request.POST or None, rows=rows)
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = final_answers_save(
                    assessment=assessment, changes=form.changes(), by=request.user
                )
            except AssessmentLocked:
                messages.error(request, SUBMITTED_READ_ONLY)
                return redirect("assessment_result", assessment.pk)
            messages.success(request, f"Settled {saved} answer{'s' if saved != 1 else ''}.")
            return redirect("assessment_consensus", assessment.pk)
        messages.error(request, "Nothing was saved: please correct the answers marked below.")
    return render(
        request,
        "assessment/consensus.html",
        {
            "assessment": assessment,
            "membership": membership,
            "respondents": [(r, respondent_role_name(r, bank)) for r in people],
            "rows": [
                (
                    row,
                    [
                        (a, answer_label(a.value, row.question.level) if a.value else "—")
                        for a in row.answers
                    ],
                    form[f"{row.question.code}-final"],
                    form[f"{row.question.code}-why"],
                )
                for row in rows
            ],
            "form": form,
            "flagged": sum(row.flagged for row in rows),
            "settled": sum(row.final is not None for row in rows),
            "read_only": assessment.is_submitted,
        },
    )
