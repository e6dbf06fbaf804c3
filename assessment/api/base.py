"""The API's view base: DRF authenticates every request itself (a token or the session), so the
site-wide login redirect (LoginRequiredMiddleware) must not turn a script's 401 into a sign-in
page. Mixed in first: `class Teams(Api, generics.ListAPIView)`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import User
from django.http import HttpResponseBase
from rest_framework.request import Request


class Api:
    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., HttpResponseBase]:
        return login_not_required(super().as_view(**initkwargs))  # type: ignore[misc]


def user_of(request: Request) -> User:
    """The authenticated person (every view requires one, so never anonymous here)."""
    return cast(User, request.user)
