"""The audit trail: every service that takes `by` records who did what, and an organisation's
owners read it all on its activity page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessment.models import AssessmentEvent
from assessment.selectors.activity import organization_activity
from assessment.services.assessments import assessment_set_composition, assessment_set_naming
from assessment.services.respondents import respondent_add, respondent_remove
from core.models import OrganizationEvent, Role
from core.services import membership_add, membership_remove, membership_set_role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def kinds_and_details(assessment) -> list[tuple[str, str, str]]:
    return [
        (event.kind, event.user.username, event.detail)
        for event in AssessmentEvent.objects.filter(assessment=assessment).select_related("user")
    ]


def test_team_answering_changes_are_recorded_with_who_made_them(draft, alice):
    carol = UserFactory.create(username="carol", first_name="Carol", last_name="Reyes")
    MembershipFactory.create(user=carol, organization=draft.team.organization, role=Role.MEMBER)

    respondent = respondent_add(
        assessment=draft, user=carol, role="data_scientist", phases=[], by=alice
    )
    assessment_set_naming(assessment=draft, name_respondents=True, by=alice)
    respondent_remove(respondent=respondent, by=alice)

    assert kinds_and_details(draft)[-3:] == [
        ("respondent_added", "alice", "Carol Reyes"),
        ("naming_chosen", "alice", "named"),
        ("respondent_removed", "alice", "Carol Reyes"),
    ]


def test_a_changed_composition_is_recorded_and_an_unchanged_one_is_not(draft, alice):
    before = len(kinds_and_details(draft))
    same = dict(draft.composition)
    assessment_set_composition(assessment=draft, composition=same, by=alice)
    assert len(kinds_and_details(draft)) == before

    changed = same | {"ml_engineer": "absent"}
    assessment_set_composition(assessment=draft, composition=changed, by=alice)
    assert kinds_and_details(draft)[-1] == ("composition_changed", "alice", "")


def test_membership_changes_are_recorded_in_the_organisation_log(acme_team, alice):
    organization = acme_team.organization
    carol = UserFactory.create(username="carol")

    added = membership_add(organization=organization, user=carol, role=Role.MEMBER, by=alice)
    membership_set_role(membership=added, role=Role.VIEWER, by=alice)
    membership_set_role(membership=added, role=Role.VIEWER, by=alice)  # no change: no entry
    membership_remove(membership=added, by=alice)

    assert list(
        OrganizationEvent.objects.filter(organization=organization).values_list(
            "kind", "user__username", "detail"
        )
    ) == [
        ("member_added", "alice", "carol as member"),
        ("role_changed", "alice", "carol: member to viewer"),
        ("member_removed", "alice", "carol"),
    ]


def test_the_invite_form_records_the_owner_who_invited(alice_client, acme_team, smtp_inbox):
    slug = acme_team.organization.slug
    alice_client.post(f"/orgs/{slug}/members/", {"email": "dave@example.org", "role": "viewer"})

    event = OrganizationEvent.objects.get()
    assert (event.kind, event.user.username, event.detail) == (
        "invitation_sent",
        "alice",
        "dave@example.org as viewer",
    )
    assert len(smtp_inbox.messages) == 1


def test_owners_read_the_activity_log_newest_first(alice_client, draft, alice):
    organization = draft.team.organization
    membership_add(
        organization=organization, user=UserFactory.create(username="erin"), role="member", by=alice
    )

    page = alice_client.get(f"/orgs/{organization.slug}/activity/")

    assert page.status_code == 200
    entries = page.context["entries"]
    assert [(e.what, e.subject, e.detail) for e in entries] == [
        ("Member added", "", "erin as member"),
        ("Team composition changed", "Fraud detection · 2026 Q4", ""),
        ("Created", "Fraud detection · 2026 Q4", ""),
    ]
    body = page.content.decode()
    assert "erin as member" in body
    assert f'href="/assessments/{draft.pk}/review/"' in body


@pytest.mark.parametrize("role", [Role.CONSULTANT, Role.MEMBER, Role.VIEWER])
def test_only_owners_read_the_activity_log(client, acme_team, role):
    user = UserFactory.create(username=f"someone-{role}")
    MembershipFactory.create(user=user, organization=acme_team.organization, role=role)
    client.force_login(user)

    response = client.get(f"/orgs/{acme_team.organization.slug}/activity/")

    assert response.status_code == 403


def test_another_organisations_log_is_not_found(alice_client, globex_team):
    response = alice_client.get(f"/orgs/{globex_team.organization.slug}/activity/")
    assert response.status_code == 404


def test_the_log_reads_in_two_queries_however_long_it_is(acme_team, alice):
    organization = acme_team.organization
    for number in range(30):
        membership_add(
            organization=organization,
            user=UserFactory.create(username=f"member{number}"),
            role=Role.MEMBER,
            by=alice,
        )
    with CaptureQueriesContext(connection) as queries:
        entries = organization_activity(organization)

    assert len(queries) == 2
    assert [e.detail for e in entries[:2]] == ["member29 as member", "member28 as member"]
    assert len(entries) == 30
