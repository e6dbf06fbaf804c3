"""What every API view needs. (DRF's views are exempt from the site-wide login redirect,
LoginRequiredMiddleware: they authenticate each request themselves, a token or the session, and
answer 401 rather than a sign-in page.)"""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from rest_framework.request import Request


def user_of(request: Request) -> User:
    """The authenticated person (every view requires one, so never anonymous here)."""
    return cast(User, request.user)
