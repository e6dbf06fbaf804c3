"""What happens at sign-in: whether an organisation's rule asks for two-factor set-up first."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from core.accounts import MFA_SETUP_SESSION_KEY, needs_mfa_setup


@receiver(user_logged_in)
def check_two_factor_rule(**signal: Any) -> None:
    request = signal.get("request")
    if request is not None and hasattr(request, "session"):
        request.session[MFA_SETUP_SESSION_KEY] = needs_mfa_setup(signal["user"])
