"""Response headers every page gets, whoever serves it; the organisations' sign-in rule that
two-factor sign-in be set up before anything else; and, for operators, an id on every request
(in its log lines and its response) and the request metrics."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect

from core import metrics
from core.accounts import MFA_SETUP_SESSION_KEY, needs_mfa_setup
from core.logs import REQUEST_ID_HEADER, REQUEST_ID_META, current_request_id, request_id_from

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


class RequestIdMiddleware:
    """Gives each request an id: the incoming `X-Request-ID` when it is a sane token (a proxy in
    front may have set it), else a new one. Every line logged while the request is handled
    carries it (core/logs.py), and so does the response's `X-Request-ID`. First in MIDDLEWARE,
    so everything after it logs with the id."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_from(request.headers.get(REQUEST_ID_HEADER))
        request.META[REQUEST_ID_META] = request_id
        token = current_request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[REQUEST_ID_HEADER] = request_id
        return response


class RequestMetricsMiddleware:
    """Counts each request by method, route and status class, and times it by route
    (core/metrics.py). The route is the URL's name ("team_detail"), never its path, which holds
    ids; "static" for static files, "unmatched" when no URL matched."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/") if settings.STATIC_URL else None

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        started = time.perf_counter()
        response = self.get_response(request)
        metrics.http_request_observed(
            method=request.method or "",
            route=self.route(request),
            status_code=response.status_code,
            seconds=time.perf_counter() - started,
        )
        return response

    def route(self, request: HttpRequest) -> str:
        match = getattr(request, "resolver_match", None)
        if match is not None:
            return str(match.view_name)
        if self.static_prefix and request.path.startswith(self.static_prefix):
            return metrics.STATIC
        return metrics.UNMATCHED


class SecurityHeadersMiddleware:
    """`Permissions-Policy` on every response; `Cache-Control: private, no-store` on every
    response to a signed-in person. Before WhiteNoise in MIDDLEWARE, so static files get the
    policy too."""

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
    ALLOWED = ("/accounts/", "/account/", "/logout/", "/static/", "/healthz", "/readyz")

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
