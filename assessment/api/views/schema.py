"""The OpenAPI schema (for scripts and schemathesis) and its browsable reference page. The page
is Swagger UI served from our own origin (drf-spectacular-sidecar), with its start-up script as
a file rather than inline, so it runs under the site's Content Security Policy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from csp.decorators import csp_update
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseBase
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView


class Schema(SpectacularAPIView):
    """For tokens and sessions alike; anonymous callers get a 401 problem."""


# The one <style> element Swagger UI writes into the page, allowed by its hash rather than by
# 'unsafe-inline' (tests/browser/test_api_docs.py fails if a new Swagger UI writes another).
SWAGGER_UI_STYLE = "'sha256-MMpT0iDxyjALd9PdfepImGX3DBfJPXZ4IlDWdPAgtn0='"


class Reference(SpectacularSwaggerSplitView):
    """A page for people: an anonymous visitor is sent to sign in, as on every page."""

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., HttpResponseBase]:  # type: ignore[override]
        view = csp_update({"style-src": [SWAGGER_UI_STYLE]})(super().as_view(**initkwargs))
        return login_required(view)
