"""Webhooks: an organisation's owners register addresses, and the events they chose are POSTed
there, signed, by the background worker (`manage.py db_worker`), retried until the receiver
answers 2xx or the attempts run out. docs/webhooks.md is the receiver's side.

Three things keep this safe to run on a server that can reach private networks:

- **Where it may connect** (`resolve_target`): http(s) only, no credentials in the URL, and a
  host whose every address is public: never loopback, private, link-local (the cloud metadata
  service at 169.254.169.254), multicast, reserved or unspecified. Checked when the URL is saved
  and again at every attempt, since DNS may have changed meanwhile; the request then goes to the
  address that was checked, so a second, different DNS answer (rebinding) cannot redirect it.
  Plain http is refused too, unless DEBUG or WEBHOOK_ALLOW_PRIVATE is on: payloads describe a
  client's assessments, and a signature proves who sent them, not that nobody read them.
  WEBHOOK_ALLOW_PRIVATE (off by default) lifts the address rule, for tests and for instances
  whose receivers live on an intranet.
- **How long it may wait**: WEBHOOK_TIMEOUT seconds (5) for the whole attempt, connection and
  response together, so a receiver that hangs holds a worker no longer; at most 64 KB of the
  answer are read. Redirects are never followed (a 3xx is a failed attempt): a redirect would
  be a way round the address rule.
- **What it tells**: the first 1000 characters of the answer are kept for the owners' page.

A delivery is created in the transaction of the change it reports, and its task queued only
once that commits: a submission rolled back sends nothing.
"""

from __future__ import annotations

import contextlib
import http.client
import ipaddress
import logging
import secrets
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote, urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from assessment.formats.webhook_events import (
    EVENT_NAMES,
    EVENT_TYPES,
    PING,
    body_bytes,
    envelope,
    ping_data,
    signature,
)
from assessment.models import WEBHOOK_EXCERPT_LENGTH, Webhook, WebhookDelivery
from assessment.selectors.webhooks import organization_ref, subscribed_webhooks
from core.models import Organization, OrganizationEvent

logger = logging.getLogger(__name__)

# After the 1st failed attempt, wait 1 minute; after the 2nd, 5 minutes; … After the 6th
# (about 14½ hours after the event), give up.
BACKOFF = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
    timedelta(hours=12),
)
MAX_ATTEMPTS = len(BACKOFF) + 1
DEFAULT_TIMEOUT = 5.0  # seconds, WEBHOOK_TIMEOUT
MAX_RESPONSE_BYTES = 64 * 1024
EXCERPT_CHARS = WEBHOOK_EXCERPT_LENGTH
ERROR_CHARS = 500
USER_AGENT = "mlops-maturity-webhooks/1"
# A task that a worker runs this much before its delivery is due is a stray duplicate (the
# worker honours `run_after`); the margin absorbs clocks a little apart.
EARLY_MARGIN = timedelta(seconds=5)

EventData = Mapping[str, Any] | Callable[[], Mapping[str, Any]]
# Printable ASCII but the space: what a URL's path and query may hold as they are.
PRINTABLE = "".join(chr(code) for code in range(0x21, 0x7F))


class UnsafeURL(ValueError):
    """A URL the instance will not send to; the message says why, for the owner."""


def allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE", False))


def new_secret() -> str:
    """256 random bits, with a prefix that says what it is when it turns up in a config file."""
    return f"whsec_{secrets.token_urlsafe(32)}"


# Where it may connect ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    """A checked URL: connect to `address`, and speak to `host` (Host header, TLS name)."""

    scheme: str
    host: str
    port: int
    path: str
    address: str


IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def refused_address(address: IPAddress) -> bool:
    """Whether an address is off limits: anything but a public unicast address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped  # ::ffff:127.0.0.1 is 127.0.0.1
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        # The rest of what is not global, e.g. 100.64.0.0/10 (carrier-grade NAT).
        or not address.is_global
    )


def check_url_form(url: str) -> tuple[str, str, int, str]:
    """The URL's scheme, host (ASCII), port and path with query; UnsafeURL when its form alone
    rules it out. No DNS."""
    if len(url) > 500:
        raise UnsafeURL("A URL has 500 characters at most.")
    url = url.strip()
    if any(ord(char) <= 0x20 or ord(char) == 0x7F for char in url):
        raise UnsafeURL("A URL has no spaces or control characters: encode them (%20).")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeURL("This is not a valid URL.") from None
    scheme = parts.scheme.lower()
    plain_http = settings.DEBUG or allow_private()
    if scheme not in ("http", "https"):
        raise UnsafeURL(
            "The URL must start with https:// or http://."
            if plain_http
            else "The URL must start with https://."
        )
    if scheme == "http" and not plain_http:
        raise UnsafeURL("Use https://: events describe your assessments and travel in clear.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UnsafeURL("Leave user names and passwords out of the URL: requests are signed.")
    host = parts.hostname or ""
    if not host:
        raise UnsafeURL("The URL has no host name.")
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise UnsafeURL("The URL's host name is not valid.") from None
    # A request line is ASCII: letters beyond it are sent percent-encoded, as browsers do.
    path = quote((parts.path or "/") + (f"?{parts.query}" if parts.query else ""), safe=PRINTABLE)
    if port is None:
        port = 443 if scheme == "https" else 80
    return scheme, host, port, path


def resolve_target(url: str) -> Target:
    """Check the URL and resolve its host; UnsafeURL unless every address it resolves to is
    allowed. The first address is the one to connect to."""
    scheme, host, port, path = check_url_form(url)
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (OSError, UnicodeError):
            raise UnsafeURL(f"{host} could not be found (DNS).") from None
        # Drop an IPv6 scope ("fe80::1%eth0"): the address itself decides.
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]
    if not addresses:
        raise UnsafeURL(f"{host} could not be found (DNS).")
    if not allow_private():
        for address in addresses:
            if refused_address(address):
                where = (
                    str(address) if host == str(address) else f"{host} leads to {address}, which"
                )
                raise UnsafeURL(
                    f"{where} is a private or reserved address: webhooks go to public "
                    "addresses only."
                )
    return Target(scheme=scheme, host=host, port=port, path=path, address=str(addresses[0]))


# Registering ------------------------------------------------------------------------------------


def _clean_events(events: list[str]) -> list[str]:
    unknown = sorted(set(events) - EVENT_NAMES)
    if unknown:
        raise ValueError(f"unknown events: {', '.join(unknown)}")
    return [code for code, _ in EVENT_TYPES if code in events]


def _record(webhook: Webhook, by: User, what: str) -> None:
    """In the organisation's activity log: webhooks send its data out, so who pointed them
    where is worth keeping. "Settings changed" is the nearest kind there is."""
    OrganizationEvent.objects.create(
        organization_id=webhook.organization_id,
        kind=OrganizationEvent.Kind.SETTINGS_CHANGED,
        user=by,
        detail=f"Webhook {what}: {webhook.url}"[:500],
    )


def webhook_create(
    *,
    organization: Organization,
    url: str,
    events: list[str],
    by: User,
    description: str = "",
    is_active: bool = True,
) -> Webhook:
    """A new webhook with a fresh secret. UnsafeURL when the URL may not be used."""
    url = url.strip()
    resolve_target(url)
    with transaction.atomic():
        webhook = Webhook.objects.create(
            organization=organization,
            url=url,
            events=_clean_events(events),
            secret=new_secret(),
            description=description.strip(),
            is_active=is_active,
            created_by=by,
        )
        _record(webhook, by, "added")
    return webhook


def webhook_update(
    *,
    webhook: Webhook,
    url: str,
    events: list[str],
    description: str,
    is_active: bool,
    by: User,
) -> Webhook:
    """Change the address, the events, the description or the on/off switch. Deliveries
    already queued go to the new address at their next attempt; switched off, they are not
    sent."""
    url = url.strip()
    if url != webhook.url:
        resolve_target(url)
    with transaction.atomic():
        webhook.url = url
        webhook.events = _clean_events(events)
        webhook.description = description.strip()
        webhook.is_active = is_active
        webhook.save(update_fields=["url", "events", "description", "is_active"])
        _record(webhook, by, "changed" if is_active else "changed (switched off)")
    return webhook


def webhook_delete(*, webhook: Webhook, by: User) -> None:
    """Delete it with its deliveries; a retry already queued finds nothing and stops."""
    with transaction.atomic():
        _record(webhook, by, "deleted")
        webhook.delete()


def webhook_rotate_secret(*, webhook: Webhook, by: User) -> Webhook:
    """A new secret, used from the next attempt on (retries included); the old one stops at
    once, so the receiver must be given the new one."""
    with transaction.atomic():
        webhook.secret = new_secret()
        webhook.save(update_fields=["secret"])
        _record(webhook, by, "secret rotated")
    return webhook


# Events -----------------------------------------------------------------------------------------


def webhook_event(
    *, organization_id: int, event_type: str, data: EventData
) -> list[WebhookDelivery]:
    """One delivery per active webhook of the organisation subscribed to `event_type`, in the
    caller's transaction; their tasks are queued when it commits, so a change rolled back
    sends nothing. `data` may be a function: it is only called when some webhook wants the
    event, so an organisation without webhooks pays one query per event."""
    webhooks = subscribed_webhooks(organization_id, event_type)
    if not webhooks:
        return []
    now = timezone.now()
    payload = envelope(
        event_id=str(uuid.uuid4()),
        event_type=event_type,
        created_at=now,
        organization=organization_ref(organization_id),
        data=data() if callable(data) else data,
    )
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(
                webhook=webhook,
                event_id=payload["id"],
                event_type=event_type,
                payload=payload,
                next_attempt_at=now,
            )
            for webhook in webhooks
        )
        # bulk_create sets primary keys on PostgreSQL and SQLite (RETURNING).
        ids = [delivery.pk for delivery in deliveries]
        transaction.on_commit(lambda: _enqueue(ids))
    return deliveries


def webhook_send_test(*, webhook: Webhook, by: User) -> WebhookDelivery:
    """A `ping` event to this webhook alone, whatever it subscribes to and even switched off:
    how an owner checks a receiver before relying on it."""
    now = timezone.now()
    payload = envelope(
        event_id=str(uuid.uuid4()),
        event_type=PING,
        created_at=now,
        organization=organization_ref(webhook.organization_id),
        data=ping_data(webhook.pk),
    )
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            webhook=webhook,
            event_id=payload["id"],
            event_type=PING,
            payload=payload,
            next_attempt_at=now,
        )
        transaction.on_commit(lambda: _enqueue([delivery.pk]))
    logger.info("webhook %s: test event %s asked by %s", webhook.pk, delivery.event_id, by.pk)
    return delivery


def _enqueue(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        deliver_webhook.enqueue(delivery_id)


# Sending ----------------------------------------------------------------------------------------


@task()
def deliver_webhook(delivery_id: int) -> str:
    """The background task: one attempt at a delivery. Returns its status."""
    delivery = webhook_delivery_attempt(delivery_id=delivery_id, now=timezone.now())
    return delivery.status if delivery is not None else "gone"


def webhook_delivery_attempt(*, delivery_id: int, now: datetime) -> WebhookDelivery | None:
    """Make the next attempt at a delivery, if it is due, and record how it went.

    The attempt is claimed first, under the row's lock, and the retry queued in the same
    transaction: a worker killed in the middle of a request leaves that retry queued, never a
    delivery nobody will try again. On success the queued retry is removed.
    Returns None when the delivery no longer exists (its webhook was deleted)."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(of=("self",))
            .select_related("webhook")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return None
        if delivery.status not in WebhookDelivery.OPEN:
            return delivery  # delivered or given up already: a stray duplicate task
        due = delivery.next_attempt_at
        if due is not None and due > now + EARLY_MARGIN:
            return delivery  # a duplicate task, early: the queued retry will come
        webhook = delivery.webhook
        if not webhook.is_active and delivery.event_type != PING:
            delivery.status = WebhookDelivery.Status.GAVE_UP
            delivery.error = "Not sent: the webhook was switched off."
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "error", "next_attempt_at"])
            return delivery
        delivery.attempts += 1
        retry_at = (
            now + BACKOFF[delivery.attempts - 1] if delivery.attempts < MAX_ATTEMPTS else None
        )
        delivery.next_attempt_at = retry_at
        delivery.save(update_fields=["attempts", "next_attempt_at"])
        retry_id = (
            str(deliver_webhook.using(run_after=retry_at).enqueue(delivery.pk).id)
            if retry_at is not None
            else None
        )
    # The request goes out with no transaction open and no row locked.
    outcome = send(
        url=webhook.url,
        secret=webhook.secret,
        event_id=str(delivery.event_id),
        event_type=delivery.event_type,
        body=body_bytes(delivery.payload),
    )
    logger.info(
        "webhook %s: %s %s attempt %s: %s in %s ms",
        webhook.pk,
        delivery.event_type,
        delivery.event_id,
        delivery.attempts,
        outcome.status_code or outcome.error,
        outcome.duration_ms,
    )
    return _record_attempt(delivery, outcome, now=now, retry_at=retry_at, retry_id=retry_id)


def _record_attempt(
    delivery: WebhookDelivery,
    outcome: Outcome,
    *,
    now: datetime,
    retry_at: datetime | None,
    retry_id: str | None,
) -> WebhookDelivery:
    with transaction.atomic():
        fresh = WebhookDelivery.objects.select_for_update().filter(pk=delivery.pk).first()
        if fresh is None:
            return delivery  # the webhook was deleted while the request was out
        fresh.response_status = outcome.status_code
        fresh.response_excerpt = outcome.excerpt
        fresh.error = outcome.error
        fresh.duration_ms = outcome.duration_ms
        fresh.history = [
            *fresh.history,
            {
                "at": now.isoformat(),
                "status_code": outcome.status_code,
                "error": outcome.error[:200],
                "duration_ms": outcome.duration_ms,
            },
        ]
        if outcome.ok:
            fresh.status = WebhookDelivery.Status.DELIVERED
            fresh.delivered_at = now
            fresh.next_attempt_at = None
            if retry_id is not None:
                DBTaskResult.objects.filter(pk=retry_id, status=TaskResultStatus.READY).delete()
        elif retry_at is not None:
            fresh.status = WebhookDelivery.Status.FAILED
            fresh.next_attempt_at = retry_at
        else:
            fresh.status = WebhookDelivery.Status.GAVE_UP
            fresh.next_attempt_at = None
        fresh.save()
    return fresh


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    excerpt: str
    error: str
    duration_ms: int

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def timeout_seconds() -> float:
    return float(getattr(settings, "WEBHOOK_TIMEOUT", DEFAULT_TIMEOUT))


def send(*, url: str, secret: str, event_id: str, event_type: str, body: bytes) -> Outcome:
    """POST `body` to `url`, signed; never raises. The URL is checked again here: the DNS
    answer may have changed since it was saved."""
    timeout = timeout_seconds()
    started = time.monotonic()

    def elapsed_ms() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        target = resolve_target(url)
    except UnsafeURL as refused:
        return Outcome(None, "", f"Not sent: {refused}", elapsed_ms())
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Webhook-Id": event_id,
        "Webhook-Event": event_type,
        "Webhook-Timestamp": str(timestamp),
        "Webhook-Signature": signature(secret, timestamp, body),
    }
    try:
        status, answer = _post(target, headers, body, deadline=started + timeout)
    except (OSError, http.client.HTTPException, ValueError) as failure:
        if time.monotonic() - started >= timeout:
            message = f"No answer within {timeout:g} s."
        elif isinstance(failure, ssl.SSLError):
            message = f"TLS failed: {failure}"
        elif isinstance(failure, ConnectionRefusedError):
            message = "Connection refused."
        else:
            message = f"{type(failure).__name__}: {failure}"
        return Outcome(None, "", message[:ERROR_CHARS], elapsed_ms())
    excerpt = answer.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
    problem = "" if 200 <= status < 300 else f"The receiver answered HTTP {status}."
    return Outcome(status, excerpt, problem, elapsed_ms())


class _PinnedHTTPConnection(http.client.HTTPConnection):
    """HTTP to a host by the address that was checked, not by a second DNS lookup."""

    def __init__(self, host: str, port: int, *, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS likewise; the certificate is still checked against the host's name."""

    def __init__(
        self, host: str, port: int, *, address: str, timeout: float, context: ssl.SSLContext
    ) -> None:
        super().__init__(host, port, timeout=timeout, context=context)
        self._address = address
        self._tls = context

    def connect(self) -> None:
        raw = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._tls.wrap_socket(raw, server_hostname=self.host)


def _post(
    target: Target, headers: dict[str, str], body: bytes, *, deadline: float
) -> tuple[int, bytes]:
    """The status and up to 64 KB of the answer. A socket timeout bounds each read; the
    watchdog bounds them all together, so a receiver that trickles a byte at a time still
    ends at the deadline."""
    remaining = max(deadline - time.monotonic(), 0.001)
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(
            target.host,
            target.port,
            address=target.address,
            timeout=remaining,
            context=ssl.create_default_context(),
        )
    else:
        connection = _PinnedHTTPConnection(
            target.host, target.port, address=target.address, timeout=remaining
        )
    try:
        connection.connect()  # bounded by the socket timeout: what is left of the deadline
        remaining = deadline - time.monotonic()
        if remaining <= 0 or connection.sock is None:
            raise TimeoutError
        connection.sock.settimeout(remaining)
        watchdog = threading.Timer(remaining, _cut, args=(connection.sock,))
        watchdog.daemon = True
        watchdog.start()
        try:
            connection.request("POST", target.path, body=body, headers=headers)
            response = connection.getresponse()
            try:
                answer = response.read(MAX_RESPONSE_BYTES)
            except (OSError, http.client.HTTPException):
                answer = b""  # the status is what counts; a body cut short is only not shown
            return response.status, answer
        finally:
            watchdog.cancel()
    finally:
        connection.close()


def _cut(sock: socket.socket) -> None:
    """Interrupt a request past its deadline: shutting the socket down wakes a blocked read."""
    with contextlib.suppress(OSError):  # already closed
        sock.shutdown(socket.SHUT_RDWR)
