"""The OpenAPI schema (for scripts and schemathesis) and its browsable reference page. The page
is Swagger UI served from our own origin (drf-spectacular-sidecar), with its start-up script as
a file rather than inline, so it runs under the site's Content Security Policy."""

from __future__ import annotations

from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from assessment.api.base import Api


class Schema(Api, SpectacularAPIView):
    pass


class Reference(SpectacularSwaggerSplitView):
    """A page for people: the site's sign-in applies (the middleware), as on every page."""
