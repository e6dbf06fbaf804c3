from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.timezone import localdate
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from assessment.permissions import may_create_organizations
from assessment.selectors.actions import actions_owned_by
from core import selectors
from core.http import AuthenticatedHttpRequest


@require_GET
def home(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = list(selectors.memberships_for(request.user))
    return render(
        request,
        "core/home.html",
        {
            "memberships": memberships,
            "may_create_organizations": may_create_organizations(request.user),
            "my_actions": actions_owned_by(request.user),
            "today": localdate(),
        },
    )


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    """200 "ok" when the database answers; 503 otherwise, so a load balancer can take us out."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable", status=503, content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")
