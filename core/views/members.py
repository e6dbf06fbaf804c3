"""Who belongs to an organisation, in which role: owners add, change and remove members."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from assessment.permissions import OWNERS_ONLY, may_manage_members
from core import selectors, services
from core.confirm import Confirmation, confirmation_page
from core.forms import InvitationForm, MemberRoleForm
from core.http import AuthenticatedHttpRequest
from core.invitations import InvitationRefused, invitation_link, invitation_send
from core.models import Membership, Organization, Role
from core.selectors import membership_of, organization_for_user, pending_invitations


def _owned(request: AuthenticatedHttpRequest, slug: str) -> tuple[Organization, Membership]:
    organization, membership = organization_for_user(request.user, slug)
    if not may_manage_members(membership):
        raise PermissionDenied(OWNERS_ONLY)
    return organization, membership


@require_http_methods(["GET", "POST"])
def organization_members(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    organization, membership = organization_for_user(request.user, slug)
    form = InvitationForm(request.POST or None)
    if request.method == "POST":
        if not may_manage_members(membership):
            raise PermissionDenied(OWNERS_ONLY)
        if form.is_valid():
            email = form.cleaned_data["email"]
            try:
                invitation_send(
                    organization=organization,
                    email=email,
                    role=form.cleaned_data["role"],
                    by=request.user,
                    link_for=invitation_link(request),
                )
            except InvitationRefused as refused:
                form.add_error("email", str(refused))
            else:
                messages.success(
                    request,
                    f"Invitation sent to {email}. They join when they accept it from the e-mail.",
                )
                return redirect("organization_members", organization.slug)
    return render(
        request,
        "assessment/organization_members.html",
        {
            "organization": organization,
            "membership": membership,
            "members": selectors.organization_members(organization),
            "invitations": pending_invitations(organization)
            if may_manage_members(membership)
            else [],
            "form": form,
            "role_choices": Role.choices,
            "now": timezone.now(),
        },
    )


@require_http_methods(["GET", "POST"])
def organization_member_update(
    request: AuthenticatedHttpRequest, slug: str, membership_id: int
) -> HttpResponse:
    """POST: change a member's role, or remove them; GET: confirm a removal first."""
    organization, _ = _owned(request, slug)
    target = membership_of(organization, membership_id)
    if request.method == "GET":
        name = target.user.get_username()
        return confirmation_page(
            request,
            Confirmation(
                title=f"Remove {name} from {organization.name}?",
                consequences=(
                    f"{name} will no longer see this organisation, its teams or their "
                    "assessments. Their answers stay in the assessments they took part in.",
                    "To undo it, add them again as a member.",
                ),
                confirm_label=f"Remove {name}",
                action_url=reverse("organization_member_update", args=[slug, target.pk]),
                cancel_url=reverse("organization_members", args=[slug]),
                button_class="btn-danger",
                hidden=(("remove", "1"),),
            ),
        )
    try:
        if "remove" in request.POST:
            services.membership_remove(membership=target, by=request.user)
            messages.success(request, f"{target.user.get_username()} no longer belongs here.")
        else:
            form = MemberRoleForm(request.POST, prefix=f"m{target.pk}")
            if not form.is_valid():
                messages.error(request, "Choose one of the listed roles.")
            else:
                services.membership_set_role(
                    membership=target, role=form.cleaned_data["role"], by=request.user
                )
                messages.success(request, f"{target.user.get_username()} is now {target.role}.")
    except services.LastOwner as error:
        messages.error(request, str(error))
    return redirect("organization_members", organization.slug)
