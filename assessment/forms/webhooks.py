"""A webhook's address, description, events and on/off switch. The address is checked as the
worker will check it before every attempt (services/webhooks.resolve_target), so an owner
hears at once that a private or unreachable address will not do."""

from __future__ import annotations

from typing import Any

from django import forms

from assessment.formats.webhook_events import EVENT_TYPES
from assessment.models import WEBHOOK_URL_MAX_LENGTH, Webhook
from assessment.services.webhooks import UnsafeURL, resolve_target
from core.forms import one_line_name


class WebhookForm(forms.Form):
    url = forms.CharField(
        label="Payload URL",
        max_length=WEBHOOK_URL_MAX_LENGTH,
        widget=forms.URLInput(attrs={"placeholder": "https://example.com/hooks/maturity"}),
        help_text="Where the events are POSTed, as JSON signed with this webhook's secret.",
    )
    description = forms.CharField(
        required=False,
        max_length=200,
        validators=[one_line_name],
        help_text="For your colleagues, e.g. \u201cJira automation\u201d.",
    )
    events = forms.MultipleChoiceField(
        # The code beside the words: it is what the receiver sees in `type`.
        choices=[(code, f"{label} ({code})") for code, label in EVENT_TYPES],
        widget=forms.CheckboxSelectMultiple,
        label="Events to send",
        error_messages={"required": "Choose at least one event."},
    )
    is_active = forms.BooleanField(
        required=False,
        initial=True,
        label="Active",
        help_text="Switched off, it receives nothing but test events; retries under way stop.",
    )

    def __init__(self, *args: Any, current_url: str = "", **kwargs: Any) -> None:
        """`current_url`: the webhook's saved address, when editing one."""
        super().__init__(*args, **kwargs)
        self.current_url = current_url

    @classmethod
    def initial_for(cls, webhook: Webhook) -> dict[str, Any]:
        return {
            "url": webhook.url,
            "description": webhook.description,
            "events": list(webhook.events),
            "is_active": webhook.is_active,
        }

    def clean_url(self) -> str:
        url = str(self.cleaned_data["url"]).strip()
        if url != self.current_url:
            try:
                resolve_target(url)
            except UnsafeURL as refused:
                raise forms.ValidationError(str(refused)) from None
        return url
