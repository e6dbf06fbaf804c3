"""Personal access tokens for the API: made and revoked on the person's account page, looked up
by the API's authentication. The token is random (256 bits) with a recognisable prefix, so a
secret scanner can spot a leaked one; only its SHA-256 is stored."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.db.models import Q, QuerySet
from django.utils import timezone

from core.models import AccessToken, Organization

TOKEN_PREFIX = "mmt_"  # noqa: S105  (a marker for secret scanners, not a secret)
MAX_TOKEN_DAYS = 366
DEFAULT_TOKEN_DAYS = 90
MAX_TOKENS_PER_USER = 50
# Recording every use would write on every API call; once a minute says enough.
LAST_USED_RESOLUTION = timedelta(minutes=1)
TOO_MANY = f"You have {MAX_TOKENS_PER_USER} live tokens already: revoke one you no longer use."


class TokenRefused(Exception):
    """Why a token cannot be made, in words for the person asking."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def token_create(
    *,
    user: User,
    name: str,
    scope: str,
    days: int = DEFAULT_TOKEN_DAYS,
    organization: Organization | None = None,
) -> tuple[AccessToken, str]:
    """A new token and its secret, which is not stored: show it once."""
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise TokenRefused(f"A token lasts 1 to {MAX_TOKEN_DAYS} days.")
    if live_tokens(user).count() >= MAX_TOKENS_PER_USER:
        raise TokenRefused(TOO_MANY)
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user,
        name=name,
        token_hash=token_hash(secret),
        prefix=secret[:12],
        scope=scope,
        organization=organization,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, secret


def token_revoke(*, token: AccessToken) -> None:
    """Stop it at once; revoking twice changes nothing."""
    AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )


def live_tokens(user: User) -> QuerySet[AccessToken]:
    return AccessToken.objects.filter(user=user, revoked_at__isnull=True).filter(
        expires_at__gt=timezone.now()
    )


def user_tokens(user: User) -> QuerySet[AccessToken]:
    """Every token of theirs, newest first, with its organisation: the account page's list."""
    return AccessToken.objects.filter(user=user).select_related("organization")


def token_authenticate(secret: str, now: datetime) -> AccessToken | None:
    """The live token with this secret, its user loaded, its use recorded; None otherwise."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        AccessToken.objects.select_related("user", "organization")
        .filter(token_hash=token_hash(secret), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        AccessToken.objects.filter(pk=token.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lt=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        token.last_used_at = now
    return token
