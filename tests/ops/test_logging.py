"""Log lines are JSON, one a line, each with the id of the request (or task) it was logged in;
the same id comes back in the response's X-Request-ID."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Callable, Iterator
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from assessment.services.reminder_task import send_reminders_hourly
from core.logs import NO_REQUEST, current_request_id
from tests.core.test_settings import run_python

pytestmark = pytest.mark.django_db

NEW_ID = re.compile(r"[0-9a-f]{32}")

Lines = Callable[[], list[dict[str, Any]]]


@pytest.fixture
def log_lines() -> Iterator[Lines]:
    """What the console handler of LOGGING (core/settings.py) writes, one parsed JSON object
    a line: its filter and formatter as configured, only the stream swapped."""
    [console] = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    assert isinstance(console, logging.StreamHandler)
    buffer = io.StringIO()
    previous = console.setStream(buffer)
    try:
        yield lambda: [json.loads(line) for line in buffer.getvalue().splitlines()]
    finally:
        console.setStream(previous)


def test_a_requests_log_lines_are_json_with_the_id_the_response_carries(client, log_lines):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    request_id = response["X-Request-ID"]
    assert NEW_ID.fullmatch(request_id)
    [line] = log_lines()
    assert line["logger"] == "django.request"
    assert line["level"] == "WARNING"
    assert line["message"] == "Not Found: /no/such/page/"
    assert line["request_id"] == request_id
    assert line["status_code"] == 404
    assert line["time"].endswith("+00:00")
    assert "request" not in line  # the request object itself is left out


def test_every_line_of_one_request_has_its_id_and_the_next_request_another(
    client, settings, tmp_path, log_lines
):
    # A broken storage makes the readiness view log as it goes, then Django logs the 503.
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    settings.STORAGES = settings.STORAGES | {
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(blocked / "media")},
        }
    }
    first = client.get("/readyz")
    second = client.get("/no/such/page/")
    lines = log_lines()
    assert [line["logger"] for line in lines] == ["core.health", "django.request", "django.request"]
    assert {line["request_id"] for line in lines[:2]} == {first["X-Request-ID"]}
    assert lines[2]["request_id"] == second["X-Request-ID"] != first["X-Request-ID"]
    # Nothing is left behind once the request is over.
    assert current_request_id.get() == NO_REQUEST


def test_an_incoming_sane_request_id_is_kept(client, log_lines):
    response = client.get("/no/such/page/", headers={"X-Request-ID": "lb-7f3a.2_x"})
    assert response["X-Request-ID"] == "lb-7f3a.2_x"
    assert [line["request_id"] for line in log_lines()] == ["lb-7f3a.2_x"]


@pytest.mark.parametrize(
    "hostile",
    [
        "a" * 65,
        "abc\ndef",
        "abc\r\nX-Injected: 1",
        'abc"def',
        "abc'def",
        "abc def",
        "",
        "ab/../cd",
        "é",
    ],
)
def test_a_hostile_request_id_is_replaced(client, log_lines, hostile):
    response = client.get("/no/such/page/", HTTP_X_REQUEST_ID=hostile)
    request_id = response["X-Request-ID"]
    assert NEW_ID.fullmatch(request_id)
    assert [line["request_id"] for line in log_lines()] == [request_id]


def test_the_longest_sane_request_id_is_kept(client):
    assert client.get("/healthz", HTTP_X_REQUEST_ID="a" * 64)["X-Request-ID"] == "a" * 64


def test_lines_outside_a_request_have_no_id(log_lines):
    logging.getLogger("tests.ops").warning("outside %s", "any request")
    [line] = log_lines()
    assert line["request_id"] == "-"
    assert line["message"] == "outside any request"


def test_an_exception_is_logged_in_the_same_json_line(log_lines):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("tests.ops").exception("failed")
    [line] = log_lines()
    assert line["message"] == "failed"
    assert "ValueError: boom" in line["exc_info"]


@pytest.mark.django_db(transaction=True)
def test_the_worker_logs_with_the_id_of_the_task_it_runs(settings, log_lines):
    settings.REMINDERS_IN_WORKER = False  # the task returns at once
    result = send_reminders_hourly.enqueue()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())
    finished = [line for line in log_lines() if "state=SUCCESSFUL" in line["message"]]
    assert [line["request_id"] for line in finished] == [str(result.id)]
    assert current_request_id.get() == NO_REQUEST


def test_log_format_text_for_a_terminal_and_json_by_default():
    code = (
        "import django; django.setup()\n"
        "from django.conf import settings\n"
        "import logging\n"
        "print(settings.LOG_FORMAT)\n"
        "logging.getLogger('demo').warning('hello')\n"
    )
    text = run_python(code, DEBUG="1")
    assert text.returncode == 0, text.stderr
    assert text.stdout.strip() == "text"
    assert re.search(r" WARNING \[-\] demo: hello$", text.stderr.strip())

    production = run_python(code, DEBUG="0", SECRET_KEY="x" * 50, LOG_FORMAT="")
    assert production.returncode == 0, production.stderr
    assert production.stdout.strip() == "json"
    line = json.loads(production.stderr.strip().splitlines()[-1])
    assert (line["message"], line["request_id"]) == ("hello", "-")

    chosen = run_python(code, DEBUG="1", LOG_FORMAT="JSON")
    assert chosen.stdout.strip() == "json"


def test_an_unknown_log_format_stops_start_up():
    result = run_python("import django; django.setup()", DEBUG="1", LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be 'json' or 'text'; got 'xml'" in result.stderr
