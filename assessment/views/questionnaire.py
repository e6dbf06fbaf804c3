"""The questionnaire: start an assessment, say who the team has, answer phase by phase, review,
submit, reopen, and read the result."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import BoundField
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from assessment.formats.records import AnswerRecord
from assessment.formats.text import UNSTORABLE_TEXT, is_storable
from assessment.forms.questionnaire import CompositionForm, PhaseAnswersForm, StartAssessmentForm
from assessment.models import Assessment
from assessment.permissions import (
    LEAD_ONLY,
    READ_ONLY_ROLE,
    REOPEN_REFUSED,
    SUBMITTED_READ_ONLY,
    TEAM_ARCHIVED,
    leads,
    may_edit,
    may_reopen,
    phase_refusal,
)
from assessment.reports.result_view import result_view
from assessment.reports.sections.progress import Previous, build_progress
from assessment.reports.sections.summary import change_sentence, regressed
from assessment.scoring.results import Result
from assessment.scoring.types import Bank, Level, Question
from assessment.selectors.answers import (
    carried_to_confirm,
    is_team_assessment,
    progress,
    respondent_answers,
    scored_answers,
)
from assessment.selectors.assessments import (
    assessment_for_user,
    assessment_labels,
    latest_submitted,
    previous_submitted_assessment,
    stored_result,
)
from assessment.selectors.banks import latest_question_banks
from assessment.selectors.respondents import lead_respondent, respondent_for, role_holders
from assessment.services import assessments as assessment_services
from assessment.services.answers import answers_save
from assessment.services.assessments import (
    AssessmentIncomplete,
    AssessmentLocked,
    assessment_set_composition,
)
from core.confirm import Confirmation, confirmation_page
from core.http import AuthenticatedHttpRequest
from core.models import Membership
from core.selectors import team_for_user


def _writable(
    request: AuthenticatedHttpRequest, assessment_id: int
) -> tuple[Assessment, Membership]:
    """An assessment the user may change: 404 outside their organisations, 403 for viewers."""
    assessment, membership = assessment_for_user(request.user, assessment_id)
    if not may_edit(membership):
        raise PermissionDenied(READ_ONLY_ROLE)
    return assessment, membership


def refuse_if_submitted(request: HttpRequest, assessment: Assessment) -> HttpResponse | None:
    """Back to the result, with a message, when a draft-only page is asked of a submission."""
    if assessment.is_submitted:
        messages.error(request, SUBMITTED_READ_ONLY)
        return redirect("assessment_result", assessment.pk)
    return None


@require_http_methods(["GET", "POST"])
def assessment_start(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    team, membership = team_for_user(request.user, team_id)
    if not may_edit(membership):
        raise PermissionDenied(READ_ONLY_ROLE)
    if team.archived_at is not None:
        messages.error(request, TEAM_ARCHIVED)
        return redirect("team_detail", team.pk)
    banks = latest_question_banks()
    chosen = banks[0] if banks else None
    previous = latest_submitted(team)
    form = StartAssessmentForm(
        request.POST or None,
        banks=banks,
        bank=chosen.bank() if chosen else None,
        previous=previous,
        taken_labels=assessment_labels(team),
    )
    if request.method == "POST" and form.is_valid():
        assessment = assessment_services.assessment_start(
            team=team,
            bank=form.cleaned_data["bank"],
            label=form.cleaned_data["label"],
            targets=form.targets(),
            by=request.user,
            copy_from=previous if form.cleaned_data.get("copy_previous") else None,
        )
        return redirect("assessment_composition", assessment.pk)
    return render(
        request,
        "assessment/start.html",
        {"team": team, "form": form, "has_banks": bool(banks)},
    )


@require_http_methods(["GET", "POST"])
def assessment_composition(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, membership = _writable(request, assessment_id)
    if refused := refuse_if_submitted(request, assessment):
        return refused
    # The composition is scored: in a team assessment it is the lead's to set.
    if is_team_assessment(assessment) and not leads(assessment, request.user, membership):
        raise PermissionDenied(LEAD_ONLY)
    bank = assessment.bank.bank()
    form = CompositionForm(request.POST or None, bank=bank, initial=assessment.composition)
    if request.method == "POST" and form.is_valid():
        try:
            assessment_set_composition(
                assessment=assessment, composition=form.composition(), by=request.user
            )
        except AssessmentLocked:
            messages.error(request, SUBMITTED_READ_ONLY)
            return redirect("assessment_result", assessment.pk)
        messages.success(request, "Team composition saved.")
        return redirect("assessment_phase", assessment.pk, bank.phases[0].code)
    answers = respondent_answers(lead_respondent(assessment))
    return render(
        request,
        "assessment/composition.html",
        {
            "assessment": assessment,
            "form": form,
            "progress": progress(bank, answers),
        },
    )


@require_http_methods(["GET", "POST"])
def assessment_phase(
    request: AuthenticatedHttpRequest, assessment_id: int, phase: str
) -> HttpResponse:
    assessment, membership = assessment_for_user(request.user, assessment_id)
    bank = assessment.bank.bank()
    try:
        current = bank.phase(phase)
    except KeyError:
        raise Http404 from None
    respondent = respondent_for(assessment, request.user)
    not_yours = phase_refusal(respondent.phases if respondent else None, current.code)
    autosave = request.headers.get("X-Autosave") == "1"
    if autosave and request.method == "POST":
        # The page's background save gets the refusal as data, not as a page or a message
        # that would surface later somewhere else.
        refusal = (
            (409, SUBMITTED_READ_ONLY)
            if assessment.is_submitted
            else (403, READ_ONLY_ROLE)
            if not may_edit(membership)
            else (403, not_yours)
            if not_yours
            else None
        )
        if refusal is not None:
            return JsonResponse({"error": refusal[1]}, status=refusal[0])
    if request.method == "POST":
        if not may_edit(membership):
            raise PermissionDenied(READ_ONLY_ROLE)
        if refused := refuse_if_submitted(request, assessment):
            return refused
        if not_yours:
            raise PermissionDenied(not_yours)
    answers = respondent_answers(respondent) if respondent else {}
    questions = bank.questions_in(current.code)
    form = PhaseAnswersForm(request.POST or None, questions=questions, answers=answers)
    if request.method == "POST":
        if form.is_valid() and respondent is not None:
            try:
                saved = answers_save(
                    assessment=assessment,
                    respondent=respondent,
                    changes=form.changes(),
                    by=request.user,
                )
            except AssessmentLocked:
                # Submitted by someone else between this page's checks and its save.
                if autosave:
                    return JsonResponse({"error": SUBMITTED_READ_ONLY}, status=409)
                messages.error(request, SUBMITTED_READ_ONLY)
                return redirect("assessment_result", assessment.pk)
            if autosave:
                # The page's script saves in the background and stays: say what is stored now.
                stored = progress(bank, respondent_answers(respondent))
                return JsonResponse(
                    {"saved": saved, "answered": stored.answered, "total": stored.total}
                )
            messages.success(
                request, f"{current.name}: saved {saved} answer{'s' if saved != 1 else ''}."
            )
            return redirect(_after_save(request, assessment, bank, current.code))
        if autosave:
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
        messages.error(request, "Nothing was saved: please correct the answers marked below.")
    phase_index = [p.code for p in bank.phases].index(current.code)
    return render(
        request,
        "assessment/phase.html",
        {
            "assessment": assessment,
            "membership": membership,
            "bank": bank,
            "phase": current,
            "sections": _sections(bank, questions, form, answers),
            "first_unanswered": next(
                (q.code for q in questions if not (q.code in answers and answers[q.code].answered)),
                "",
            ),
            "unsaved": form.is_bound and bool(form.errors),
            "form": form,
            "progress": progress(bank, answers),
            "next_phase": bank.phases[phase_index + 1]
            if phase_index + 1 < len(bank.phases)
            else None,
            "read_only": assessment.is_submitted or not may_edit(membership) or bool(not_yours),
            "not_yours": not_yours,
            "respondent": respondent,
        },
    )


CARRIED_TEXT = {
    "carried": "Carried over from {source}: check it still holds as this question is worded now.",
    "split": (
        "Carried over from {source}, which asked about several practices at once and is now "
        "split: check the answer for this practice alone."
    ),
    "merged": (
        "Carried over from {source}, now one question: the lowest of their answers was kept. "
        "Check it."
    ),
}


@dataclass(frozen=True)
class QuestionBlock:
    """What the phase template needs for one question."""

    question: Question
    fields: dict[str, BoundField]
    answered: bool
    owner: str
    unsaved: bool = False  # a failed save: the page shows what was sent, which is not stored
    carried: str = ""  # how the answer came from another bank version, until confirmed
    carried_from: str = ""

    @property
    def carried_text(self) -> str:
        text = CARRIED_TEXT.get(self.carried, "")
        return text.format(source=self.carried_from) if text else ""


def _sections(
    bank: Bank,
    questions: tuple[Question, ...],
    form: PhaseAnswersForm,
    answers: dict[str, AnswerRecord],
) -> list[tuple[Level, list[QuestionBlock]]]:
    failed = form.is_bound and bool(form.errors)
    blocks = []
    for q in questions:
        stored = answers.get(q.code)
        sent = form.data.get(f"{q.code}-value", "") if failed else None
        blocks.append(
            QuestionBlock(
                question=q,
                fields=form.question_fields(q),
                # After a failed save the page shows what was sent: say whether it is stored,
                # rather than "Not answered" beside a ticked answer.
                answered=bool(sent) if failed else bool(stored and stored.answered),
                owner=bank.role(q.owner).name,
                carried=stored.carried if stored else "",
                carried_from=stored.carried_from if stored else "",
                unsaved=failed and sent != (stored.value if stored else ""),
            )
        )
    return [
        (level, [block for block in blocks if block.question.level == level.number])
        for level in bank.levels
    ]


def _after_save(request: HttpRequest, assessment: Assessment, bank: Bank, phase_code: str) -> str:
    codes = [p.code for p in bank.phases]
    if "continue" in request.POST:
        index = codes.index(phase_code)
        if index + 1 < len(codes):
            return reverse("assessment_phase", args=[assessment.pk, codes[index + 1]])
        return reverse("assessment_review", args=[assessment.pk])
    return reverse("assessment_phase", args=[assessment.pk, phase_code])


@require_GET
def assessment_review(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, membership = assessment_for_user(request.user, assessment_id)
    if assessment.is_submitted:
        return redirect("assessment_result", assessment.pk)
    bank = assessment.bank.bank()
    # What will be scored: the lead's answers alone, or the settled answers of a team.
    scored = scored_answers(assessment)
    answered = progress(bank, scored.answers)
    to_confirm = set(carried_to_confirm(assessment))
    return render(
        request,
        "assessment/review.html",
        {
            "assessment": assessment,
            "membership": membership,
            "bank": bank,
            "progress": answered,
            "team_answering": scored.team,
            "leads": leads(assessment, request.user, membership),
            "missing": [
                (phase, [bank.question(code) for code in phase.missing])
                for phase in answered.phases
                if phase.missing
            ],
            "to_confirm": [
                (bank.phase(question.phase), question)
                for question in bank.questions
                if question.code in to_confirm
            ],
        },
    )


def still_missing(count: int) -> str:
    """ "1 question still needs an answer (…)", "3 questions still need an answer (…)"."""
    verb = "needs" if count == 1 else "need"
    return (
        f"{count} question{pluralize(count)} still {verb} an answer "
        "(\u201cDon\u2019t know\u201d counts as one)"
    )


@require_http_methods(["GET", "POST"])
def assessment_submit(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, membership = _writable(request, assessment_id)
    if refused := refuse_if_submitted(request, assessment):
        return refused
    if is_team_assessment(assessment) and not leads(assessment, request.user, membership):
        raise PermissionDenied(LEAD_ONLY)
    if request.method == "GET":
        answered = progress(assessment.bank.bank(), scored_answers(assessment).answers)
        missing = answered.total - answered.answered
        return confirmation_page(
            request,
            Confirmation(
                title=f"Submit \u201c{assessment.label}\u201d?",
                consequences=(
                    "Submitting freezes every answer and stores the result and the report.",
                    "To change an answer afterwards, someone with the right to do so must reopen "
                    "the assessment, which is recorded in its history.",
                ),
                confirm_label="Submit and freeze the answers",
                action_url=reverse("assessment_submit", args=[assessment.pk]),
                cancel_url=reverse("assessment_review", args=[assessment.pk]),
                blocked=f"{still_missing(missing)}." if missing else "",
            ),
        )
    try:
        assessment_services.assessment_submit(assessment=assessment, by=request.user)
    except AssessmentIncomplete as error:
        messages.error(request, f"{still_missing(len(error.missing))} before you can submit.")
        return redirect("assessment_review", assessment.pk)
    except AssessmentLocked as error:
        messages.error(request, str(error))
        return redirect("assessment_result", assessment.pk)
    except ValueError as error:
        # Stored data the bank cannot score (say, a target for a phase it lacks): say so.
        messages.error(request, f"This assessment cannot be scored as it stands: {error}")
        return redirect("assessment_review", assessment.pk)
    messages.success(request, "Submitted. The answers are now frozen and the result is stored.")
    return redirect("assessment_result", assessment.pk)


@require_http_methods(["GET", "POST"])
def assessment_reopen(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, membership = assessment_for_user(request.user, assessment_id)
    if not may_reopen(membership):
        raise PermissionDenied(REOPEN_REFUSED)
    if request.method == "GET":
        return confirmation_page(
            request,
            Confirmation(
                title=f"Reopen \u201c{assessment.label}\u201d for changes?",
                consequences=(
                    "Its answers can change again until the next submission; the result and the "
                    "report of this submission stay readable until then.",
                    "Reopening is recorded in the assessment's history, with your reason.",
                ),
                confirm_label="Reopen for changes",
                action_url=reverse("assessment_reopen", args=[assessment.pk]),
                cancel_url=reverse("assessment_result", args=[assessment.pk]),
                button_class="btn-warning",
                reason_label="Why reopen it?",
            ),
        )
    reason = request.POST.get("reason", "")
    if not is_storable(reason):
        messages.error(
            request,
            f"The reason {UNSTORABLE_TEXT}: remove it and reopen again. Nothing was changed.",
        )
        return redirect("assessment_review", assessment.pk)
    try:
        assessment_services.assessment_reopen(assessment=assessment, by=request.user, reason=reason)
    except AssessmentLocked as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Reopened: answers can change until the next submission.")
    return redirect("assessment_review", assessment.pk)


@require_GET
def assessment_result(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, membership = assessment_for_user(request.user, assessment_id)
    if assessment.result is None:
        return redirect("assessment_review", assessment.pk)
    bank = assessment.bank.bank()
    result = Result.from_dict(assessment.result)
    view = result_view(bank, result, role_holders(assessment))
    # What changed since the team's previous submission, a fall said first and plainly.
    earlier = previous_submitted_assessment(assessment)
    progress = (
        build_progress(bank, Previous(earlier.label, None, stored_result(earlier)), result)
        if earlier is not None and earlier.result is not None
        else None
    )
    return render(
        request,
        "assessment/result.html",
        {
            "assessment": assessment,
            "membership": membership,
            "view": view,
            "change": change_sentence(progress),
            "regressed": regressed(progress),
            "top_recommendations": view.first_month or view.recommendations[:5],
            "can_reopen": assessment.is_submitted and may_reopen(membership),
        },
    )
