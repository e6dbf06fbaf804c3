"""Answering as a team: the lead invites respondents, then settles each question's final answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from assessment import selectors, services
from assessment.forms import NA_NEEDS_REASON
from assessment.models import REASON_MAX_LENGTH, AnswerChoice, Assessment, Respondent
from assessment.reports.context import ANSWER_LABELS
from assessment.scoring.types import AnswerValue, Bank
from assessment.selectors import ConsensusRow
from assessment.services import AnswerData
from assessment.views import LEAD_ONLY, SUBMITTED_READ_ONLY, leads
from core.models import Membership

ALL_PHASES = "Every phase"


class RespondentForm(forms.Form):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="Team member")
    role = forms.ChoiceField(label="Answers as", help_text="Shown beside their answers.")
    phases = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Phases they answer",
        help_text="Leave all unticked for every phase.",
    )

    def __init__(self, *args: Any, assessment: Assessment, bank: Bank, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = Respondent.objects.filter(assessment=assessment).values("user_id")
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        editors = Membership.objects.filter(organization=assessment.team.organization).exclude(
            role="viewer"
        )
        user_field.queryset = (
            get_user_model()
            .objects.filter(pk__in=editors.values("user_id"))
            .exclude(pk__in=taken)
            .order_by("username")
        )
        self.fields["role"].choices = [(r.code, r.name) for r in bank.roles]
        self.fields["phases"].choices = [(p.code, p.name) for p in bank.phases]


def _led(request: HttpRequest, assessment_id: int) -> tuple[Assessment, Membership]:
    assessment, membership = selectors.assessment_for_user(request.user, assessment_id)
    if not leads(assessment, request.user, membership):
        raise PermissionDenied(LEAD_ONLY)
    return assessment, membership


@require_http_methods(["GET", "POST"])
def assessment_respondents(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment, membership = selectors.assessment_for_user(request.user, assessment_id)
    bank = assessment.bank.bank()
    form = RespondentForm(request.POST or None, assessment=assessment, bank=bank)
    if request.method == "POST":
        if not leads(assessment, request.user, membership):
            raise PermissionDenied(LEAD_ONLY)
        if assessment.is_submitted:
            messages.error(request, SUBMITTED_READ_ONLY)
            return redirect("assessment_result", assessment.pk)
        if "naming" in request.POST:
            services.assessment_set_naming(
                assessment=assessment, name_respondents=request.POST.get("naming") == "named"
            )
            messages.success(request, "Saved how the report shows respondents.")
            return redirect("assessment_respondents", assessment.pk)
        if form.is_valid():
            try:
                respondent = services.respondent_add(
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
    respondents = list(
        Respondent.objects.filter(assessment=assessment)
        .select_related("user")
        .order_by("-is_lead", "created_at")
    )
    counts = selectors.answer_counts(assessment)
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
                for r in respondents
            ],
            "leads": leads(assessment, request.user, membership),
            "total": len(bank.questions),
        },
    )


@require_POST
def assessment_respondent_remove(
    request: HttpRequest, assessment_id: int, respondent_id: int
) -> HttpResponse:
    assessment, _ = _led(request, assessment_id)
    respondent = selectors.respondent_of(assessment, respondent_id)
    try:
        services.respondent_remove(respondent=respondent, by=request.user)
    except services.AssessmentLocked as error:
        messages.error(request, str(error))
    return redirect("assessment_respondents", assessment.pk)


def final_choices(row: ConsensusRow) -> list[tuple[str, str]]:
    values = [AnswerValue.NOT_IN_PLACE, AnswerValue.MANUAL, AnswerValue.AUTOMATED]
    if row.question.allow_na:
        values.append(AnswerValue.NOT_APPLICABLE)
    values.append(AnswerValue.UNKNOWN)
    return [(v.value, ANSWER_LABELS[v]) for v in values]


class ConsensusForm(forms.Form):
    """One final answer (and why) per question; starts from the saved final or the suggestion."""

    def __init__(self, *args: Any, rows: list[ConsensusRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            code = row.question.code
            final = row.final
            self.fields[f"{code}-final"] = forms.ChoiceField(
                choices=[("", "Not settled yet"), *final_choices(row)],
                required=False,
                label=f"Final answer for {code}",
                initial=final.value if final else row.suggested,
                show_hidden_initial=True,
            )
            self.fields[f"{code}-why"] = forms.CharField(
                max_length=REASON_MAX_LENGTH,
                required=False,
                label=f"Why (for {code})",
                widget=forms.TextInput(attrs={"placeholder": "Why this answer"}),
                initial=(final.reason or final.note) if final else "",
                show_hidden_initial=True,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for row in self.rows:
            code = row.question.code
            if (
                cleaned.get(f"{code}-final") == AnswerChoice.NOT_APPLICABLE
                and not cleaned.get(f"{code}-why", "").strip()
            ):
                self.add_error(f"{code}-why", NA_NEEDS_REASON)
        return cleaned

    def changes(self) -> dict[str, AnswerData]:
        """What to settle: every answer the lead changed on this page, and the untouched
        suggestions of questions still unsettled. An untouched row that someone else settled
        since the page was shown is left as they settled it."""
        changed = {name.rsplit("-", 1)[0] for name in self.changed_data}
        result = {}
        for row in self.rows:
            code = row.question.code
            value = self.cleaned_data.get(f"{code}-final") or ""
            if not value or (code not in changed and row.final is not None):
                continue
            why = self.cleaned_data.get(f"{code}-why", "").strip()
            is_na = value == AnswerChoice.NOT_APPLICABLE
            result[code] = AnswerData(
                value=value, note="" if is_na else why, reason=why if is_na else ""
            )
        return result


@require_http_methods(["GET", "POST"])
def assessment_consensus(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment, membership = _led(request, assessment_id)
    if assessment.is_submitted and request.method == "POST":
        messages.error(request, SUBMITTED_READ_ONLY)
        return redirect("assessment_result", assessment.pk)
    bank = assessment.bank.bank()
    respondents, rows = selectors.consensus_rows(assessment, bank)
    form = ConsensusForm(request.POST or None, rows=rows)
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.final_answers_save(
                    assessment=assessment, changes=form.changes(), by=request.user
                )
            except services.AssessmentLocked:
                messages.error(request, SUBMITTED_READ_ONLY)
                return redirect("assessment_result", assessment.pk)
            messages.success(request, f"Settled {saved} answer{'s' if saved != 1 else ''}.")
            return redirect("assessment_consensus", assessment.pk)
        messages.error(request, "Nothing was saved: please correct the answers marked below.")
    role_names = {r.code: r.name for r in bank.roles}
    return render(
        request,
        "assessment/consensus.html",
        {
            "assessment": assessment,
            "membership": membership,
            "respondents": [
                (r, role_names.get(r.role, "lead" if r.is_lead else "")) for r in respondents
            ],
            "rows": [
                (
                    row,
                    [
                        (a, ANSWER_LABELS[AnswerValue(a.value)] if a.value else "—")
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
