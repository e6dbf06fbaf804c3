"""Invitations with consent, through a real SMTP server: nobody joins until they accept from the
link, signed in with the invited address; links are single-use, expiring, revocable and
resendable; the form says the same whether or not an account exists."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from core.invitations import HOURLY_LIMIT
from core.models import Invitation, Membership, OrganizationEvent, Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def invite(client: Client, email: str, role: str = "member") -> str:
    response = client.post("/orgs/acme/members/", {"email": email, "role": role}, follow=True)
    return response.content.decode()


def path_of(link: str) -> str:
    return link.removeprefix("http://testserver")


def test_a_newcomer_accepts_by_creating_their_account_from_the_link(
    alice_client, acme_team, smtp_inbox
):
    page = invite(alice_client, "nina@example.org", "consultant")
    assert "Invitation sent to nina@example.org." in page
    assert not Membership.objects.filter(user__email="nina@example.org").exists()

    message = smtp_inbox.to("nina@example.org")[-1]
    assert message["Subject"] == "alice invites you to Acme"
    link = path_of(smtp_inbox.last_link_to("nina@example.org", "/invitations/"))

    nina = Client()
    landing = nina.get(link).content.decode()
    assert "Create an account with nina@example.org" in landing
    signup = nina.post(
        f"/accounts/signup/?next={link}",
        {
            "email": "nina@example.org",
            "username": "nina",
            "password1": "a long and unusual passphrase",
            "password2": "a long and unusual passphrase",
        },
    )
    # The link proved the address: no second confirmation e-mail, straight back to accept.
    assert signup.status_code == 302
    assert signup["Location"] == link
    assert len(smtp_inbox.to("nina@example.org")) == 1
    assert "Join Acme" in nina.get(link).content.decode()
    assert not Membership.objects.filter(user__username="nina").exists()  # not before consent

    joined = nina.post(link)

    assert joined["Location"] == "/orgs/acme/"
    membership = Membership.objects.get(user__username="nina")
    assert membership.role == Role.CONSULTANT
    # Single use: the same link again is refused, to her as to anyone.
    assert nina.get(link).status_code == 404
    assert Client().get(link).status_code == 404
    kinds = list(OrganizationEvent.objects.values_list("kind", flat=True))
    assert kinds == ["invitation_sent", "invitation_accepted"]


def test_an_existing_account_joins_only_when_it_accepts(alice_client, acme_team, smtp_inbox):
    carol = UserFactory.create(username="carol", email="carol@client.example")
    invite(alice_client, "Carol@Client.example")
    assert not Membership.objects.filter(user=carol).exists()

    link = path_of(smtp_inbox.last_link_to("Carol@Client.example", "/invitations/"))
    client = Client()
    client.force_login(carol)
    client.post(link)

    assert Membership.objects.get(user=carol).role == Role.MEMBER


def test_the_form_says_the_same_whether_or_not_an_account_exists(
    alice_client, acme_team, smtp_inbox
):
    UserFactory.create(username="carol", email="carol@client.example")
    known = invite(alice_client, "carol@client.example")
    unknown = invite(alice_client, "nobody@client.example")
    assert "Invitation sent to carol@client.example. They join when they accept" in known
    assert "Invitation sent to nobody@client.example. They join when they accept" in unknown
    assert len(smtp_inbox.messages) == 2


def test_another_address_cannot_use_the_link(alice_client, acme_team, smtp_inbox):
    invite(alice_client, "nina@example.org")
    link = path_of(smtp_inbox.last_link_to("nina@example.org", "/invitations/"))
    mallory = UserFactory.create(username="mallory", email="mallory@example.org")
    client = Client()
    client.force_login(mallory)

    page = client.get(link).content.decode()
    client.post(link)

    assert "This invitation is for nina@example.org" in page
    assert not Membership.objects.filter(user=mallory).exists()
    assert Invitation.objects.get().accepted_at is None


def test_a_revoked_or_expired_or_replaced_link_stops_working(alice_client, acme_team, smtp_inbox):
    invite(alice_client, "nina@example.org")
    invitation = Invitation.objects.get()
    first = path_of(smtp_inbox.last_link_to("nina@example.org", "/invitations/"))
    assert Client().get(first).status_code == 200

    # Sent again (a minute later): a new link; the first one no longer opens.
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=timezone.now() - timedelta(minutes=2)
    )
    alice_client.post(f"/orgs/acme/invitations/{invitation.pk}/resend/")
    second = path_of(smtp_inbox.last_link_to("nina@example.org", "/invitations/"))
    assert second != first
    assert Client().get(first).status_code == 404
    assert Client().get(second).status_code == 200

    # Expired.
    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now())
    assert Client().get(second).status_code == 404
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() + timedelta(days=1)
    )

    # Revoked.
    alice_client.post(f"/orgs/acme/invitations/{invitation.pk}/revoke/")
    gone = Client().get(second)
    assert gone.status_code == 404
    assert "This invitation link is no longer valid" in gone.content.decode()
    assert gone["Cache-Control"] == "private, no-store"


def test_a_resend_within_the_minute_is_refused(alice_client, acme_team, smtp_inbox):
    invite(alice_client, "nina@example.org")
    invitation = Invitation.objects.get()
    page = alice_client.post(
        f"/orgs/acme/invitations/{invitation.pk}/resend/", follow=True
    ).content.decode()
    assert "sent less than a minute ago" in page
    assert len(smtp_inbox.messages) == 1


def test_an_organisation_cannot_flood_addresses(alice_client, acme_team, smtp_inbox, settings):
    now = timezone.now()
    Invitation.objects.bulk_create(
        Invitation(
            organization=acme_team.organization,
            email=f"person{n}@example.org",
            role=Role.MEMBER,
            token_hash=f"{n:064d}",
            created_by=acme_team.organization.memberships.get().user,
            sent_at=now,
            expires_at=now + timedelta(days=14),
        )
        for n in range(HOURLY_LIMIT)
    )
    page = invite(alice_client, "one-more@example.org")
    assert f"This organisation has sent {HOURLY_LIMIT} invitations in the last hour" in page
    assert smtp_inbox.messages == []


def test_a_mail_server_that_fails_is_said_and_the_invitation_kept(
    alice_client, acme_team, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    page = invite(alice_client, "nina@example.org")
    assert "The invitation to nina@example.org is saved, but the mail server refused it" in page
    assert Invitation.objects.get().is_pending


def test_viewers_and_members_do_not_invite(client, acme_team, smtp_inbox):
    member = UserFactory.create(username="mo")
    MembershipFactory.create(user=member, organization=acme_team.organization, role=Role.MEMBER)
    client.force_login(member)
    response = client.post("/orgs/acme/members/", {"email": "x@example.org", "role": "owner"})
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_sign_up_is_by_invitation_unless_opened(client, settings):
    settings.SIGNUP_OPEN = False
    closed = client.get("/accounts/signup/").content.decode()
    assert "Sign Up Closed" in closed or "closed" in closed.lower()
    assert "by invitation" in client.get("/login/").content.decode()
    settings.SIGNUP_OPEN = True
    assert 'name="email"' in client.get("/accounts/signup/").content.decode()


def test_a_forgotten_password_is_reset_from_the_e_mailed_link(smtp_inbox):
    from allauth.account.models import EmailAddress

    user = UserFactory.create(username="pia", email="pia@example.org")
    EmailAddress.objects.create(user=user, email="pia@example.org", verified=True, primary=True)
    client = Client()
    client.post("/accounts/password/reset/", {"email": "pia@example.org"})
    link = path_of(smtp_inbox.last_link_to("pia@example.org", "/accounts/password/reset/key/"))

    form = client.get(link, follow=True)
    client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {"password1": "a brand new passphrase", "password2": "a brand new passphrase"},
    )

    signed_in = Client().post("/login/", {"login": "pia", "password": "a brand new passphrase"})
    assert signed_in.status_code == 302
    assert signed_in["Location"] == "/"
    # The same answer for an address nobody has: no account is revealed.
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert unknown.status_code == 302


def test_a_revoked_invitation_no_longer_opens_sign_up_in_the_same_browser(
    alice_client, acme_team, smtp_inbox, settings
):
    settings.SIGNUP_OPEN = False
    invite(alice_client, "nina@example.org")
    link = path_of(smtp_inbox.last_link_to("nina@example.org", "/invitations/"))
    nina = Client()
    nina.get(link)  # the browser now holds the invitation
    assert 'name="email"' in nina.get("/accounts/signup/").content.decode()

    alice_client.post(f"/orgs/acme/invitations/{Invitation.objects.get().pk}/revoke/")

    closed = nina.post(
        "/accounts/signup/",
        {
            "email": "nina@example.org",
            "username": "nina",
            "password1": "x" * 20,
            "password2": "x" * 20,
        },
    )
    assert not User.objects.filter(username="nina").exists()
    assert closed.status_code in (200, 302)


def test_resends_count_towards_the_limits(alice_client, acme_team, smtp_inbox):
    invite(alice_client, "nina@example.org")
    invitation = Invitation.objects.get()
    pending = Invitation.objects.filter(pk=invitation.pk)
    for _ in range(6):
        pending.update(sent_at=timezone.now() - timedelta(minutes=2))
        alice_client.post(f"/orgs/acme/invitations/{invitation.pk}/resend/")
    # The first e-mail and four resends; then the owner must revoke and invite again.
    assert len(smtp_inbox.to("nina@example.org")) == 5


def test_a_name_with_a_line_break_is_refused_before_it_reaches_an_e_mail(alice_client, acme_team):
    response = alice_client.post("/orgs/new/", {"name": "Evil\r\nBcc: everyone@example.org"})
    assert "Use letters, digits and punctuation only, on one line." in response.content.decode()
    response = alice_client.post("/orgs/acme/teams/new/", {"name": "Bad\nteam"})
    assert "on one line" in response.content.decode()


def test_one_live_invitation_per_address_even_when_two_owners_race(alice, acme_team):
    from django.db import IntegrityError, transaction

    now = timezone.now()
    fields = {
        "organization": acme_team.organization,
        "role": Role.MEMBER,
        "created_by": alice,
        "sent_at": now,
        "expires_at": now + timedelta(days=14),
    }
    Invitation.objects.create(email="nina@example.org", token_hash="1" * 64, **fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Invitation.objects.create(email="NINA@example.org", token_hash="2" * 64, **fields)
    # Once revoked, the address may be invited again.
    Invitation.objects.update(revoked_at=now)
    Invitation.objects.create(email="nina@example.org", token_hash="3" * 64, **fields)
