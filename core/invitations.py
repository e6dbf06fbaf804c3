"""Invitations with consent: an owner invites an address in a role, the person accepts from the
link in the e-mail (signed in with that address, or creating an account for it), and only then
joins. The writes live here, with the e-mail they send; `core/views/invitations.py` is the page.

The form says the same whether or not the address has an account; links are single-use,
expiring, revocable and resendable (a resend makes a new token, so the old link stops working).
"""

from __future__ import annotations

import hashlib
import secrets
import smtplib
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import BadHeaderError, send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from core.models import Invitation, Membership, Organization, OrganizationEvent, Role
from core.selectors import display_name

# Builds the absolute link of an invitation's token: the view knows the host.
LinkFor = Callable[[Invitation, str], str]

INVITATION_DAYS = 14
HOURLY_LIMIT = 50  # e-mails an organisation may send in an hour, resends included
SENDS_PER_INVITATION = 5  # the first and at most four resends: then invite again later
RESEND_AFTER = timedelta(minutes=1)

TOO_MANY = "This organisation has sent {limit} invitations in the last hour: try again later."
NOT_SENT = (
    "The invitation to {email} is saved, but the mail server refused it ({error}). Check the "
    "address, then use Send again below."
)
TOO_OFTEN = (
    "This invitation was sent {times} times already: revoke it, and invite the person again "
    "once you have checked the address with them."
)
JUST_SENT = "An invitation to {email} was sent a moment ago: it is in the list below."
TOO_SOON = "The invitation was sent less than a minute ago: give it a moment to arrive."
NOT_PENDING = "This invitation was accepted or revoked: invite the person again if needed."
ALREADY_MEMBER = "{email} already belongs to {organization}."
WRONG_ADDRESS = (
    "This invitation is for {email}. You are signed in as {who}: sign out, then sign in or "
    "create an account with {email}."
)
GONE = (
    "This invitation link is no longer valid: it expired, was revoked, was replaced by a newer "
    "one, or was used. Ask whoever invited you to send it again."
)


class InvitationRefused(Exception):
    """A write the invitation's state or the limits do not allow; the message says why."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_link(request: HttpRequest) -> LinkFor:
    """The absolute link of an invitation's token, on the host the owner's request came to."""

    def link(invitation: Invitation, token: str) -> str:
        return request.build_absolute_uri(reverse("invitation", args=[invitation.pk, token]))

    return link


def invitation_send(
    *, organization: Organization, email: str, role: str, by: User, link_for: LinkFor
) -> Invitation:
    """Invite `email` (a pending invitation to the same address is replaced by this one)."""
    email = email.strip()
    with transaction.atomic():
        _check_hourly_limit(organization)
        if Membership.objects.filter(organization=organization, user__email__iexact=email).exists():
            raise InvitationRefused(ALREADY_MEMBER.format(email=email, organization=organization))
        Invitation.objects.filter(
            organization=organization, email__iexact=email, accepted_at=None, revoked_at=None
        ).update(revoked_at=timezone.now())
        token = secrets.token_urlsafe(32)
        now = timezone.now()
        try:
            with transaction.atomic():
                invitation = _create(organization, email, role, token, now, by)
        except IntegrityError as clash:  # another owner invited the same address just now
            raise InvitationRefused(JUST_SENT.format(email=email)) from clash
        _record(invitation, OrganizationEvent.Kind.INVITATION_SENT, by)
    # After the commit, so that a slow mail server never holds the database.
    _mail(invitation, link_for(invitation, token))
    return invitation


def _create(
    organization: Organization, email: str, role: str, token: str, now: datetime, by: User
) -> Invitation:
    return Invitation.objects.create(
        organization=organization,
        email=email,
        role=Role(role),
        token_hash=token_hash(token),
        created_by=by,
        sent_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )


def invitation_resend(*, invitation: Invitation, by: User, link_for: LinkFor) -> None:
    """A new token and a new expiry, e-mailed again: the previous link stops working."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_pending:
            raise InvitationRefused(NOT_PENDING)
        if timezone.now() - locked.sent_at < RESEND_AFTER:
            raise InvitationRefused(TOO_SOON)
        resent = OrganizationEvent.objects.filter(
            organization_id=locked.organization_id,
            kind=OrganizationEvent.Kind.INVITATION_RESENT,
            detail=_detail(locked),
            at__gte=locked.created_at,
        ).count()
        if resent + 1 >= SENDS_PER_INVITATION:
            raise InvitationRefused(TOO_OFTEN.format(times=SENDS_PER_INVITATION))
        _check_hourly_limit(locked.organization)
        token = secrets.token_urlsafe(32)
        locked.token_hash = token_hash(token)
        locked.sent_at = timezone.now()
        locked.expires_at = locked.sent_at + timedelta(days=INVITATION_DAYS)
        locked.save(update_fields=["token_hash", "sent_at", "expires_at"])
        _record(locked, OrganizationEvent.Kind.INVITATION_RESENT, by)
    _mail(locked, link_for(locked, token))


def invitation_revoke(*, invitation: Invitation, by: User) -> None:
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_pending:
            return
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        _record(locked, OrganizationEvent.Kind.INVITATION_REVOKED, by)


def invitation_accept(*, invitation: Invitation, by: User) -> Membership:
    """The invited person joins. Single use: a second accept finds it accepted."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_pending or locked.expires_at <= timezone.now():
            raise InvitationRefused(GONE)
        if not owns_address(by, locked.email):
            raise InvitationRefused(
                WRONG_ADDRESS.format(email=locked.email, who=by.email or by.get_username())
            )
        membership, _ = Membership.objects.get_or_create(
            organization=locked.organization, user=by, defaults={"role": locked.role}
        )
        locked.accepted_at, locked.accepted_by = timezone.now(), by
        locked.save(update_fields=["accepted_at", "accepted_by"])
        _record(locked, OrganizationEvent.Kind.INVITATION_ACCEPTED, by)
    return membership


def owns_address(user: User, email: str) -> bool:
    """Whether `user` holds `email`: their account's address, or one they confirmed."""
    from allauth.account.models import EmailAddress

    if user.email and user.email.casefold() == email.casefold():
        return True
    return bool(EmailAddress.objects.filter(user=user, email__iexact=email, verified=True).exists())


def live_invitation(invitation_id: int, token: str) -> Invitation | None:
    """The pending, unexpired invitation this link names, or None."""
    return (
        Invitation.objects.select_related("organization", "created_by")
        .filter(
            Q(pk=invitation_id),
            token_hash=token_hash(token[:200]),
            accepted_at=None,
            revoked_at=None,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


def _check_hourly_limit(organization: Organization) -> None:
    since = timezone.now() - timedelta(hours=1)
    if (
        Invitation.objects.filter(organization=organization, sent_at__gte=since).count()
        >= HOURLY_LIMIT
    ):
        raise InvitationRefused(TOO_MANY.format(limit=HOURLY_LIMIT))


def _mail(invitation: Invitation, link: str) -> None:
    """Send it; a mail server that fails is said plainly, the invitation kept to send again."""
    context = {
        "invitation": invitation,
        "link": link,
        "inviter": display_name(invitation.created_by),
        "days": INVITATION_DAYS,
    }
    # One line whatever the names hold: a line break in a header is refused by Django.
    subject = " ".join(
        f"{context['inviter']} invites you to {invitation.organization.name}".split()
    )
    try:
        send_mail(
            subject=subject,
            message=render_to_string("core/email/invitation.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[invitation.email],
        )
    except (smtplib.SMTPException, OSError, BadHeaderError) as error:
        raise InvitationRefused(NOT_SENT.format(email=invitation.email, error=error)) from error


def _record(invitation: Invitation, kind: str, by: User) -> None:
    OrganizationEvent.objects.create(
        organization_id=invitation.organization_id, kind=kind, user=by, detail=_detail(invitation)
    )


def _detail(invitation: Invitation) -> str:
    return f"{invitation.email} as {invitation.get_role_display().lower()}"[:500]
