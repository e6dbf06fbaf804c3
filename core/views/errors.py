"""Errors outside any view: an address that matches no route, or a crash. Under /api/ they are
problem details (RFC 9457) like every other API error, so a script never has to read HTML."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.views import defaults

from core.http import PROBLEM_CONTENT_TYPE, problem

API_PREFIX = "/api/"


def _problem(request: HttpRequest, status: int, detail: str) -> HttpResponse:
    body = problem(status, request.path, detail)
    return HttpResponse(json.dumps(body), status=status, content_type=PROBLEM_CONTENT_TYPE)


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _problem(request, 404, "No such address in the API: /api/docs/ lists them.")
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return _problem(request, 500, "Something went wrong on our side; it has been logged.")
    return defaults.server_error(request)
