"""The pages' access rules, for the API. Objects are found through the same `*_for_user`
selectors (another organisation's is 404), a token restricted to one organisation sees no other
(404 too), and a write needs a role that may edit (403) and, with a token, its write scope
(403)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import Http404
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from assessment.api.base import user_of
from assessment.models import Assessment
from assessment.permissions import READ_ONLY_ROLE, may_edit
from assessment.selectors.assessments import assessment_for_user
from core.models import AccessToken, Membership

if TYPE_CHECKING:
    from rest_framework.views import APIView

READ_TOKEN = "This token may only read: make a token that may read and write for this."


class TokenScope(BasePermission):
    """A read-only token never writes, whatever its owner's role."""

    message = READ_TOKEN

    def has_permission(self, request: Request, view: APIView) -> bool:
        token = request.auth
        if isinstance(token, AccessToken) and request.method not in SAFE_METHODS:
            return token.can_write
        return True


def token_allows(request: Request, organization_id: int) -> None:
    """404 when the request's token is restricted to another organisation."""
    token = request.auth
    if isinstance(token, AccessToken) and token.organization_id not in (None, organization_id):
        raise Http404


def visible_organization_ids(request: Request) -> list[int] | None:
    """The only organisation a restricted token sees, or None for all of the user's."""
    token = request.auth
    if isinstance(token, AccessToken) and token.organization_id is not None:
        return [token.organization_id]
    return None


def check_edit(membership: Membership) -> None:
    if not may_edit(membership):
        raise PermissionDenied(READ_ONLY_ROLE)


def assessment_for_api(request: Request, assessment_id: int) -> tuple[Assessment, Membership]:
    """An assessment this request may see (the token's organisation too); 404 otherwise."""
    assessment, membership = assessment_for_user(user_of(request), assessment_id)
    token_allows(request, assessment.team.organization_id)
    return assessment, membership
