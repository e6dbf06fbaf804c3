"""System checks that stop the server from starting in an unsafe configuration."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, register

DEVELOPMENT_KEY_IN_PRODUCTION = (
    "SECRET_KEY is not set (or is the development key) while DEBUG is off. "
    "Set SECRET_KEY to a long random value, or DEBUG=1 for development."
)


@register()
def check_secret_key(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    if settings.DEBUG or settings.SECRET_KEY != settings.DEVELOPMENT_SECRET_KEY:
        return []
    return [Error(DEVELOPMENT_KEY_IN_PRODUCTION, id="core.E001")]


def refuse_unsafe_start() -> None:
    """Called by the WSGI/ASGI entry points, which do not run system checks themselves."""
    from django.core.exceptions import ImproperlyConfigured

    if check_secret_key():
        raise ImproperlyConfigured(DEVELOPMENT_KEY_IN_PRODUCTION)
