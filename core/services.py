"""Writes to organisations, teams and memberships. Changes to who belongs are recorded in the
organisation's activity log (`OrganizationEvent`)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from core.models import (
    Membership,
    Organization,
    OrganizationEvent,
    ReportBranding,
    Role,
    Team,
)
from core.selectors import display_name

LAST_OWNER = "An organisation needs at least one owner: make someone else owner first."


class LastOwner(Exception):
    pass


def organization_ensure(*, slug: str, name: str) -> Organization:
    """The organisation with this slug, created with `name` when there is none."""
    organization, _ = Organization.objects.get_or_create(slug=slug, defaults={"name": name})
    return organization


def team_ensure(*, organization: Organization, name: str, description: str = "") -> Team:
    """The organisation's team of this name, created when there is none."""
    team, _ = Team.objects.get_or_create(
        organization=organization, name=name, defaults={"description": description}
    )
    return team


def membership_add(*, organization: Organization, user: User, role: str, by: User) -> Membership:
    with transaction.atomic():
        membership = Membership.objects.create(organization=organization, user=user, role=role)
        _record(
            organization.pk,
            OrganizationEvent.Kind.MEMBER_ADDED,
            by,
            f"{display_name(user)} as {membership.get_role_display().lower()}",
        )
    return membership


def membership_set_role(*, membership: Membership, role: str, by: User) -> None:
    with transaction.atomic():
        if membership.role == role:
            return
        if membership.role == Role.OWNER:
            _keep_an_owner(membership)
        before = membership.get_role_display().lower()
        membership.role = role
        membership.save(update_fields=["role"])
        _record(
            membership.organization_id,
            OrganizationEvent.Kind.ROLE_CHANGED,
            by,
            f"{display_name(membership.user)}: {before} to {membership.get_role_display().lower()}",
        )


def membership_remove(*, membership: Membership, by: User) -> None:
    with transaction.atomic():
        if membership.role == Role.OWNER:
            _keep_an_owner(membership)
        membership.delete()
        _record(
            membership.organization_id,
            OrganizationEvent.Kind.MEMBER_REMOVED,
            by,
            display_name(membership.user),
        )


def branding_save(
    *,
    organization: Organization,
    prepared_by: str,
    firm: str,
    confidentiality: str,
    logo: bytes | None,
    by: User,
) -> ReportBranding:
    """Sign the organisation's reports. `logo`: a cleaned PNG (core/logos.py) to replace the
    current one, b"" to remove it, None to keep it. Published reports keep the branding they
    were published with."""
    with transaction.atomic():
        branding, _ = ReportBranding.objects.select_for_update().get_or_create(
            organization=organization
        )
        branding.prepared_by, branding.firm = prepared_by.strip(), firm.strip()
        branding.confidentiality = confidentiality.strip()
        changed_logo = logo is not None and bytes(logo) != bytes(branding.logo)
        if logo is not None:
            branding.logo = logo
        branding.save()
        detail = ", ".join(
            part
            for part in (
                f"prepared by {branding.prepared_by or 'nobody named'}",
                f"firm {branding.firm or 'none'}",
                f"marking {branding.confidentiality or 'none'}",
                ("logo removed" if not logo else "new logo") if changed_logo else "",
            )
            if part
        )
        _record(organization.pk, OrganizationEvent.Kind.BRANDING_CHANGED, by, detail)
    return branding


def _record(organization_id: int, kind: str, by: User, detail: str) -> None:
    OrganizationEvent.objects.create(
        organization_id=organization_id, kind=kind, user=by, detail=detail[:500]
    )


def _keep_an_owner(leaving: Membership) -> None:
    owners = Membership.objects.select_for_update().filter(
        organization_id=leaving.organization_id, role=Role.OWNER
    )
    if not owners.exclude(pk=leaving.pk).exists():
        raise LastOwner(LAST_OWNER)
