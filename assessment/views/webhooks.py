"""An organisation's webhooks: the list and the form to add one, a webhook's page (its secret,
its settings, a test event, its latest deliveries), rotating its secret and deleting it.
Owners only, reading included, since the pages show the signing secrets; another
organisation's webhook is a 404."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from assessment.forms.webhooks import WebhookForm
from assessment.models import Webhook
from assessment.permissions import NO_WEBHOOKS, may_manage_webhooks
from assessment.selectors.webhooks import organization_webhooks, webhook_deliveries, webhook_of
from assessment.services.webhooks import (
    MAX_ATTEMPTS,
    UnsafeURL,
    allow_private,
    webhook_create,
    webhook_delete,
    webhook_rotate_secret,
    webhook_send_test,
    webhook_update,
)
from core.confirm import Confirmation, confirmation_page
from core.http import AuthenticatedHttpRequest
from core.models import Membership, Organization
from core.selectors import organization_for_user


def _owned(request: AuthenticatedHttpRequest, slug: str) -> tuple[Organization, Membership]:
    organization, membership = organization_for_user(request.user, slug)
    if not may_manage_webhooks(membership):
        raise PermissionDenied(NO_WEBHOOKS)
    return organization, membership


def _called(webhook: Webhook) -> str:
    """The webhook in a sentence: its host and description. A whole URL can be long enough
    to push a confirmation page sideways on a phone."""
    host = urlsplit(webhook.url).netloc
    return f"{host} ({webhook.description})" if webhook.description else host


@require_http_methods(["GET", "POST"])
def organization_webhooks_page(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization, membership = _owned(request, slug)
    form = WebhookForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            webhook = webhook_create(
                organization=organization,
                url=data["url"],
                events=data["events"],
                description=data["description"],
                is_active=data["is_active"],
                by=request.user,
            )
        except UnsafeURL as refused:  # the DNS answer changed between the form and now
            form.add_error("url", str(refused))
        else:
            messages.success(
                request,
                "The webhook is saved. Give its secret to the receiver, then send a test event.",
            )
            return redirect("webhook_detail", organization.slug, webhook.pk)
    return render(
        request,
        "assessment/webhooks.html",
        {
            "organization": organization,
            "membership": membership,
            "webhooks": organization_webhooks(organization),
            "form": form,
            "private_allowed": allow_private(),
            "http_allowed": settings.DEBUG or allow_private(),
        },
    )


@require_http_methods(["GET", "POST"])
def webhook_page(request: AuthenticatedHttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    organization, membership = _owned(request, slug)
    webhook = webhook_of(organization, webhook_id)
    form = WebhookForm(
        request.POST if request.method == "POST" else None,
        initial=WebhookForm.initial_for(webhook),
        current_url=webhook.url,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            webhook_update(
                webhook=webhook,
                url=data["url"],
                events=data["events"],
                description=data["description"],
                is_active=data["is_active"],
                by=request.user,
            )
        except UnsafeURL as refused:
            form.add_error("url", str(refused))
        else:
            messages.success(request, "The webhook is saved.")
            return redirect("webhook_detail", organization.slug, webhook.pk)
    return render(
        request,
        "assessment/webhook_detail.html",
        {
            "organization": organization,
            "membership": membership,
            "webhook": webhook,
            "form": form,
            "deliveries": webhook_deliveries(webhook),
            "max_attempts": MAX_ATTEMPTS,
        },
    )


@require_POST
def webhook_test(request: AuthenticatedHttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    organization, _ = _owned(request, slug)
    webhook = webhook_of(organization, webhook_id)
    webhook_send_test(webhook=webhook, by=request.user)
    messages.success(
        request,
        "A test event (ping) is queued: the worker sends it within moments. Reload this page "
        "to see the receiver's answer below.",
    )
    return redirect("webhook_detail", organization.slug, webhook.pk)


@require_http_methods(["GET", "POST"])
def webhook_rotate(request: AuthenticatedHttpRequest, slug: str, webhook_id: int) -> HttpResponse:
    """GET: what rotating does; POST: a new secret."""
    organization, _ = _owned(request, slug)
    webhook = webhook_of(organization, webhook_id)
    if request.method == "GET":
        return confirmation_page(
            request,
            Confirmation(
                title="Rotate this webhook's secret?",
                consequences=(
                    f"Events to {_called(webhook)} will be signed with a new secret from now on, "
                    "retries of earlier events included. The current secret stops at once.",
                    "Give the new secret to the receiver straight away: until then it will "
                    "refuse the events as wrongly signed, and they will be retried.",
                ),
                confirm_label="Rotate the secret",
                action_url=reverse("webhook_rotate_secret", args=[slug, webhook.pk]),
                cancel_url=reverse("webhook_detail", args=[slug, webhook.pk]),
                button_class="btn-danger",
            ),
        )
    webhook_rotate_secret(webhook=webhook, by=request.user)
    messages.success(request, "The secret is new: copy it to the receiver.")
    return redirect("webhook_detail", organization.slug, webhook.pk)


@require_http_methods(["GET", "POST"])
def webhook_delete_view(
    request: AuthenticatedHttpRequest, slug: str, webhook_id: int
) -> HttpResponse:
    """GET: confirm; POST: delete the webhook and its deliveries."""
    organization, _ = _owned(request, slug)
    webhook = webhook_of(organization, webhook_id)
    if request.method == "GET":
        return confirmation_page(
            request,
            Confirmation(
                title="Delete this webhook?",
                consequences=(
                    f"The webhook to {_called(webhook)} will receive no more events, and "
                    "retries under way stop.",
                    "Its log of deliveries is deleted with it. To only pause it, switch it off "
                    "instead.",
                ),
                confirm_label="Delete the webhook",
                action_url=reverse("webhook_delete", args=[slug, webhook.pk]),
                cancel_url=reverse("webhook_detail", args=[slug, webhook.pk]),
                button_class="btn-danger",
            ),
        )
    webhook_delete(webhook=webhook, by=request.user)
    messages.success(request, "The webhook is deleted.")
    return redirect("organization_webhooks", organization.slug)
