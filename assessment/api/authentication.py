"""Who is calling: a personal access token (`Authorization: Bearer mmt_...`), or the signed-in
session of the pages' own scripts (which must then send the CSRF token, as forms do)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from core.models import AccessToken
from core.tokens import token_authenticate

INVALID = "This token is unknown, expired or revoked: make a new one on your account page."


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[User, AccessToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        keyword, _, secret = header.partition(" ")
        if keyword.lower() != self.keyword.lower():  # the scheme is case-insensitive (RFC 9110)
            return None  # not ours: the session may still authenticate
        token = token_authenticate(secret.strip(), timezone.now())
        if token is None:
            raise exceptions.AuthenticationFailed(INVALID)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        # Makes a missing or bad token a 401 with WWW-Authenticate, as RFC 6750 asks.
        return f'{self.keyword} realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "assessment.api.authentication.BearerTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "http", "scheme": "bearer", "description": "A personal access token."}
