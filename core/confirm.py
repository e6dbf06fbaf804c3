"""A confirmation page for what cannot be undone: the action's button leads here (GET), and only
the button on this page posts. Accessible without JavaScript: a real page, not a pop-up."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@dataclass(frozen=True)
class Confirmation:
    title: str  # "Submit the assessment?"
    consequences: tuple[str, ...]  # what will happen, in plain words
    confirm_label: str  # "Submit and freeze the answers"
    action_url: str
    cancel_url: str
    button_class: str = "btn-primary"
    hidden: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    reason_label: str = ""  # a free-text reason field, when the action records one
    blocked: str = ""  # why the action cannot be taken now (no button then)


def confirmation_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    return render(request, "core/confirm.html", {"confirm": confirmation})
