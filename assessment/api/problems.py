"""One error format for the whole API: RFC 9457 problem details (`application/problem+json`).

    {"type": "about:blank", "title": "Not Found", "status": 404,
     "detail": "No such assessment.", "instance": "/api/v1/assessments/9/"}

A request with problems in its data lists every one of them, with where it is:

    {"type": "urn:mlops-maturity:problem:invalid", "title": "Invalid request", "status": 400,
     "detail": "2 problems: nothing was changed.",
     "errors": [{"field": "label", "message": "This field is required."}, ...]}
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import SAFE_METHODS
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler

from assessment.formats.answers_file import AnswersFileError
from core.http import PROBLEM_CONTENT_TYPE, problem

INVALID_TYPE = "urn:mlops-maturity:problem:invalid"


class Invalid(exceptions.ValidationError):
    """Problems in the request's data, each a (field, message); raised by views that check more
    than a serializer does (an answers file lists every problem of the file)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__({"errors": [{"field": f, "message": m} for f, m in problems]})
        self.problems = problems


def answers_file_problems(error: AnswersFileError) -> Invalid:
    """Every problem of an answers file, each with where it is ("answers.DES-0-01")."""
    return Invalid([_located(problem) for problem in error.problems])


def _located(problem: str) -> tuple[str, str]:
    where, sep, message = problem.partition(": ")
    return (where, message) if sep and " " not in where else ("", problem)


def conflict(request: Request, detail: str) -> Response:
    """409: the object is not in a state that allows this (a submitted assessment's answers)."""
    return Response(
        problem(409, request.path, detail), status=409, content_type=PROBLEM_CONTENT_TYPE
    )


def problem_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: Django's 500, logged
    request = context["request"]
    # JSON whatever the view renders otherwise (the schema's YAML): the problem's content type.
    request.accepted_renderer = JSONRenderer()
    request.accepted_media_type = "application/json"
    status = response.status_code
    body = problem(status, request.path, "")
    if isinstance(exc, exceptions.ValidationError):
        errors = (
            [{"field": f, "message": m} for f, m in exc.problems]
            if isinstance(exc, Invalid)
            else [{"field": f, "message": m} for f, m in _flatten(response.data, "")]
        )
        count = len(errors)
        consequence = "" if request.method in SAFE_METHODS else ": nothing was changed"
        body |= {
            "type": INVALID_TYPE,
            "title": "Invalid request",
            "detail": f"{count} problem{'s' if count != 1 else ''}{consequence}.",
            "errors": errors,
        }
    else:
        data = response.data
        body["detail"] = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
    response.data = body
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def _flatten(data: Any, where: str) -> Iterator[tuple[str, str]]:
    """DRF's nested error structure as (field path, message) pairs: "answers.DES-0-01.value"."""
    if isinstance(data, dict):
        for key, value in data.items():
            field = where if key == "non_field_errors" else f"{where}.{key}" if where else key
            yield from _flatten(value, field)
    elif isinstance(data, list):
        if all(not isinstance(item, (dict, list)) for item in data):
            for item in data:
                yield where, str(item)
        else:
            for index, item in enumerate(data):
                yield from _flatten(item, f"{where}[{index}]")
    else:
        yield where, str(data)
