"""A team's action plan: accepting an assessment's recommendations into it, the plan page (and
adding an action of one's own), editing an action, and a client's open actions across teams.
Viewers read; everyone else in the organisation edits; another organisation sees a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.utils.timezone import localdate
from django.views.decorators.http import require_GET, require_http_methods

from assessment.forms.actions import AcceptForm, ActionForm
from assessment.permissions import may_edit, plan_refusal
from assessment.reports.result_view import result_view
from assessment.scoring.results import Result
from assessment.selectors.actions import (
    action_for_user,
    is_overdue,
    open_practices,
    organization_open_actions,
    team_plan,
)
from assessment.selectors.assessments import assessment_for_user
from assessment.selectors.banks import practice_codes
from assessment.selectors.respondents import role_holders
from assessment.services.actions import action_create, action_update, actions_accept
from core.http import AuthenticatedHttpRequest
from core.models import Membership, Team
from core.selectors import display_name, organization_for_user, organization_members, team_for_user


def _check_may_edit(team: Team, membership: Membership) -> None:
    if refusal := plan_refusal(membership, team.archived_at is not None):
        raise PermissionDenied(refusal)


def _action_form(
    team: Team, data: QueryDict | None, initial: dict[str, Any] | None = None
) -> ActionForm:
    members = [(m.user_id, display_name(m.user)) for m in organization_members(team.organization)]
    members.sort(key=lambda member: member[1].lower())
    return ActionForm(data, initial=initial, members=members, known_codes=practice_codes(team))


@require_http_methods(["GET", "POST"])
def assessment_plan_accept(request: AuthenticatedHttpRequest, assessment_id: int) -> HttpResponse:
    assessment, membership = assessment_for_user(request.user, assessment_id)
    team = assessment.team
    _check_may_edit(team, membership)
    if assessment.result is None:
        return redirect("assessment_review", assessment.pk)
    view = result_view(
        assessment.bank.bank(), Result.from_dict(assessment.result), role_holders(assessment)
    )
    planned = open_practices(team)
    choices = [(rec.code, rec.name) for rec in view.recommendations if rec.code not in planned]
    form = AcceptForm(request.POST if request.method == "POST" else None, choices=choices)
    if request.method == "POST" and form.is_valid():
        created = actions_accept(
            assessment=assessment,
            codes=form.cleaned_data["practices"],
            by=request.user,
            today=localdate(),
        )
        count = len(created)
        messages.success(
            request,
            f"{count} action{pluralize(count)} added to the plan, each due at the end of its "
            "plan period: give each an owner, and move a date where it does not fit.",
        )
        return redirect("team_plan", team.pk)
    return render(
        request,
        "assessment/plan_accept.html",
        {
            "assessment": assessment,
            "membership": membership,
            "view": view,
            "form": form,
            "planned": planned,
            "chosen": set(form["practices"].value() or []),
        },
    )


@require_http_methods(["GET", "POST"])
def team_plan_page(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    """The plan, and below it the form for an action of the team's own."""
    team, membership = team_for_user(request.user, team_id)
    can_edit = may_edit(membership) and team.archived_at is None
    data = request.POST if request.method == "POST" else None
    form = _action_form(team, data) if can_edit else None
    if request.method == "POST":
        _check_may_edit(team, membership)
        assert form is not None
        if form.is_valid():
            action = action_create(team=team, by=request.user, **form.fields_for_service())
            messages.success(request, f"\u201c{action.title}\u201d is in the plan.")
            return redirect("team_plan", team.pk)
    return render(
        request,
        "assessment/team_plan.html",
        {
            "team": team,
            "membership": membership,
            "plan": team_plan(team, localdate()),
            "form": form,
            "can_edit": can_edit,
        },
    )


@require_http_methods(["GET", "POST"])
def action_edit(request: AuthenticatedHttpRequest, action_id: int) -> HttpResponse:
    action, membership = action_for_user(request.user, action_id)
    team = action.team
    can_edit = may_edit(membership) and team.archived_at is None
    if request.method == "POST":
        _check_may_edit(team, membership)
    form = _action_form(
        team,
        request.POST if request.method == "POST" else None,
        initial=ActionForm.initial_for(action),
    )
    if request.method == "POST" and form.is_valid():
        action_update(action=action, by=request.user, **form.fields_for_service())
        messages.success(request, f"\u201c{action.title}\u201d is saved.")
        return redirect("team_plan", team.pk)
    return render(
        request,
        "assessment/action_form.html",
        {
            "action": action,
            "team": team,
            "membership": membership,
            "form": form,
            "can_edit": can_edit,
            "overdue": is_overdue(action, localdate()),
        },
    )


@require_GET
def organization_actions(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Every open action across the organisation's teams: what a consultant follows up."""
    organization, membership = organization_for_user(request.user, slug)
    today = localdate()
    actions = organization_open_actions(organization)
    return render(
        request,
        "assessment/organization_actions.html",
        {
            "organization": organization,
            "membership": membership,
            "actions": actions,
            "overdue": sum(1 for a in actions if is_overdue(a, today)),
            "today": today,
        },
    )
