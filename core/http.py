"""The request a signed-in page sees, for type checking.

`LoginRequiredMiddleware` (settings) sends anyone not signed in to the login page before any view
runs, except views marked `@login_not_required`. So every other view can take an
`AuthenticatedHttpRequest`: its `request.user` is a `User`, never an `AnonymousUser`, and can be
handed to a service as the person who acted.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse


class AuthenticatedHttpRequest(HttpRequest):
    user: User


def attachment(content: str | bytes, content_type: str, filename: str) -> HttpResponse:
    """A download: the browser saves it under `filename` rather than showing it."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


PROBLEM_CONTENT_TYPE = "application/problem+json"


def problem(status: int, instance: str, detail: str) -> dict[str, Any]:
    """An RFC 9457 problem's body, the one error format of the API (assessment/api/problems.py)
    and of the addresses under /api/ no view answers (core/views/errors.py)."""
    return {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
