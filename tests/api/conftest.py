"""API tests talk to the views through Django's test client with a real token in the header."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from core.models import AccessToken, Organization
from core.tokens import token_create


class Api:
    """A client that sends a bearer token and JSON."""

    def __init__(self, client: Client, secret: str) -> None:
        self.client, self.secret = client, secret

    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.secret}"}

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(path, params, headers=self.headers())

    def post(self, path: str, data: Any = None) -> Any:
        return self.client.post(
            path, data or {}, content_type="application/json", headers=self.headers()
        )

    def patch(self, path: str, data: Any) -> Any:
        return self.client.patch(
            path, data, content_type="application/json", headers=self.headers()
        )

    def put(self, path: str, data: Any, content_type: str = "application/json") -> Any:
        return self.client.put(path, data, content_type=content_type, headers=self.headers())

    def delete(self, path: str) -> Any:
        return self.client.delete(path, headers=self.headers())


def make_token(
    user: User, scope: str = "write", organization: Organization | None = None
) -> tuple[AccessToken, str]:
    return token_create(user=user, name="tests", scope=scope, organization=organization)


@pytest.fixture
def alice_api(client: Client, alice: User, acme_team: Any) -> Api:
    _, secret = make_token(alice)
    return Api(client, secret)
