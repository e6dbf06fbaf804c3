"""Reads for webhooks: an organisation's webhooks and one of them, a webhook's latest
deliveries, the webhooks an event goes to, and the facts its payload is built from."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404

from assessment.formats.webhook_events import (
    ActionFacts,
    AssessmentFacts,
    OrganizationRef,
    TeamRef,
    action_data,
    assessment_data,
)
from assessment.models import Action, Assessment, Webhook, WebhookDelivery
from assessment.selectors.actions import owner_label
from core.models import Organization

DELIVERIES_SHOWN = 50


def organization_webhooks(organization: Organization) -> QuerySet[Webhook]:
    """The organisation's webhooks, oldest first, each with its latest delivery's status and
    time (`last_status`, `last_at`; None before any)."""
    latest = WebhookDelivery.objects.filter(webhook=OuterRef("pk")).order_by("-created_at", "-pk")
    return Webhook.objects.filter(organization=organization).annotate(
        last_status=Subquery(latest.values("status")[:1]),
        last_at=Subquery(latest.values("created_at")[:1]),
    )


def webhook_of(organization: Organization, webhook_id: int) -> Webhook:
    """One webhook of the organisation; 404 for another's, so ids do not leak."""
    try:
        return Webhook.objects.select_related("organization").get(
            pk=webhook_id, organization=organization
        )
    except Webhook.DoesNotExist:
        raise Http404 from None


def webhook_deliveries(webhook: Webhook, limit: int = DELIVERIES_SHOWN) -> list[WebhookDelivery]:
    return list(WebhookDelivery.objects.filter(webhook=webhook).defer("payload")[:limit])


def subscribed_webhooks(organization_id: int, event_type: str) -> list[Webhook]:
    """The organisation's active webhooks that want this event. The event list is matched here
    rather than in SQL: JSON containment is not portable to SQLite, and an organisation has a
    handful of webhooks at most."""
    return [
        webhook
        for webhook in Webhook.objects.filter(organization_id=organization_id, is_active=True)
        if webhook.subscribes_to(event_type)
    ]


def organization_ref(organization_id: int) -> OrganizationRef:
    organization = Organization.objects.only("slug", "name").get(pk=organization_id)
    return OrganizationRef(slug=organization.slug, name=organization.name)


def site_url() -> str:
    return str(settings.SITE_URL or "")


def assessment_event_data(assessment: Assessment) -> dict[str, Any]:
    """The `data` of an assessment's event, as the assessment stands now."""
    return assessment_data(
        AssessmentFacts(
            id=assessment.pk,
            label=assessment.label,
            status=assessment.status,
            team=TeamRef(id=assessment.team_id, name=assessment.team.name),
            bank_key=assessment.bank.key,
            submitted_at=assessment.submitted_at,
            summary=assessment.summary,
        ),
        site_url=site_url(),
    )


def action_event_data(action: Action) -> dict[str, Any]:
    """The `data` of an action's event, as the action stands now."""
    return action_data(
        ActionFacts(
            id=action.pk,
            title=action.title,
            status=action.status,
            practices=tuple(action.practices),
            owner_name=owner_label(action),
            due_on=action.due_on,
            done_at=action.done_at,
            team=TeamRef(id=action.team_id, name=action.team.name),
        ),
        site_url=site_url(),
    )
