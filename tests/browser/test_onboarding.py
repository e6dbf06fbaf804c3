"""From nothing to a submitted team assessment without an administrator, in a real browser and
through a real SMTP server: a person signs up and confirms their address from the e-mail,
creates an organisation and a team, invites a colleague who accepts from their e-mail and
creates their account, both answer as a team, and the lead submits. And single sign-on through
a real OpenID Connect provider started by the test."""

from __future__ import annotations

import copy
import re
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth.models import User

from assessment.models import Assessment
from assessment.services.answers import AnswerData, final_answers_save
from core.env import oidc_provider
from core.models import Membership, Role
from tests.browser.conftest import log_in, serious_violations

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SECRET = "a long and unusual passphrase"


def sign_up(page: Page, email: str, username: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Username").fill(username)
    page.locator("#id_password1").fill(SECRET)
    page.locator("#id_password2").fill(SECRET)
    page.get_by_role("button", name=re.compile("Sign Up", re.IGNORECASE)).click()


def answer_design(page: Page, assessment: Assessment, value: str) -> None:
    page.goto(f"/assessments/{assessment.pk}/phases/design/")
    for code in ("DES-0-01", "DES-0-02"):
        page.locator(f"input[name='{code}-value'][value='{value}']").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()


def test_from_sign_up_to_a_submitted_team_assessment(
    page, browser, live_server, axe, mlops_bank, smtp_inbox, settings
):
    settings.SIGNUP_OPEN = True

    # Lena signs up and confirms her address from the e-mail.
    page.goto("/accounts/signup/")
    assert serious_violations(axe, page) == []
    sign_up(page, "lena@lab.example", "lena")
    confirm = smtp_inbox.last_link_to("lena@lab.example", "/accounts/confirm-email/")
    page.goto(confirm)
    page.get_by_role("button", name=re.compile("Confirm", re.IGNORECASE)).click()
    log_in(page, "lena", SECRET)

    # She creates her organisation and its first team.
    page.get_by_role("link", name="Create an organisation").click()
    page.get_by_label("Organisation's name").fill("Lena's Lab")
    page.get_by_role("button", name="Create").click()
    page.get_by_role("link", name="Add the first team").click()
    page.get_by_label("Team's name").fill("Vision")
    page.get_by_role("button", name="Create the team").click()
    page.wait_for_url(re.compile(r"/teams/\d+/$"))
    assert serious_violations(axe, page) == []

    # She invites Omar, who accepts from his e-mail and creates his account there.
    page.goto("/orgs/lenas-lab/members/")
    page.get_by_label("E-mail address").fill("omar@lab.example")
    page.get_by_role("button", name="Send the invitation").click()
    assert "Invitation sent to omar@lab.example" in page.content()
    invitation = smtp_inbox.last_link_to("omar@lab.example", "/invitations/")
    omar = browser.new_context(base_url=live_server.url).new_page()
    omar.goto(invitation)
    omar.get_by_role("link", name="Create an account with omar@lab.example").click()
    assert omar.get_by_label("Email").input_value() == "omar@lab.example"
    omar.get_by_label("Username").fill("omar")
    omar.locator("#id_password1").fill(SECRET)
    omar.locator("#id_password2").fill(SECRET)
    omar.get_by_role("button", name=re.compile("Sign Up", re.IGNORECASE)).click()
    omar.get_by_role("button", name="Join Lena's Lab").click()
    omar.wait_for_url(re.compile(r"/orgs/lenas-lab/$"))
    assert Membership.objects.get(user__username="omar").role == Role.MEMBER

    # Lena starts the assessment and invites Omar to answer it with her.
    page.goto("/")
    page.get_by_role("link", name="Vision").click()
    page.get_by_role("link", name="Start an assessment").click()
    page.get_by_label("Label").fill("2026 Q4")
    page.get_by_role("button", name="Start").click()
    page.wait_for_url(re.compile(r"/team/$"))
    assessment = Assessment.objects.get(team__name="Vision")
    page.goto(f"/assessments/{assessment.pk}/respondents/")
    page.get_by_label("Team member").select_option(label="omar")
    page.get_by_label("Answers as").select_option(label="ML engineer")
    with page.expect_navigation():
        page.get_by_role("button", name="Invite").click()

    # Both answer; the lead settles the rest and submits.
    answer_design(page, assessment, "1")
    answer_design(omar, assessment, "0.5")
    lena = User.objects.get(username="lena")
    final_answers_save(
        assessment=assessment,
        changes={q.code: AnswerData(value="0.5") for q in mlops_bank.bank().questions},
        by=lena,
    )
    page.goto(f"/assessments/{assessment.pk}/review/")
    page.get_by_role("link", name="Submit the assessment…").click()
    page.get_by_role("button", name="Submit and freeze the answers").click()
    page.wait_for_url(re.compile(r"/result/$"))
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    assert set(assessment.respondents.values_list("user__username", flat=True)) == {
        "lena",
        "omar",
    }


def test_signing_in_through_an_openid_connect_provider(page, settings):
    from oidc_provider_mock import User as ProviderUser
    from oidc_provider_mock import run_server_in_thread

    from core.models import Organization

    # Sign-up is by invitation; Acme signs its domain in through single sign-on, so the
    # provider's word is enough to create the account.
    settings.SIGNUP_OPEN = False
    Organization.objects.create(name="Acme", slug="acme", sso_domain="acme.example")
    nina = ProviderUser(sub="nina", claims={"email": "nina@acme.example", "email_verified": True})
    eve = ProviderUser(sub="eve", claims={"email": "eve@elsewhere.example", "email_verified": True})
    with run_server_in_thread(user_claims=[nina, eve]) as server:
        issuer = f"http://localhost:{server.server_port}"
        # As OIDC_ISSUER would configure it (core/settings.py).
        policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
        policy["DIRECTIVES"]["form-action"].append(issuer)
        settings.CONTENT_SECURITY_POLICY = policy
        settings.SOCIALACCOUNT_PROVIDERS = oidc_provider(
            issuer=issuer, client_id="maturity", secret="secret", name="Acme single sign-on"
        )
        # Someone the provider knows, at a domain no organisation claims: no account.
        page.goto("/login/")
        page.get_by_role("button", name="Sign in with Acme single sign-on").click()
        page.get_by_role("button", name="eve").click()  # the provider's own page
        page.wait_for_load_state()
        assert not User.objects.filter(email="eve@elsewhere.example").exists()
        assert "closed" in page.content().lower()

        page.context.clear_cookies()
        page.goto("/login/")
        page.get_by_role("button", name="Sign in with Acme single sign-on").click()
        page.get_by_role("button", name="nina").click()
        page.wait_for_url(re.compile(r"/$"))

    assert "You do not belong to any organisation yet." in page.content()
    from allauth.socialaccount.models import SocialAccount

    account = SocialAccount.objects.get(uid="nina")
    assert (account.provider, account.user.email) == ("sso", "nina@acme.example")
