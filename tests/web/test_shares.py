"""Read-only links to one report for people without an account: made by owners and consultants,
shown once, expiring, revocable, tied to their report, and every use logged."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from assessment.models import ReportShare, ReportShareUse
from core.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.web.helpers import answer_everything_via_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(alice_client, alice, draft):
    answer_everything_via_services(alice, draft, "1")
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    draft.refresh_from_db()
    return draft


def make_link(alice_client, assessment, days: int = 30) -> str:
    response = alice_client.post(
        f"/assessments/{assessment.pk}/shares/", {"days": days, "note": "Acme CTO"}
    )
    assert response.status_code == 200
    match = re.search(r'value="(http://testserver/share/\d+/[^/"]+/)"', response.content.decode())
    assert match is not None
    return match.group(1).removeprefix("http://testserver")


def test_a_link_opens_the_report_and_its_pdf_without_an_account(alice_client, submitted):
    link = make_link(alice_client, submitted)
    stranger = Client()

    page = stranger.get(link)
    pdf = stranger.get(f"{link}report.pdf")

    assert page.status_code == 200
    body = page.content.decode()
    assert "shared read-only, until" in body
    assert 'id="summary"' in body
    assert "Log out" not in body
    assert page["Cache-Control"] == "private, no-store"
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    assert page["Referrer-Policy"] == "no-referrer"
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    # Every use is logged: the page, then the PDF.
    share = ReportShare.objects.get()
    assert [use.kind for use in share.uses.order_by("at", "pk")] == ["page", "pdf"]
    # Only a fingerprint of the token is stored: the link's token appears nowhere in the database.
    token = link.rstrip("/").rsplit("/", 1)[1]
    assert share.token_hash != token
    assert len(share.token_hash) == 64


def test_an_expired_link_opens_nothing(alice_client, submitted):
    link = make_link(alice_client, submitted, days=1)
    ReportShare.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = Client().get(link)

    assert response.status_code == 404
    assert ReportShareUse.objects.count() == 0


def test_a_revoked_link_opens_nothing_and_the_owner_sees_it_revoked(alice_client, submitted):
    link = make_link(alice_client, submitted)
    share = ReportShare.objects.get()
    assert Client().get(link).status_code == 200

    alice_client.post(f"/assessments/{submitted.pk}/shares/{share.pk}/revoke/")

    assert Client().get(link).status_code == 404
    assert Client().get(f"{link}report.pdf").status_code == 404
    listing = alice_client.get(f"/assessments/{submitted.pk}/shares/").content.decode()
    assert "Revoked" in listing
    assert "1 time" in listing  # the one use before the revocation


def test_a_link_opens_its_own_report_only(alice_client, submitted, globex_team, bob):
    link = make_link(alice_client, submitted)
    token = link.rstrip("/").rsplit("/", 1)[1]
    other = submitted.pk + 1000

    assert Client().get(f"/share/{other}/{token}/").status_code == 404
    assert Client().get(f"/share/{submitted.pk}/not-the-token/").status_code == 404
    assert Client().get(f"/share/{submitted.pk}/{'x' * 500}/").status_code == 404
    assert ReportShareUse.objects.count() == 0


def test_only_owners_and_consultants_share_and_other_organisations_see_nothing(
    client, submitted, bob
):
    member = UserFactory.create(username="mo")
    MembershipFactory.create(
        user=member, organization=submitted.team.organization, role=Role.MEMBER
    )
    client.force_login(member)
    assert client.get(f"/assessments/{submitted.pk}/shares/").status_code == 403
    assert client.post(f"/assessments/{submitted.pk}/shares/", {"days": 5}).status_code == 403
    client.force_login(bob)
    assert client.get(f"/assessments/{submitted.pk}/shares/").status_code == 404
    assert ReportShare.objects.count() == 0


def test_a_link_lasts_at_most_90_days(alice_client, submitted):
    response = alice_client.post(f"/assessments/{submitted.pk}/shares/", {"days": 365})

    assert response.context["form"].errors["days"] == [
        "Ensure this value is less than or equal to 90."
    ]
    assert ReportShare.objects.count() == 0
