"""Response headers every page gets, whoever serves it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

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
