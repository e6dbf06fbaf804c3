"""For operators and their machines: readiness (/readyz) and Prometheus metrics (/metrics).

The liveness probe, /healthz, stays in home.py: it asks the database only, as cheaply as it can.
"""

from __future__ import annotations

import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from core import health, metrics


@login_not_required
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """200 {"database": "ok", "storage": "ok", "workers": "ok"} when every part is ready; 503
    with the same keys otherwise, each "ok", "error" or (workers) "stale"."""
    statuses = health.readiness()
    return JsonResponse(statuses, status=200 if health.is_ready(statuses) else 503)


def bearer_token(request: HttpRequest) -> str | None:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def is_operator(request: HttpRequest) -> bool:
    """The holder of METRICS_TOKEN (compared in constant time), or a signed-in staff member."""
    expected = settings.METRICS_TOKEN
    given = bearer_token(request)
    if expected and given is not None:
        return hmac.compare_digest(given.encode(), expected.encode())
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and user.is_staff)


# Public to the sign-in rule, so that Prometheus needs no session; anyone but an operator gets
# the same 404 as for an address that does not exist, whatever the method (hence no CSRF check,
# which would answer a POST with a 403 first: the view changes nothing).
@login_not_required
@csrf_exempt
@never_cache
def metrics_view(request: HttpRequest) -> HttpResponse:
    if not is_operator(request):
        raise Http404
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    return HttpResponse(metrics.exposition(), content_type=metrics.CONTENT_TYPE)
