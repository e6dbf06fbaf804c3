"""Log lines that can be followed across hosts: one JSON object a line (or plain text for someone
reading a terminal), each carrying the id of the request, or the background task, it was logged in.

`LOGGING` in core/settings.py puts `RequestIdFilter` on the console handler, so every record that
reaches it gets a `request_id`: the one `core.middleware.RequestIdMiddleware` gave the request
being handled, the id of the task the worker is running, or "-" outside both.
"""

from __future__ import annotations

import logging
import re
import uuid
from contextvars import ContextVar, Token
from typing import Any

from django.http import HttpRequest
from django_tasks.signals import task_finished, task_started
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

REQUEST_ID_HEADER = "X-Request-ID"
# Where the middleware keeps the id on the request itself: Django logs a response's warning
# ("Not Found: /x") after the middleware has returned, with the request attached to the record.
REQUEST_ID_META = "core.request_id"
NO_REQUEST = "-"
# An id from the client (or a proxy in front) is kept only when it cannot garble a log line.
SANE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

current_request_id: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)


def request_id_from(header: str | None) -> str:
    """The incoming X-Request-ID when it is a sane token, else a new random id."""
    if header is not None and SANE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (it never drops one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not isinstance(getattr(record, "request_id", None), str):
            request = getattr(record, "request", None)
            from_request = (
                request.META.get(REQUEST_ID_META) if isinstance(request, HttpRequest) else None
            )
            record.request_id = from_request or current_request_id.get()
        return True


# What a JSON line holds besides the record's own `extra` fields: Django attaches the whole
# request to its request warnings, which would only repeat the message.
JSON_FIELDS = ["levelname", "name", "message", "request_id"]
JSON_SKIPPED = [*RESERVED_ATTRS, "request", "server_time"]


def json_formatter() -> logging.Formatter:
    """{"time": "2026-05-01T09:00:00.123+00:00", "level": "WARNING", "logger": "django.request",
    "message": "Not Found: /x", "request_id": "…", "status_code": 404}; exceptions as `exc_info`."""
    return JsonFormatter(
        JSON_FIELDS,
        rename_fields={"levelname": "level", "name": "logger"},
        reserved_attrs=JSON_SKIPPED,
        timestamp="time",
    )


# The worker (`manage.py db_worker`) logs with the id of the task it is running. A task run
# inside a request (the immediate backend) keeps the request's id.
_task_tokens: dict[str, Token[str]] = {}


def _task_started(*, task_result: Any, **kwargs: Any) -> None:
    if current_request_id.get() == NO_REQUEST:
        _task_tokens[str(task_result.id)] = current_request_id.set(str(task_result.id))


def _task_finished(*, task_result: Any, **kwargs: Any) -> None:
    token = _task_tokens.pop(str(task_result.id), None)
    if token is None:
        return
    try:
        current_request_id.reset(token)
    except ValueError:  # finished in another context than it started in
        current_request_id.set(NO_REQUEST)


task_started.connect(_task_started, dispatch_uid="core.logs.task_started")
task_finished.connect(_task_finished, dispatch_uid="core.logs.task_finished")
