"""Facts every page may need about how this instance is configured."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from core.accounts import invited_email


def accounts(request: HttpRequest) -> dict[str, object]:
    return {"signup_open": bool(settings.SIGNUP_OPEN or invited_email(request))}
