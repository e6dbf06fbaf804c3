"""Invitations: the link a person receives, where they accept (or first sign in, or create
their account); and the owner's resend and revoke."""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from assessment.permissions import OWNERS_ONLY, may_manage_members
from core.accounts import INVITATION_SESSION_KEY, MFA_SETUP_SESSION_KEY, needs_mfa_setup
from core.http import AuthenticatedHttpRequest
from core.invitations import (
    GONE,
    InvitationRefused,
    invitation_accept,
    invitation_link,
    invitation_resend,
    invitation_revoke,
    live_invitation,
    owns_address,
)
from core.models import Invitation
from core.selectors import organization_for_user


@login_not_required
@require_http_methods(["GET", "POST"])
def invitation_view(request: HttpRequest, invitation_id: int, token: str) -> HttpResponse:
    invitation = live_invitation(invitation_id, token)
    if invitation is None:
        return _private(render(request, "core/invitation.html", {"gone": GONE}, status=404))
    user = request.user
    if not user.is_authenticated:
        # The link proves the address: sign-up is open to it, and needs no second e-mail.
        request.session[INVITATION_SESSION_KEY] = {
            "id": invitation.pk,
            "token_hash": invitation.token_hash,
        }
        get_adapter(request).stash_verified_email(request, invitation.email)
        here = request.get_full_path()
        return _private(
            render(
                request,
                "core/invitation.html",
                {
                    "invitation": invitation,
                    "login_url": f"{reverse('login')}?{urlencode({'next': here})}",
                    "signup_url": f"{reverse('account_signup')}?"
                    + urlencode({"next": here, "email": invitation.email}),
                },
            )
        )
    owns = owns_address(user, invitation.email)
    if request.method == "POST" and owns:
        try:
            invitation_accept(invitation=invitation, by=user)
        except InvitationRefused as refused:
            messages.error(request, str(refused))
        else:
            request.session.pop(INVITATION_SESSION_KEY, None)
            # Joining an organisation that requires two-factor sign-in asks for it now.
            request.session[MFA_SETUP_SESSION_KEY] = needs_mfa_setup(user)
            messages.success(
                request,
                f"You joined {invitation.organization.name} as "
                f"{invitation.get_role_display().lower()}.",
            )
            return redirect("organization_detail", invitation.organization.slug)
    return _private(
        render(request, "core/invitation.html", {"invitation": invitation, "owns": owns})
    )


def _private(response: HttpResponse) -> HttpResponse:
    """The token is in the address: keep it out of caches and other sites' referrers.
    "same-origin" rather than "no-referrer": the page posts to itself, and a browser sends
    `Origin: null` from a no-referrer page, which CSRF protection rightly refuses."""
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "same-origin"
    return response


@require_POST
def invitation_resend_view(
    request: AuthenticatedHttpRequest, slug: str, invitation_id: int
) -> HttpResponse:
    invitation = _owned_invitation(request, slug, invitation_id)
    try:
        invitation_resend(invitation=invitation, by=request.user, link_for=invitation_link(request))
    except InvitationRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, f"Sent again to {invitation.email}; the previous link no longer works."
        )
    return redirect("organization_members", slug)


@require_POST
def invitation_revoke_view(
    request: AuthenticatedHttpRequest, slug: str, invitation_id: int
) -> HttpResponse:
    invitation = _owned_invitation(request, slug, invitation_id)
    invitation_revoke(invitation=invitation, by=request.user)
    messages.success(request, f"The invitation to {invitation.email} is revoked.")
    return redirect("organization_members", slug)


def _owned_invitation(
    request: AuthenticatedHttpRequest, slug: str, invitation_id: int
) -> Invitation:
    organization, membership = organization_for_user(request.user, slug)
    if not may_manage_members(membership):
        raise PermissionDenied(OWNERS_ONLY)
    return get_object_or_404(Invitation, pk=invitation_id, organization=organization)
