"""A team's action plan as CSV (for Jira's and GitHub's importers) and as JSON."""

from __future__ import annotations

from django.http import Http404, HttpResponse

from core.http import AuthenticatedHttpRequest


def team_plan_csv(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    raise Http404


def team_plan_json(request: AuthenticatedHttpRequest, team_id: int) -> HttpResponse:
    raise Http404
