from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core import selectors


@require_GET
def team_detail(request: HttpRequest, team_id: int) -> HttpResponse:
    team, membership = selectors.team_for_user(request.user, team_id)
    return render(request, "assessment/team_detail.html", {"team": team, "membership": membership})
