"""Reading settings from the environment: small helpers that fail loudly on a bad value."""

from __future__ import annotations

import os

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int(name: str, *, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


SUPPORTED_DATABASE_ENGINES = {
    "django.db.backends.sqlite3",
    "django.db.backends.postgresql",
}


def database_from_url(url: str) -> dj_database_url.DBConfig:
    """Turn DATABASE_URL into Django's DATABASES entry, or explain why it cannot."""
    try:
        config = dj_database_url.parse(url)
    except ValueError:
        raise ImproperlyConfigured(
            f"DATABASE_URL {url.split('://')[0]!r} is not a database URL we understand; "
            "use sqlite:///path/to/db.sqlite3 or postgres://user:password@host:5432/name"
        ) from None
    engine = config.get("ENGINE", "")
    if engine not in SUPPORTED_DATABASE_ENGINES:
        raise ImproperlyConfigured(
            f"DATABASE_URL uses an unsupported database ({engine or 'none'}); "
            "use sqlite:/// or postgres://"
        )
    if engine == "django.db.backends.postgresql":
        if not config.get("NAME"):
            raise ImproperlyConfigured("DATABASE_URL names no database: add /<name> to the URL")
        # Long-lived connections, checked before reuse, so a restarted server costs no 500s.
        config["CONN_MAX_AGE"] = 60
        config["CONN_HEALTH_CHECKS"] = True
    return config


def oidc_providers() -> dict[str, object]:
    """django-allauth's OpenID Connect provider from the environment: OIDC_ISSUER (the issuer's
    URL, whose /.well-known/openid-configuration is read), OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and
    OIDC_NAME (the button's label). None configured: no single sign-on."""
    issuer = os.environ.get("OIDC_ISSUER", "").strip()
    if not issuer:
        return {}
    client_id = os.environ.get("OIDC_CLIENT_ID", "").strip()
    if not client_id:
        raise ImproperlyConfigured("OIDC_ISSUER is set: OIDC_CLIENT_ID is needed as well")
    return oidc_provider(
        issuer=issuer,
        client_id=client_id,
        secret=os.environ.get("OIDC_CLIENT_SECRET", ""),
        name=os.environ.get("OIDC_NAME", "").strip() or "Single sign-on",
    )


def oidc_provider(*, issuer: str, client_id: str, secret: str, name: str) -> dict[str, object]:
    """The SOCIALACCOUNT_PROVIDERS setting for one OpenID Connect provider, named "sso"."""
    app = {
        "provider_id": "sso",
        "name": name,
        "client_id": client_id,
        "secret": secret,
        "settings": {"server_url": issuer, "fetch_userinfo": True},
    }
    return {"openid_connect": {"APPS": [app], "OAUTH_PKCE_ENABLED": True}}


def origin_of(url: str) -> str:
    """ "https://login.example.com" for "https://login.example.com/realms/acme"."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
