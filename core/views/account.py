"""A person's own account: their addresses, password, two-factor and single sign-on, the
organisations they belong to, and their API tokens. The pages behind the sign-in links are
django-allauth's."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from core.forms import AccessTokenForm
from core.http import AuthenticatedHttpRequest
from core.models import AccessToken
from core.selectors import memberships_for
from core.tokens import TokenRefused, token_create, token_revoke, user_tokens


@require_http_methods(["GET", "POST"])
def account_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    memberships = list(memberships_for(request.user).select_related("organization"))
    organizations = [m.organization for m in memberships]
    form = AccessTokenForm(
        request.POST if request.method == "POST" else None, organizations=organizations
    )
    new_token = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_token = token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"],
                organization=form.cleaned_data["organization"],
            )
        except TokenRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            form = AccessTokenForm(organizations=organizations)
    return render(
        request,
        "core/account.html",
        {
            "memberships": memberships,
            "form": form,
            "new_token": new_token,
            "tokens": user_tokens(request.user),
            "now": timezone.now(),
        },
    )


@require_POST
def access_token_revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    # Someone else's token is not found: ids reveal nothing.
    token = get_object_or_404(AccessToken, pk=token_id, user=request.user)
    token_revoke(token=token)
    messages.success(request, f"The token \u201c{token.name}\u201d is revoked: it no longer works.")
    return redirect("account_settings")
