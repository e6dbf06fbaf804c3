"""The JSON a webhook receives, and its signature. docs/webhooks.md shows each event.

Every event has the same envelope: ``{"id", "type", "created_at", "organization", "data"}``. The
id is the event's, kept across retries, so a receiver that sees it twice can drop the copy.

Pure Python: the caller hands in plain facts (selectors/webhooks.py gathers them).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

ASSESSMENT_SUBMITTED = "assessment.submitted"
ASSESSMENT_REOPENED = "assessment.reopened"
ACTION_CREATED = "action.created"
ACTION_CHANGED = "action.changed"
# Sent only by the "Send a test event" button, whatever the webhook subscribes to.
PING = "ping"

# The events an owner can subscribe to, in the order the form lists them.
EVENT_TYPES: tuple[tuple[str, str], ...] = (
    (ASSESSMENT_SUBMITTED, "An assessment is submitted"),
    (ASSESSMENT_REOPENED, "A submitted assessment is reopened"),
    (ACTION_CREATED, "An action is added to a team's plan"),
    (ACTION_CHANGED, "An action is changed (owner, date, status…)"),
)
EVENT_NAMES = frozenset(code for code, _ in EVENT_TYPES)

SIGNATURE_VERSION = "v1"


@dataclass(frozen=True)
class OrganizationRef:
    slug: str
    name: str


@dataclass(frozen=True)
class TeamRef:
    id: int
    name: str


@dataclass(frozen=True)
class AssessmentFacts:
    id: int
    label: str
    status: str
    team: TeamRef
    bank_key: str  # "mlops-maturity@2.0"
    submitted_at: datetime | None
    # `Assessment.summary`: {"overall": level, "phases": {code: {"level", "percent"}}}; the last
    # submitted figures (kept while a reopened assessment is a draft again), None before any.
    summary: Mapping[str, Any] | None


@dataclass(frozen=True)
class ActionFacts:
    id: int
    title: str
    status: str
    practices: tuple[str, ...]
    owner_name: str  # the member's name or the free-text name; "" when nobody owns it
    due_on: date | None
    done_at: datetime | None
    team: TeamRef


def absolute(site_url: str, path: str) -> str:
    """`path` on the site, when the site's address is known (SITE_URL); else the path alone,
    which a receiver can join to the address it knows."""
    return f"{site_url.rstrip('/')}{path}" if site_url else path


def _team(team: TeamRef) -> dict[str, Any]:
    return {"id": team.id, "name": team.name}


def _iso(moment: datetime | date | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def no_address(name: str) -> str:
    """A person's name with no e-mail address in it: an owner typed as "dana@example.com" is
    sent as "dana". Payloads leave the instance, addresses stay."""
    if "@" not in name:
        return name
    return " ".join(word.split("@", 1)[0] for word in name.split()).strip()


def assessment_data(facts: AssessmentFacts, *, site_url: str) -> dict[str, Any]:
    # The shape of `Assessment.summary`, as the API gives it too.
    summary = None
    if facts.summary is not None:
        summary = {
            "overall": facts.summary.get("overall"),
            "phases": {
                code: {"level": phase.get("level"), "percent": phase.get("percent")}
                for code, phase in facts.summary.get("phases", {}).items()
            },
        }
    return {
        "id": facts.id,
        "label": facts.label,
        "status": facts.status,
        "team": _team(facts.team),
        "bank": facts.bank_key,
        "submitted_at": _iso(facts.submitted_at),
        "summary": summary,
        "url": absolute(site_url, f"/api/v1/assessments/{facts.id}/"),
    }


def action_data(facts: ActionFacts, *, site_url: str) -> dict[str, Any]:
    return {
        "id": facts.id,
        "title": facts.title,
        "status": facts.status,
        "practices": list(facts.practices),
        "owner": no_address(facts.owner_name) or None,
        "due_on": _iso(facts.due_on),
        "done_at": _iso(facts.done_at),
        "team": _team(facts.team),
        "url": absolute(site_url, f"/api/v1/actions/{facts.id}/"),
    }


def ping_data(webhook_id: int) -> dict[str, Any]:
    return {"webhook": webhook_id}


def envelope(
    *,
    event_id: str,
    event_type: str,
    created_at: datetime,
    organization: OrganizationRef,
    data: Mapping[str, Any],
) -> dict[str, Any]:
    return {
        "id": event_id,
        "type": event_type,
        "created_at": created_at.isoformat(),
        "organization": {"slug": organization.slug, "name": organization.name},
        "data": dict(data),
    }


def body_bytes(payload: Mapping[str, Any]) -> bytes:
    """The request body: compact UTF-8 JSON. The signature covers these exact bytes, so a
    receiver verifies the raw body before parsing it."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The `Webhook-Signature` header: HMAC-SHA256 of "<timestamp>.<body>" with the secret.

    The timestamp is signed with the body so that a captured request cannot be replayed later
    with a fresh timestamp: receivers refuse timestamps older than five minutes."""
    message = str(timestamp).encode("ascii") + b"." + body
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"
