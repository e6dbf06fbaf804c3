"""What cannot be undone is asked on a page of its own, with the same access rules as the
action: submit, reopen, remove a member, remove a respondent."""

from __future__ import annotations

import pytest

from assessment.models import Assessment
from core.models import Membership, Role
from tests.factories import MembershipFactory, UserFactory
from tests.web.helpers import answer_everything_via_services

pytestmark = pytest.mark.django_db


def test_submitting_asks_first_and_says_what_it_freezes(alice_client, alice, draft):
    answer_everything_via_services(alice, draft, "1")

    page = alice_client.get(f"/assessments/{draft.pk}/submit/")

    body = page.content.decode()
    assert page.status_code == 200
    assert "Submit \u201c2026 Q4\u201d?" in body
    assert "Submitting freezes every answer" in body
    assert f'action="/assessments/{draft.pk}/submit/"' in body
    assert "Submit and freeze the answers</button>" in body
    draft.refresh_from_db()
    assert draft.status == "draft"  # asking changes nothing


def test_an_incomplete_assessment_cannot_be_confirmed(alice_client, draft):
    body = alice_client.get(f"/assessments/{draft.pk}/submit/").content.decode()

    assert "74 questions still need an answer" in body
    assert "Submit and freeze the answers" not in body
    review = alice_client.get(f"/assessments/{draft.pk}/review/").content.decode()
    assert "Submit the assessment" not in review


def test_reopening_asks_first_with_a_reason_field(alice_client, alice, draft):
    answer_everything_via_services(alice, draft, "1")
    alice_client.post(f"/assessments/{draft.pk}/submit/")

    body = alice_client.get(f"/assessments/{draft.pk}/reopen/").content.decode()

    assert "Reopen \u201c2026 Q4\u201d for changes?" in body
    assert 'name="reason"' in body
    assert Assessment.objects.get(pk=draft.pk).status == "submitted"


def test_removing_a_member_asks_first(alice_client, acme_team):
    organization = acme_team.organization
    member = MembershipFactory.create(
        user=UserFactory.create(username="sam"), organization=organization
    )

    page = alice_client.get(f"/orgs/{organization.slug}/members/{member.pk}/")
    body = page.content.decode()

    assert f"Remove sam from {organization.name}?" in body
    assert '<input type="hidden" name="remove" value="1">' in body
    assert Membership.objects.filter(pk=member.pk).exists()
    alice_client.post(f"/orgs/{organization.slug}/members/{member.pk}/", {"remove": "1"})
    assert not Membership.objects.filter(pk=member.pk).exists()


def test_the_confirmation_pages_keep_the_access_rules(client, alice, draft, bob):
    viewer = UserFactory.create(username="vic")
    MembershipFactory.create(user=viewer, organization=draft.team.organization, role=Role.VIEWER)
    client.force_login(viewer)
    assert client.get(f"/assessments/{draft.pk}/submit/").status_code == 403
    client.force_login(bob)
    assert client.get(f"/assessments/{draft.pk}/submit/").status_code == 404
    assert client.get(f"/assessments/{draft.pk}/reopen/").status_code == 404
