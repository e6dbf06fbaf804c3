"""From nothing to a team to assess, without an administrator: a signed-in person creates an
organisation (and owns it), then its teams; owners rename and archive them."""

from __future__ import annotations

import pytest

from core.models import Membership, Organization, OrganizationEvent, Role, Team
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer_client(client):
    user = UserFactory.create(username="nina")
    client.force_login(user)
    client.user = user
    return client


def test_a_newcomer_is_offered_to_create_an_organisation_and_owns_it(newcomer_client):
    home = newcomer_client.get("/").content.decode()
    assert "You do not belong to any organisation yet." in home
    assert 'href="/orgs/new/"' in home

    response = newcomer_client.post("/orgs/new/", {"name": "Acme Analytics"})

    organization = Organization.objects.get(name="Acme Analytics")
    assert response["Location"] == f"/orgs/{organization.slug}/"
    assert organization.slug == "acme-analytics"
    membership = Membership.objects.get(organization=organization)
    assert (membership.user, membership.role) == (newcomer_client.user, Role.OWNER)
    assert organization.events.get().kind == OrganizationEvent.Kind.ORGANIZATION_CREATED


def test_two_organisations_of_the_same_name_get_their_own_addresses(newcomer_client):
    newcomer_client.post("/orgs/new/", {"name": "Acme"})
    newcomer_client.post("/orgs/new/", {"name": "Acme"})
    newcomer_client.post("/orgs/new/", {"name": "New"})  # /orgs/new/ is the creation page
    assert sorted(Organization.objects.values_list("slug", flat=True)) == [
        "acme",
        "acme-2",
        "new-organisation",
    ]


def test_an_instance_may_keep_creating_organisations_to_staff(newcomer_client, settings):
    settings.ORGANIZATION_CREATION = "staff"
    assert newcomer_client.get("/orgs/new/").status_code == 403
    assert newcomer_client.post("/orgs/new/", {"name": "Acme"}).status_code == 403
    assert 'href="/orgs/new/"' not in newcomer_client.get("/").content.decode()
    assert not Organization.objects.exists()


def test_an_owner_creates_renames_archives_and_restores_a_team(alice_client, acme_team):
    response = alice_client.post(
        "/orgs/acme/teams/new/", {"name": "Churn prediction", "description": "Retention models"}
    )
    team = Team.objects.get(name="Churn prediction")
    assert response["Location"] == f"/teams/{team.pk}/"

    alice_client.post(f"/teams/{team.pk}/settings/", {"name": "Churn", "description": ""})
    team.refresh_from_db()
    assert team.name == "Churn"

    alice_client.post(f"/teams/{team.pk}/archive/", {"archive": "1"})
    team.refresh_from_db()
    assert team.archived_at is not None
    dashboard = alice_client.get("/orgs/acme/").content.decode()
    assert "Archived teams (1)" in dashboard
    assert f'href="/teams/{team.pk}/">Churn</a> · archived' in dashboard
    assert ">Churn<" not in alice_client.get("/").content.decode()
    start = alice_client.get(f"/teams/{team.pk}/assessments/new/")
    assert start["Location"] == f"/teams/{team.pk}/"
    assert alice_client.get(f"/teams/{team.pk}/").status_code == 200  # its history stays

    alice_client.post(f"/teams/{team.pk}/archive/", {"archive": "0"})
    team.refresh_from_db()
    assert team.archived_at is None
    kinds = list(OrganizationEvent.objects.order_by("pk").values_list("kind", "detail"))
    assert kinds == [
        ("team_created", "Churn prediction"),
        ("team_renamed", "Churn prediction to Churn"),
        ("team_archived", "Churn"),
        ("team_restored", "Churn"),
    ]


def test_team_names_are_unique_in_an_organisation_whatever_the_case(alice_client, acme_team):
    response = alice_client.post("/orgs/acme/teams/new/", {"name": "FRAUD DETECTION"})
    assert response.status_code == 200
    assert "Acme already has a team called “FRAUD DETECTION”." in response.content.decode()
    assert Team.objects.count() == 1


def test_members_do_not_manage_teams(client, acme_team):
    member = UserFactory.create(username="mo")
    MembershipFactory.create(user=member, organization=acme_team.organization, role=Role.MEMBER)
    client.force_login(member)
    assert client.get("/orgs/acme/teams/new/").status_code == 403
    assert client.post("/orgs/acme/teams/new/", {"name": "X"}).status_code == 403
    assert client.post(f"/teams/{acme_team.pk}/archive/", {"archive": "1"}).status_code == 403
    assert client.post(f"/teams/{acme_team.pk}/settings/", {"name": "Y"}).status_code == 403
    assert list(Team.objects.values_list("name", "archived_at")) == [("Fraud detection", None)]
