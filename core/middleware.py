"""Response headers every page gets, whoever serves it; and the organisations' sign-in rule
that two-factor sign-in be set up before anything else."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from core.accounts import MFA_SETUP_SESSION_KEY, needs_mfa_setup

MFA_REQUIRED = (
    "An organisation you belong to requires two-factor sign-in: set up an authenticator app "
    "to go on."
)

# The browser features no page of ours uses, switched off for us and for anything we embed.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=()"
)
# A signed-in person's pages and downloads (a client's answers, reports and exports) must not be
# kept by shared caches, nor on disk by the browser after they leave a shared machine.
PRIVATE = "private, no-store"


class SecurityHeadersMiddleware:
    """`Permissions-Policy` on every response; `Cache-Control: private, no-store` on every
    response to a signed-in person. First in MIDDLEWARE, so static files get the policy too."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = PRIVATE
        return response


class TwoFactorSetupMiddleware:
    """Someone whose organisation requires two-factor sign-in, and who has not set it up, is
    sent to set it up before any other page. Decided at sign-in (core/signals.py) and checked
    again only while it stands, so it costs no query for everyone else."""

    # Where they may still go: setting it up, their account, signing out, static files.
    ALLOWED = ("/accounts/", "/account/", "/logout/", "/static/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.get(MFA_SETUP_SESSION_KEY)
            and not request.path.startswith(self.ALLOWED)
        ):
            # Checked again only while the flag stands: set up since, the person goes on.
            if needs_mfa_setup(request.user):
                messages.warning(request, MFA_REQUIRED)
                return redirect("mfa_activate_totp")
            del session[MFA_SETUP_SESSION_KEY]
        return self.get_response(request)
