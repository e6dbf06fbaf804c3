"""Requests counted per token (per person for the session), so one runaway CI loop slows only
itself. The counts live in the cache: with several hosts, set a shared CACHES (docs/deploy.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from core.models import AccessToken

if TYPE_CHECKING:
    from rest_framework.views import APIView


class PerTokenThrottle(SimpleRateThrottle):
    scope = "api"

    def get_cache_key(self, request: Request, view: APIView) -> str | None:
        if isinstance(request.auth, AccessToken):
            ident = f"token-{request.auth.pk}"
        elif request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
