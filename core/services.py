"""Writes to organisations and memberships."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from core.models import Membership, Organization, Role

LAST_OWNER = "An organisation needs at least one owner: make someone else owner first."


class LastOwner(Exception):
    pass


def membership_add(
    *, organization: Organization, user: AbstractBaseUser, role: str, by: AbstractBaseUser
) -> Membership:
    return Membership.objects.create(organization=organization, user=user, role=role)


def membership_set_role(*, membership: Membership, role: str, by: AbstractBaseUser) -> None:
    with transaction.atomic():
        if membership.role == Role.OWNER and role != Role.OWNER:
            _keep_an_owner(membership)
        membership.role = role
        membership.save(update_fields=["role"])


def membership_remove(*, membership: Membership, by: AbstractBaseUser) -> None:
    with transaction.atomic():
        if membership.role == Role.OWNER:
            _keep_an_owner(membership)
        membership.delete()


def _keep_an_owner(leaving: Membership) -> None:
    owners = Membership.objects.select_for_update().filter(
        organization_id=leaving.organization_id, role=Role.OWNER
    )
    if not owners.exclude(pk=leaving.pk).exists():
        raise LastOwner(LAST_OWNER)
