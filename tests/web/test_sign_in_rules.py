"""An organisation's sign-in rules, set by its owners: two-factor sign-in required of every
member (with a real TOTP code), and single sign-on required for its e-mail domain."""

from __future__ import annotations

import time

import pytest
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client

from core.models import OrganizationEvent, Role
from tests.factories import PASSWORD, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

SSO = {
    "openid_connect": {
        "APPS": [
            {
                "provider_id": "sso",
                "name": "Acme single sign-on",
                "client_id": "maturity",
                "secret": "secret",
                "settings": {"server_url": "https://login.acme.example"},
            }
        ]
    }
}


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
    alice_client, acme_team, mo, settings
):
    settings.SOCIALACCOUNT_PROVIDERS = SSO
    alice_client.post("/orgs/acme/settings/", {"name": "Acme", "sso_domain": "@Acme.example"})
    client = Client()

    for login in ("mo", "mo@acme.example", "MO@ACME.EXAMPLE"):
        refused = client.post("/login/", {"login": login, "password": PASSWORD})
        assert refused.status_code == 200
        assert "People at acme.example sign in with single sign-on" in refused.content.decode()
    assert client.get("/").status_code == 302  # still signed out
    # Others still use their password.
    assert client.post("/login/", {"login": "alice", "password": PASSWORD}).status_code == 302


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
