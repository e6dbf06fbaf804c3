"""An organisation's sign-in rules, set by its owners: two-factor sign-in required of every
member (with a real TOTP code), and single sign-on required for its e-mail domain."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client

from core.env import oidc_provider
from core.models import Organization, OrganizationEvent, Role
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SSO = oidc_provider(
    issuer="https://login.acme.example",
    client_id="maturity",
    secret="secret",
    name="Acme single sign-on",
)


def code_for(secret: str) -> str:
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30)))


@pytest.fixture
def mo(acme_team):
    user = UserFactory.create(username="mo", email="mo@acme.example")
    MembershipFactory.create(user=user, organization=acme_team.organization, role=Role.MEMBER)
    return user


def test_a_required_second_factor_is_set_up_before_anything_else(alice_client, acme_team, mo):
    saved = alice_client.post(
        "/orgs/acme/settings/", {"name": "Acme", "require_mfa": "on", "sso_domain": ""}
    )
    assert saved.status_code == 302
    assert OrganizationEvent.objects.get().detail == (
        "name Acme; two-factor required; single sign-on for nobody"
    )

    client = Client()
    assert client.post("/login/", {"login": "mo", "password": PASSWORD}).status_code == 302
    blocked = client.get(f"/teams/{acme_team.pk}/")
    assert blocked.status_code == 302
    assert blocked["Location"] == "/accounts/2fa/totp/activate/"

    # allauth asks for the password again before a second factor is added.
    assert client.get("/accounts/2fa/totp/activate/")["Location"].startswith(
        "/accounts/reauthenticate/"
    )
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    client.get("/accounts/2fa/totp/activate/")  # draws the secret, kept in the session
    secret = client.session[SECRET_SESSION_KEY]
    activated = client.post("/accounts/2fa/totp/activate/", {"code": code_for(secret)})
    assert activated.status_code == 302
    assert client.get(f"/teams/{acme_team.pk}/").status_code == 200

    # From now on the code is asked at every sign-in.
    again = Client()
    step = again.post("/login/", {"login": "mo", "password": PASSWORD})
    assert step["Location"] == "/accounts/2fa/authenticate/"
    assert again.get("/").status_code == 302  # not signed in yet
    done = again.post("/accounts/2fa/authenticate/", {"code": code_for(secret)})
    assert done.status_code == 302
    assert again.get("/").status_code == 200


def test_without_the_rule_members_go_on_without_a_second_factor(acme_team, mo):
    client = Client()
    client.post("/login/", {"login": "mo", "password": PASSWORD})
    assert client.get(f"/teams/{acme_team.pk}/").status_code == 200


def test_a_domain_signed_in_through_single_sign_on_refuses_passwords(
    alice, alice_client, acme_team, mo, settings
):
    from allauth.account.models import EmailAddress

    settings.SOCIALACCOUNT_PROVIDERS = SSO
    alice.email = "alice@acme.example"  # the owner proves the domain with her own address
    alice.save()
    saved = alice_client.post(
        "/orgs/acme/settings/", {"name": "Acme", "sso_domain": "@Acme.example"}
    )
    assert saved.status_code == 302
    # A second, private address does not get round it.
    EmailAddress.objects.create(user=mo, email="mo@home.example", verified=True)
    client = Client()

    for login in ("mo", "mo@acme.example", "MO@ACME.EXAMPLE", "mo@home.example"):
        refused = client.post("/login/", {"login": login, "password": PASSWORD})
        assert refused.status_code == 200
        assert "People at acme.example sign in with single sign-on" in refused.content.decode()
    assert client.get("/").status_code == 302  # still signed out
    # A wrong password says nothing about the rule: no name is confirmed to a stranger.
    wrong = client.post("/login/", {"login": "mo", "password": "wrong"}).content.decode()
    assert "sign in with single sign-on, not a password" not in wrong
    # Someone at the domain who is not a member of Acme keeps their password.
    UserFactory.create(username="zoe", email="zoe@acme.example")
    assert client.post("/login/", {"login": "zoe", "password": PASSWORD}).status_code == 302


def test_nobody_claims_a_domain_without_an_address_there(client, acme_team, settings):
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    bob = UserFactory.create(username="bob2", email="bob@globex.example")
    client.force_login(bob)
    client.post("/orgs/new/", {"name": "Takeover"})
    response = client.post(
        "/orgs/takeover/settings/", {"name": "Takeover", "sso_domain": "acme.example"}
    )
    assert "Claim acme.example with an address of yours there" in response.content.decode()
    assert Organization.objects.get(slug="takeover").sso_domain == ""


def test_the_admin_signs_in_through_the_sign_in_page(client):
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_single_sign_on_for_a_domain_needs_it_configured_and_unique(
    alice_client, acme_team, settings
):
    settings.SOCIALACCOUNT_PROVIDERS = {}
    response = alice_client.post(
        "/orgs/acme/settings/", {"name": "Acme", "sso_domain": "acme.example"}
    )
    assert "Single sign-on is not configured on this instance" in response.content.decode()
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    response = alice_client.post(
        "/orgs/acme/settings/", {"name": "Acme", "sso_domain": "not a domain"}
    )
    assert "is not a domain name" in response.content.decode()
    acme_team.organization.refresh_from_db()
    assert acme_team.organization.sso_domain == ""


def test_only_owners_change_the_rules(client, acme_team, mo):
    client.force_login(mo)
    assert (
        client.post("/orgs/acme/settings/", {"name": "Mine", "require_mfa": "on"}).status_code
        == 403
    )
    acme_team.organization.refresh_from_db()
    assert (acme_team.organization.name, acme_team.organization.require_mfa) == ("Acme", False)


def test_a_second_factor_cannot_be_removed_while_an_organisation_requires_it(acme_team, mo):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(mo, generate_totp_secret())
    organization = acme_team.organization
    organization.require_mfa = True
    organization.save()
    client = Client()
    client.force_login(mo)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})

    client.post("/accounts/2fa/totp/deactivate/", {})

    assert Authenticator.objects.filter(user=mo, type=Authenticator.Type.TOTP).exists()


def test_an_archived_team_takes_no_import(alice_client, acme_team):
    from django.utils import timezone

    acme_team.archived_at = timezone.now()
    acme_team.save()
    response = alice_client.get(f"/teams/{acme_team.pk}/assessments/import/")
    assert response["Location"] == f"/teams/{acme_team.pk}/"
