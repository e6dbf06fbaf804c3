"""A team's action plan as CSV (for Jira's or GitHub's importers) and as JSON. Anyone in the
team's organisation may download it, viewers too: it holds nothing the plan page does not show."""

from __future__ import annotations

import json
from datetime import date

from django.http import HttpResponse, HttpResponseBadRequest
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from assessment.formats.action_plan import (
    FLAVOURS,
    ActionPlan,
    plan_csv,
    plan_filename,
    plan_json,
)
from assessment.formats.text import query_text
from assessment.selectors.plan_exports import plan_export
from core.http import AuthenticatedHttpRequest, attachment
from core.models import Team
from core.selectors import team_for_user

UNKNOWN_FLAVOUR = "Unknown CSV flavour: ask for ?for=jira (the default) or ?for=github."


def _plan(request: AuthenticatedHttpRequest, team: Team) -> tuple[ActionPlan, date]:
    """The plan and the day it was exported, for the file's name."""
    today = timezone.localdate()
    plan = plan_export(
        team,
        today=today,
        now=timezone.now(),
        # Absolute: the link is read in Jira or GitHub, far from this site.
        action_url=lambda pk: request.build_absolute_uri(reverse("action_edit", args=[pk])),
    )
    return plan, today


@require_GET
def team_plan_csv(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    # Access first (404 for another organisation's team): a stranger learns nothing more.
    team, _ = team_for_user(request.user, team_id)
    flavour = query_text(request.GET, "for").strip().lower() or "jira"
    if flavour not in FLAVOURS:
        return HttpResponseBadRequest(UNKNOWN_FLAVOUR, content_type="text/plain; charset=utf-8")
    plan, today = _plan(request, team)
    # Jira's file is the default download; GitHub's says so, as both may sit in one folder.
    return attachment(
        plan_csv(plan, flavour),
        "text/csv; charset=utf-8",
        plan_filename(plan.team, today, "csv", suffix="" if flavour == "jira" else flavour),
    )


@require_GET
def team_plan_json(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    team, _ = team_for_user(request.user, team_id)  # 404 for another organisation's team
    plan, today = _plan(request, team)
    return attachment(
        json.dumps(plan_json(plan), indent=2, ensure_ascii=False),
        "application/json",
        plan_filename(plan.team, today, "json"),
    )
