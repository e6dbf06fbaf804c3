"""A person's own account: their addresses, password, two-factor and single sign-on, and the
organisations they belong to. The pages behind the links are django-allauth's."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.http import AuthenticatedHttpRequest
from core.selectors import memberships_for


@require_GET
def account_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "core/account.html",
        {"memberships": memberships_for(request.user).select_related("organization")},
    )
