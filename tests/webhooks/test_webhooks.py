"""Webhooks end to end: a real HTTP receiver on 127.0.0.1 records what the worker's task sends.
The task's attempt runs in the test with a `now`, so retries are checked at their scheduled
times without waiting for them."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from assessment.formats.webhook_events import (
    ACTION_CHANGED,
    ACTION_CREATED,
    ASSESSMENT_REOPENED,
    ASSESSMENT_SUBMITTED,
    PING,
)
from assessment.models import Action, Assessment, Webhook, WebhookDelivery
from assessment.scoring.results import Result
from assessment.services import webhooks
from assessment.services.actions import action_create, action_update, actions_accept
from assessment.services.assessments import assessment_reopen, assessment_submit
from assessment.services.webhooks import (
    BACKOFF,
    MAX_ATTEMPTS,
    UnsafeURL,
    deliver_webhook,
    refused_address,
    resolve_target,
    webhook_create,
    webhook_delete,
    webhook_delivery_attempt,
    webhook_send_test,
    webhook_update,
)
from core.models import Role, Team
from tests.factories import MembershipFactory, UserFactory
from tests.web.helpers import answer_everything_via_services

pytestmark = pytest.mark.django_db
TASK_PATH = "assessment.services.webhooks.deliver_webhook"


# The receiver -----------------------------------------------------------------------------------


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Receiver:
    """What the receiver answers, in order (then `default`); an int is a status, "hang" waits
    `hang_for` seconds before answering, "trickle" sends its status line a byte at a time."""

    port: int = 0
    answers: list[int | str] = field(default_factory=list)
    default: int = 200
    hang_for: float = 3.0
    received: list[Received] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/maturity?source=test"

    def next_answer(self) -> int | str:
        return self.answers.pop(0) if self.answers else self.default


def _handler(receiver: Receiver) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            receiver.received.append(Received(self.path, dict(self.headers.items()), body))
            answer = receiver.next_answer()
            if answer == "hang":
                receiver.stop.wait(receiver.hang_for)
                answer = 200
            if answer == "trickle":
                for byte in b"HTTP/1.1 200 OK\r\n":
                    if receiver.stop.wait(0.1):
                        return
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                return
            assert isinstance(answer, int)
            reply = json.dumps({"answered": answer}).encode()
            self.send_response(answer)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(reply)))
            self.end_headers()
            self.wfile.write(reply)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet

    return Handler


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # the client gave up on a hanging answer: expected here


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    recorder = Receiver()
    server = _Server(("127.0.0.1", 0), _handler(recorder))
    recorder.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield recorder
    recorder.stop.set()
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _private_addresses_allowed(settings: Any) -> None:
    """The receiver listens on 127.0.0.1, which production refuses."""
    settings.WEBHOOK_ALLOW_PRIVATE = True
    settings.SITE_URL = ""


# Helpers ----------------------------------------------------------------------------------------


def hook(team: Team, by: User, receiver: Receiver, *events: str) -> Webhook:
    return webhook_create(
        organization=team.organization,
        url=receiver.url,
        events=list(events),
        description="Tests",
        by=by,
    )


def run_open(now: datetime | None = None) -> list[WebhookDelivery]:
    """One attempt at each delivery still to try, as the worker would make it at `now`."""
    done = []
    due = WebhookDelivery.objects.filter(status__in=WebhookDelivery.OPEN).order_by("pk")
    for delivery_id in due.values_list("pk", flat=True):
        result = webhook_delivery_attempt(delivery_id=delivery_id, now=now or _now())
        assert result is not None
        done.append(result)
    return done


def _now() -> datetime:
    from django.utils import timezone

    return timezone.now()


def expected_signature(secret: str, request: Received) -> str:
    timestamp = request.headers["Webhook-Timestamp"]
    message = f"{timestamp}.".encode() + request.body
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def queued_tasks() -> list[DBTaskResult]:
    return list(
        DBTaskResult.objects.filter(task_path=TASK_PATH, status=TaskResultStatus.READY).order_by(
            "enqueued_at"
        )
    )


def queued_retries() -> list[datetime]:
    """When the queued retries are due (a task queued to run at once has no such time)."""
    return [t.run_after for t in queued_tasks() if t.run_after.year < 9999]


@pytest.fixture
def answered(alice: User, draft: Assessment) -> Assessment:
    answer_everything_via_services(alice, draft, "0.5")
    return draft


# Events -----------------------------------------------------------------------------------------


def test_submitting_delivers_a_signed_assessment_submitted(
    answered, alice, receiver, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://maturity.example.com"
    webhook = hook(answered.team, alice, receiver, ASSESSMENT_SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_submit(assessment=answered, by=alice)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.webhook, delivery.event_type, delivery.status) == (
        webhook,
        ASSESSMENT_SUBMITTED,
        WebhookDelivery.Status.PENDING,
    )
    # Queued for the worker once the submission committed.
    [task] = queued_tasks()
    assert task.args_kwargs == {"args": [delivery.pk], "kwargs": {}}

    assert deliver_webhook.call(delivery.pk) == "delivered"

    [request] = receiver.received
    assert request.path == "/hooks/maturity?source=test"
    headers = request.headers
    assert headers["Content-Type"] == "application/json"
    assert headers["User-Agent"] == "mlops-maturity-webhooks/1"
    assert headers["Webhook-Id"] == str(delivery.event_id)
    assert headers["Webhook-Event"] == ASSESSMENT_SUBMITTED
    assert abs(int(headers["Webhook-Timestamp"]) - time.time()) < 60
    assert headers["Webhook-Signature"] == expected_signature(webhook.secret, request)
    assert headers["Host"] == f"127.0.0.1:{receiver.port}"

    answered.refresh_from_db()
    body = request.json()
    assert body["id"] == str(delivery.event_id)
    assert body["type"] == ASSESSMENT_SUBMITTED
    sent_at = datetime.fromisoformat(body["created_at"])
    assert abs((sent_at - delivery.created_at).total_seconds()) < 5
    assert body["organization"] == {"slug": "acme", "name": "Acme"}
    assert answered.submitted_at is not None
    assert body["data"] == {
        "id": answered.pk,
        "label": "2026 Q4",
        "status": "submitted",
        "team": {"id": answered.team_id, "name": "Fraud detection"},
        "bank": "mlops-maturity@2.0",
        "submitted_at": answered.submitted_at.isoformat(),
        "summary": answered.summary,
        "url": f"https://maturity.example.com/api/v1/assessments/{answered.pk}/",
    }
    assert set(body["data"]["summary"]) == {"overall", "phases"}

    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert (delivery.attempts, delivery.response_status, delivery.error) == (1, 200, "")
    assert delivery.response_excerpt == '{"answered": 200}'
    assert delivery.delivered_at is not None
    assert delivery.next_attempt_at is None
    # The retry queued before sending, in case the worker died mid-request, is withdrawn.
    assert queued_retries() == []


def test_a_tampered_body_or_another_secret_does_not_verify(answered, alice, receiver):
    webhook = hook(answered.team, alice, receiver, ASSESSMENT_SUBMITTED)
    assessment_submit(assessment=answered, by=alice)
    run_open()
    [request] = receiver.received
    good = request.headers["Webhook-Signature"]
    assert good == expected_signature(webhook.secret, request)
    assert good != expected_signature("whsec_another", request)
    tampered = Received(request.path, request.headers, request.body.replace(b"2026 Q4", b"2027"))
    assert good != expected_signature(webhook.secret, tampered)


def test_reopening_sends_assessment_reopened_and_unsubscribed_events_send_nothing(
    answered, alice, receiver
):
    hook(answered.team, alice, receiver, ASSESSMENT_REOPENED)
    assessment_submit(assessment=answered, by=alice)
    assert not WebhookDelivery.objects.exists()  # not subscribed to submissions

    assessment_reopen(assessment=answered, by=alice, reason="one answer was wrong")
    [delivery] = run_open()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    [request] = receiver.received
    body = request.json()
    assert body["type"] == ASSESSMENT_REOPENED
    assert body["data"]["status"] == "draft"
    assert body["data"]["summary"] is not None  # the last submitted figures, kept meanwhile
    assert body["data"]["url"] == f"/api/v1/assessments/{answered.pk}/"  # no SITE_URL


def test_actions_created_accepted_and_changed(answered, alice, receiver):
    assessment_submit(assessment=answered, by=alice)
    answered.refresh_from_db()
    webhook = hook(answered.team, alice, receiver, ACTION_CREATED, ACTION_CHANGED)
    assert answered.result is not None
    codes = [rec.code for rec in Result.from_dict(answered.result).recommendations[:2]]
    accepted = actions_accept(assessment=answered, codes=codes, by=alice, today=date(2027, 1, 4))
    own = action_create(
        team=answered.team,
        by=alice,
        title="Write the runbook",
        practices=["DES-0-01"],
        owner_name="dana@example.com",
        due_on=date(2027, 3, 1),
    )
    alice.first_name, alice.last_name = "Alice", "Martin"
    alice.save()
    action_update(action=own, by=alice, owner_id=alice.pk, status=Action.Status.DONE)
    run_open()

    bodies = [request.json() for request in receiver.received]
    assert [b["type"] for b in bodies] == [ACTION_CREATED] * 3 + [ACTION_CHANGED]
    assert [b["data"]["id"] for b in bodies] == [*(a.pk for a in accepted), own.pk, own.pk]
    assert {b["data"]["practices"][0] for b in bodies[:2]} == set(codes)
    created, changed = bodies[2]["data"], bodies[3]["data"]
    # A name typed as an address goes out without the address.
    assert created["owner"] == "dana"
    assert (created["status"], created["due_on"], created["done_at"]) == (
        "planned",
        "2027-03-01",
        None,
    )
    assert created["team"] == {"id": answered.team_id, "name": "Fraud detection"}
    assert created["url"] == f"/api/v1/actions/{own.pk}/"
    assert changed["owner"] == "Alice Martin"
    assert changed["status"] == "done"
    assert changed["done_at"] is not None
    assert "@" not in json.dumps(bodies)
    assert all(
        r.headers["Webhook-Signature"] == expected_signature(webhook.secret, r)
        for r in receiver.received
    )
    # One event id per event, each distinct.
    assert len({b["id"] for b in bodies}) == 4


def test_an_event_goes_to_every_subscribed_webhook_with_one_id(answered, alice, receiver):
    first = hook(answered.team, alice, receiver, ASSESSMENT_SUBMITTED)
    second = hook(answered.team, alice, receiver, ASSESSMENT_SUBMITTED, ACTION_CREATED)
    hook(answered.team, alice, receiver, ACTION_CREATED)  # not this event
    off = hook(answered.team, alice, receiver, ASSESSMENT_SUBMITTED)
    off.is_active = False
    off.save()
    assessment_submit(assessment=answered, by=alice)
    deliveries = WebhookDelivery.objects.order_by("webhook_id")
    assert [d.webhook_id for d in deliveries] == [first.pk, second.pk]
    assert len({d.event_id for d in deliveries}) == 1
    run_open()
    signatures = {r.headers["Webhook-Signature"] for r in receiver.received}
    assert len(signatures) == 2  # each signed with its own webhook's secret


def submit_then_fail(assessment: Assessment, by: User) -> None:
    """A submission whose transaction fails after it: everything is rolled back."""
    try:
        with transaction.atomic():
            assessment_submit(assessment=assessment, by=by)
            raise RuntimeError("something after the submission failed")
    except RuntimeError:
        pass


def test_a_rolled_back_submission_sends_nothing(
    answered, alice, receiver, django_capture_on_commit_callbacks
):
    hook(answered.team, alice, receiver, ASSESSMENT_SUBMITTED)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submit_then_fail(answered, alice)
    assert callbacks == []
    assert not WebhookDelivery.objects.exists()
    assert queued_tasks() == []
    answered.refresh_from_db()
    assert answered.status == "draft"
    assert receiver.received == []


# Retries ----------------------------------------------------------------------------------------


def test_a_500_is_retried_after_a_minute_and_each_attempt_is_logged(answered, alice, receiver):
    receiver.answers = [500]
    hook(answered.team, alice, receiver, ASSESSMENT_SUBMITTED)
    assessment_submit(assessment=answered, by=alice)
    delivery = WebhookDelivery.objects.get()
    start = delivery.next_attempt_at
    assert start is not None

    [first] = run_open(start)
    assert first.status == WebhookDelivery.Status.FAILED
    assert (first.attempts, first.response_status) == (1, 500)
    assert first.error == "The receiver answered HTTP 500."
    assert first.response_excerpt == '{"answered": 500}'
    assert first.next_attempt_at == start + timedelta(minutes=1)
    # The retry is queued for the worker at that time.
    assert queued_retries() == [start + timedelta(minutes=1)]

    # A stray run before it is due does nothing.
    early = webhook_delivery_attempt(delivery_id=delivery.pk, now=start + timedelta(seconds=30))
    assert early is not None
    assert early.attempts == 1
    assert len(receiver.received) == 1

    [second] = run_open(start + timedelta(minutes=1))
    assert second.status == WebhookDelivery.Status.DELIVERED
    assert (second.attempts, second.response_status, second.error) == (2, 200, "")
    assert [entry["status_code"] for entry in second.history] == [500, 200]
    assert second.history[0]["error"] == "The receiver answered HTTP 500."
    assert all(isinstance(entry["duration_ms"], int) for entry in second.history)
    assert second.delivered_at == start + timedelta(minutes=1)
    # Both attempts carry the same event id, so the receiver can tell a retry.
    assert len({r.headers["Webhook-Id"] for r in receiver.received}) == 1
    # The attempt after the 2nd was withdrawn when it succeeded.
    assert queued_retries() == [start + timedelta(minutes=1)]


def test_it_gives_up_after_the_last_attempt(answered, alice, receiver):
    receiver.default = 503
    hook(answered.team, alice, receiver, ASSESSMENT_SUBMITTED)
    assessment_submit(assessment=answered, by=alice)
    delivery = WebhookDelivery.objects.get()
    at = delivery.next_attempt_at
    assert at is not None
    for attempt, wait in enumerate(BACKOFF, start=1):
        [failed] = run_open(at)
        assert (failed.status, failed.attempts) == (WebhookDelivery.Status.FAILED, attempt)
        assert failed.next_attempt_at == at + wait
        at = at + wait
    [last] = run_open(at)
    assert last.status == WebhookDelivery.Status.GAVE_UP
    assert last.attempts == MAX_ATTEMPTS == 6
    assert last.next_attempt_at is None
    assert [e["status_code"] for e in last.history] == [503] * 6
    # A task left over finds nothing to do.
    assert webhook_delivery_attempt(delivery_id=delivery.pk, now=at + timedelta(days=1)) == last
    assert len(receiver.received) == 6


def test_a_switched_off_or_deleted_webhook_is_not_sent_to(answered, alice, receiver):
    webhook = hook(answered.team, alice, receiver, ASSESSMENT_SUBMITTED, ASSESSMENT_REOPENED)
    assessment_submit(assessment=answered, by=alice)
    webhook_update(
        webhook=webhook,
        url=webhook.url,
        events=webhook.events,
        description="",
        is_active=False,
        by=alice,
    )
    [skipped] = run_open()
    assert skipped.status == WebhookDelivery.Status.GAVE_UP
    assert skipped.attempts == 0
    assert "switched off" in skipped.error

    # A test event still goes to a switched-off webhook: how an owner checks it first.
    webhook_send_test(webhook=webhook, by=alice)
    [ping] = run_open()
    assert (ping.event_type, ping.status) == (PING, WebhookDelivery.Status.DELIVERED)

    webhook.is_active = True
    webhook.save()
    assessment_reopen(assessment=answered, by=alice)
    pending = WebhookDelivery.objects.get(status=WebhookDelivery.Status.PENDING)
    webhook_delete(webhook=webhook, by=alice)
    assert webhook_delivery_attempt(delivery_id=pending.pk, now=_now()) is None
    assert deliver_webhook.call(pending.pk) == "gone"
    assert [r.json()["type"] for r in receiver.received] == [PING]


# Timeouts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("answer", ["hang", "trickle"])
def test_a_receiver_that_hangs_holds_the_worker_no_longer_than_the_timeout(
    answered, alice, receiver, settings, answer
):
    settings.WEBHOOK_TIMEOUT = 0.5
    receiver.answers = [answer]
    hook(answered.team, alice, receiver, ASSESSMENT_SUBMITTED)
    assessment_submit(assessment=answered, by=alice)
    started = time.monotonic()
    [delivery] = run_open()
    assert time.monotonic() - started < 1.5
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.response_status is None
    assert delivery.error == "No answer within 0.5 s."
    assert delivery.duration_ms is not None
    assert 400 <= delivery.duration_ms < 1500


def test_a_refused_connection_is_a_failed_attempt(answered, alice):
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    webhook_create(
        organization=answered.team.organization,
        url=f"http://127.0.0.1:{port}/",
        events=[ASSESSMENT_SUBMITTED],
        by=alice,
    )
    assessment_submit(assessment=answered, by=alice)
    [delivery] = run_open()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.error == "Connection refused."


# Where it may connect ---------------------------------------------------------------------------


REFUSED_URLS = {
    "https://127.0.0.1/hook": "private or reserved",
    "https://10.1.2.3/hook": "private or reserved",
    "https://169.254.169.254/latest/meta-data/": "private or reserved",
    "https://[::1]/hook": "private or reserved",
    "https://localhost/hook": "localhost leads to",
    "https://user:secret@example.com/hook": "user names and passwords",
    "ftp://example.com/hook": "must start with https://",
    "http://93.184.215.14/hook": "Use https://",
    "https://example.com/a b": "no spaces",
    "https://": "no host",
}


@pytest.mark.parametrize(("url", "reason"), REFUSED_URLS.items())
def test_the_form_refuses_urls_the_worker_would_not_send_to(
    alice_client, acme_team, settings, url, reason
):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    response = alice_client.post(
        "/orgs/acme/webhooks/", {"url": url, "events": [ASSESSMENT_SUBMITTED], "is_active": "on"}
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["url"], errors
    assert reason in errors["url"][0]
    assert not Webhook.objects.exists()


def test_a_public_address_is_accepted(alice_client, acme_team, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False
    response = alice_client.post(
        "/orgs/acme/webhooks/",
        {
            "url": "https://93.184.215.14/hooks",
            "description": "Public",
            "events": [ASSESSMENT_SUBMITTED, ACTION_CHANGED],
            "is_active": "on",
        },
    )
    webhook = Webhook.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/acme/webhooks/{webhook.pk}/"
    assert webhook.events == [ASSESSMENT_SUBMITTED, ACTION_CHANGED]
    assert webhook.secret.startswith("whsec_")
    assert len(webhook.secret) > 40
    page = alice_client.get(response["Location"]).content.decode()
    assert webhook.secret in page


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.8.9.10",
        "10.0.0.1",
        "172.16.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104
        "224.0.0.1",
        "240.0.0.1",
        "255.255.255.255",
        "::1",
        "::",
        "fe80::1",
        "fc00::1",
        "ff02::1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
    ],
)
def test_private_and_reserved_addresses_are_refused(address):
    import ipaddress

    assert refused_address(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "8.8.8.8", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    import ipaddress

    assert not refused_address(ipaddress.ip_address(address))


@pytest.mark.parametrize(("url", "reason"), REFUSED_URLS.items())
def test_the_address_is_checked_again_when_sending(
    answered, alice, receiver, settings, url, reason
):
    """Saved while allowed (or while its DNS said public), refused once it is not: the worker
    checks before every attempt, and the attempt counts as failed."""
    hook(answered.team, alice, receiver, ASSESSMENT_SUBMITTED)
    Webhook.objects.update(url=url)
    assessment_submit(assessment=answered, by=alice)
    settings.WEBHOOK_ALLOW_PRIVATE = False
    [delivery] = run_open()
    assert delivery.status == WebhookDelivery.Status.FAILED
    assert delivery.error.startswith("Not sent: ")
    assert reason in delivery.error
    assert delivery.response_status is None
    assert receiver.received == []


def test_the_receiver_itself_is_refused_once_private_addresses_are_not_allowed(
    answered, alice, receiver, settings
):
    hook(answered.team, alice, receiver, ASSESSMENT_SUBMITTED)
    Webhook.objects.update(url=f"https://127.0.0.1:{receiver.port}/")
    assessment_submit(assessment=answered, by=alice)
    settings.WEBHOOK_ALLOW_PRIVATE = False
    [delivery] = run_open()
    assert delivery.error.startswith("Not sent: 127.0.0.1 is a private or reserved address")
    assert receiver.received == []


def test_a_name_that_turns_private_after_registration_is_refused(monkeypatch, settings):
    """DNS rebinding: public when registered, loopback at delivery."""
    settings.WEBHOOK_ALLOW_PRIVATE = False
    answers = iter(["93.184.215.14", "127.0.0.1"])

    def fake_getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        assert host == "hooks.example.com"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (next(answers), port))]

    monkeypatch.setattr(webhooks.socket, "getaddrinfo", fake_getaddrinfo)
    target = resolve_target("https://hooks.example.com/in")
    assert (target.host, target.address, target.port, target.path) == (
        "hooks.example.com",
        "93.184.215.14",
        443,
        "/in",
    )
    with pytest.raises(UnsafeURL, match=r"leads to 127\.0\.0\.1"):
        resolve_target("https://hooks.example.com/in")


def test_every_address_of_a_name_is_checked(monkeypatch, settings):
    settings.WEBHOOK_ALLOW_PRIVATE = False

    def fake_getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET6, socket.SOCK_STREAM, 6, "", ("fd00::1", port, 0, 0)),
        ]

    monkeypatch.setattr(webhooks.socket, "getaddrinfo", fake_getaddrinfo)
    with pytest.raises(UnsafeURL, match=r"fd00::1"):
        resolve_target("https://hooks.example.com/in")


def test_it_connects_to_the_address_it_checked_and_keeps_the_host_name(
    answered, alice, receiver, monkeypatch
):
    """One DNS answer per attempt: the one checked is the one connected to."""
    calls: list[str] = []

    def fake_getaddrinfo(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        calls.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]

    monkeypatch.setattr(webhooks.socket, "getaddrinfo", fake_getaddrinfo)
    webhook_create(
        organization=answered.team.organization,
        url=f"http://receiver.test:{receiver.port}/in",
        events=[ASSESSMENT_SUBMITTED],
        by=alice,
    )
    assessment_submit(assessment=answered, by=alice)
    calls.clear()
    [delivery] = run_open()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    # Looked up once; the connection then asks for the address it was given, which needs no DNS.
    assert calls == ["receiver.test", "127.0.0.1"]
    [request] = receiver.received
    assert request.headers["Host"] == f"receiver.test:{receiver.port}"


# The pages --------------------------------------------------------------------------------------


def test_the_test_button_sends_a_ping(
    alice_client, acme_team, alice, receiver, django_capture_on_commit_callbacks
):
    webhook = hook(acme_team, alice, receiver, ACTION_CHANGED)
    with django_capture_on_commit_callbacks(execute=True):
        response = alice_client.post(f"/orgs/acme/webhooks/{webhook.pk}/test/")
    assert response.status_code == 302
    delivery = WebhookDelivery.objects.get()
    assert [t.args_kwargs["args"] for t in queued_tasks()] == [[delivery.pk]]
    deliver_webhook.call(delivery.pk)
    [request] = receiver.received
    body = request.json()
    assert (body["type"], body["data"]) == (PING, {"webhook": webhook.pk})
    assert request.headers["Webhook-Event"] == PING
    page = alice_client.get(f"/orgs/acme/webhooks/{webhook.pk}/").content.decode()
    assert "Delivered" in page
    assert "HTTP 200" in page


def test_owners_edit_rotate_and_delete(alice_client, acme_team, alice, receiver):
    webhook = hook(acme_team, alice, receiver, ACTION_CHANGED)
    old_secret = webhook.secret
    path = f"/orgs/acme/webhooks/{webhook.pk}/"
    assert (
        alice_client.get("/orgs/acme/").content.decode().count('href="/orgs/acme/webhooks/"') == 1
    )
    listing = alice_client.get("/orgs/acme/webhooks/").content.decode()
    assert receiver.url in listing

    response = alice_client.post(
        path,
        {"url": receiver.url, "description": "Jira", "events": [ACTION_CREATED]},
    )
    assert response.status_code == 302
    webhook.refresh_from_db()
    assert (webhook.description, webhook.events, webhook.is_active) == (
        "Jira",
        [ACTION_CREATED],
        False,
    )

    confirm = alice_client.get(f"{path}rotate/")
    assert confirm.status_code == 200
    assert "Rotate the secret" in confirm.content.decode()
    webhook.refresh_from_db()
    assert webhook.secret == old_secret  # a GET changes nothing
    assert alice_client.post(f"{path}rotate/").status_code == 302
    webhook.refresh_from_db()
    assert webhook.secret != old_secret
    assert webhook.secret.startswith("whsec_")

    assert alice_client.get(f"{path}delete/").status_code == 200
    assert Webhook.objects.exists()
    assert alice_client.post(f"{path}delete/")["Location"] == "/orgs/acme/webhooks/"
    assert not Webhook.objects.exists()
    # Each change is in the organisation's activity log.
    activity = alice_client.get("/orgs/acme/activity/").content.decode()
    for what in ("added", "changed (switched off)", "secret rotated", "deleted"):
        assert f"Webhook {what}" in activity


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.MEMBER, Role.VIEWER])
def test_only_owners_see_or_change_webhooks(client: Client, acme_team, alice, receiver, role):
    webhook = hook(acme_team, alice, receiver, ACTION_CHANGED)
    other = UserFactory.create(username=f"someone-{role}")
    MembershipFactory.create(user=other, organization=acme_team.organization, role=role)
    client.force_login(other)
    base = f"/orgs/acme/webhooks/{webhook.pk}/"
    for path in ("/orgs/acme/webhooks/", base, f"{base}rotate/", f"{base}delete/"):
        assert client.get(path).status_code == 403, path
    for path in ("/orgs/acme/webhooks/", base, f"{base}test/", f"{base}rotate/", f"{base}delete/"):
        data = {"url": "https://93.184.215.14/x", "events": [ACTION_CREATED]}
        assert client.post(path, data).status_code == 403, path
    assert webhook.secret not in client.get("/orgs/acme/").content.decode()
    assert 'href="/orgs/acme/webhooks/"' not in client.get("/orgs/acme/").content.decode()
    webhook.refresh_from_db()
    assert (webhook.events, Webhook.objects.count(), WebhookDelivery.objects.count()) == (
        [ACTION_CHANGED],
        1,
        0,
    )


def test_another_organisations_webhook_is_a_404(
    client: Client, acme_team, alice, bob, globex_team, receiver
):
    webhook = hook(acme_team, alice, receiver, ACTION_CHANGED)
    client.force_login(bob)  # an owner, of Globex
    for org in ("acme", "globex"):
        base = f"/orgs/{org}/webhooks/{webhook.pk}/"
        for path in (base, f"{base}rotate/", f"{base}delete/"):
            assert client.get(path).status_code == 404, path
        for path in (base, f"{base}test/", f"{base}rotate/", f"{base}delete/"):
            assert client.post(path).status_code == 404, path
    assert client.get("/orgs/acme/webhooks/").status_code == 404
    assert client.get("/orgs/globex/webhooks/").status_code == 200
    assert webhook.url not in client.get("/orgs/globex/webhooks/").content.decode()
    assert Webhook.objects.filter(pk=webhook.pk).exists()
    assert not WebhookDelivery.objects.exists()


def test_the_pages_are_well_formed_html(alice_client, answered, alice, receiver):
    import html5lib

    receiver.answers = [500]
    webhook = hook(answered.team, alice, receiver, ASSESSMENT_SUBMITTED)
    assessment_submit(assessment=answered, by=alice)
    webhook_send_test(webhook=webhook, by=alice)
    run_open()
    base = f"/orgs/acme/webhooks/{webhook.pk}/"
    parser = html5lib.HTMLParser(strict=True)
    pages = {
        path: alice_client.get(path) for path in ("/orgs/acme/webhooks/", base, f"{base}rotate/")
    }
    pages["errors"] = alice_client.post("/orgs/acme/webhooks/", {"url": "ftp://example.com/"})
    for path, response in pages.items():
        assert response.status_code == 200, path
        parser.parse(response.content.decode())
    detail = pages[base].content.decode()
    assert "Failed, will retry" in detail
    assert "HTTP 500" in detail
    assert "Delivered" in detail
    assert "{&quot;answered&quot;: 500}" in detail


def test_letters_beyond_ascii_in_the_path_are_percent_encoded(answered, alice, receiver):
    webhook_create(
        organization=answered.team.organization,
        url=f"http://127.0.0.1:{receiver.port}/crème?équipe=fraude",
        events=[ASSESSMENT_SUBMITTED],
        by=alice,
    )
    assessment_submit(assessment=answered, by=alice)
    [delivery] = run_open()
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert receiver.received[0].path == "/cr%C3%A8me?%C3%A9quipe=fraude"
