"""The organisation dashboard, switching between clients, and managing members."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from assessment.models import Assessment, AssessmentStatus, QuestionBank
from assessment.services.standings import team_standing_refresh
from core.models import Membership, Role, Team
from tests.factories import MembershipFactory, OrganizationFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db


def submitted_assessment(
    team: Team,
    bank: QuestionBank,
    user: User,
    *,
    label: str,
    days_ago: int,
    overall: int | None,
    percents: tuple[float, float, float],
) -> Assessment:
    """A submitted assessment with just the summary dashboards read."""
    assessment = Assessment.objects.create(
        team=team,
        bank=bank,
        label=label,
        created_by=user,
        status=AssessmentStatus.SUBMITTED,
        submitted_at=timezone.now() - timedelta(days=days_ago),
        summary={
            "overall": overall,
            "phases": {
                code: {"level": overall, "percent": percent}
                for code, percent in zip(
                    ("design", "development", "operations"), percents, strict=True
                )
            },
        },
    )
    team_standing_refresh(team.pk)
    return assessment


@pytest.fixture
def fleet(acme_team, alice, mlops_bank):
    """Acme's three teams: Fraud improving, Pricing declining, Search never assessed."""
    pricing = TeamFactory.create(organization=acme_team.organization, name="Pricing")
    TeamFactory.create(organization=acme_team.organization, name="Search")
    submitted_assessment(
        acme_team, mlops_bank, alice, label="Q2", days_ago=120, overall=0, percents=(60, 50, 40)
    )
    submitted_assessment(
        acme_team, mlops_bank, alice, label="Q3", days_ago=30, overall=1, percents=(90, 85, 82)
    )
    submitted_assessment(
        pricing, mlops_bank, alice, label="Q2", days_ago=100, overall=1, percents=(90, 90, 90)
    )
    submitted_assessment(
        pricing, mlops_bank, alice, label="Q3", days_ago=10, overall=1, percents=(85, 82, 81)
    )
    Assessment.objects.create(team=pricing, bank=mlops_bank, label="Q4", created_by=alice)
    return acme_team.organization


def test_the_dashboard_shows_latest_levels_trends_and_drafts(alice_client, fleet):
    response = alice_client.get(f"/orgs/{fleet.slug}/")
    phases = ("design", "development", "operations")
    rows = {
        s.team_name: (s, [s.phase(code) for code in phases]) for s in response.context["snapshots"]
    }
    assert list(rows) == ["Fraud detection", "Pricing", "Search"]
    fraud, fraud_cells = rows["Fraud detection"]
    assert (fraud.overall, fraud.trend, fraud.latest["label"], fraud.drafts) == (1, "up", "Q3", 0)
    assert fraud_cells == [
        {"level": 1, "percent": 90},
        {"level": 1, "percent": 85},
        {"level": 1, "percent": 82},
    ]
    pricing, _ = rows["Pricing"]
    # Same level, lower percents: a slide within the level still shows.
    assert (pricing.overall, pricing.trend, pricing.drafts) == (1, "down", 1)
    search, search_cells = rows["Search"]
    assert (search.latest, search.trend, search_cells) == (None, "", [None, None, None])
    body = response.content.decode()
    assert "improved" in body
    assert "declined" in body
    assert "1 in progress" in body


def test_the_dashboard_sorts_and_filters(alice_client, fleet):
    def names(query: str) -> list[str]:
        response = alice_client.get(f"/orgs/{fleet.slug}/?{query}")
        return [snapshot.team_name for snapshot in response.context["snapshots"]]

    assert names("sort=last") == ["Pricing", "Fraud detection", "Search"]
    assert names("sort=overall") == ["Fraud detection", "Pricing", "Search"]
    assert names("q=pri") == ["Pricing"]
    assert names("drafts=1") == ["Pricing"]
    assert names("sort=nonsense") == ["Fraud detection", "Pricing", "Search"]


def test_the_dashboard_runs_a_constant_number_of_queries(
    alice_client, acme_team, alice, mlops_bank, django_assert_num_queries
):
    """The same number of queries for one team as for 200 teams with 20 assessments each."""
    from datetime import UTC, datetime

    slug = acme_team.organization.slug
    submitted_assessment(
        acme_team, mlops_bank, alice, label="Q0", days_ago=1, overall=0, percents=(50, 60, 70)
    )
    # Eight, since the archived teams are listed apart (one query).
    alice_client.get(f"/orgs/{slug}/")  # warm the bank cache
    with django_assert_num_queries(8) as small:
        alice_client.get(f"/orgs/{slug}/")
    teams = TeamFactory._meta.model.objects.bulk_create(
        TeamFactory.build(organization=acme_team.organization, name=f"Team {n:03d}")
        for n in range(199)
    )
    start = datetime(2022, 1, 1, tzinfo=UTC)
    Assessment.objects.bulk_create(
        Assessment(
            team=team,
            bank=mlops_bank,
            label=f"Q{q}",
            created_by=alice,
            status=AssessmentStatus.SUBMITTED,
            submitted_at=start + timedelta(days=91 * q),
            summary={
                "overall": q % 3,
                "phases": {
                    p: {"level": q % 3, "percent": 50.0}
                    for p in ("design", "development", "operations")
                },
            },
        )
        for team in teams
        for q in range(20)
    )
    for team in teams:
        team_standing_refresh(team.pk)
    with django_assert_num_queries(len(small.captured_queries)):
        response = alice_client.get(f"/orgs/{slug}/")
    assert len(response.context["snapshots"]) == 200
    assert Assessment.objects.count() == 199 * 20 + 1


def test_a_consultant_switches_between_clients_and_sees_only_that_clients_teams(client, fleet):
    consultant = UserFactory.create(username="conny")
    globex = OrganizationFactory.create(name="Globex", slug="globex")
    TeamFactory.create(organization=globex, name="Recommendations")
    MembershipFactory.create(user=consultant, organization=fleet, role=Role.CONSULTANT)
    MembershipFactory.create(user=consultant, organization=globex, role=Role.CONSULTANT)
    client.force_login(consultant)
    acme_page = client.get(f"/orgs/{fleet.slug}/")
    assert [s.team_name for s in acme_page.context["snapshots"]] == [
        "Fraud detection",
        "Pricing",
        "Search",
    ]
    assert "Recommendations" not in acme_page.content.decode()
    switched = client.get("/orgs/?slug=globex")
    assert switched["Location"] == "/orgs/globex/"
    globex_page = client.get("/orgs/globex/")
    assert [s.team_name for s in globex_page.context["snapshots"]] == ["Recommendations"]
    assert "Fraud detection" not in globex_page.content.decode()


def test_switching_to_a_foreign_organisation_is_a_404(alice_client, fleet, globex_team):
    assert alice_client.get("/orgs/?slug=globex").status_code == 404
    # /orgs/ typed without a choice leads home, where the user's organisations are listed.
    assert alice_client.get("/orgs/")["Location"] == "/"


def test_an_owner_sets_roles(alice_client, fleet):
    carol = MembershipFactory.create(
        user=UserFactory.create(username="carol"), organization=fleet, role=Role.VIEWER
    )
    alice_client.post(f"/orgs/{fleet.slug}/members/{carol.pk}/", {f"m{carol.pk}-role": "member"})
    carol.refresh_from_db()
    assert carol.role == "member"


def test_inviting_shows_clear_field_errors(alice_client, fleet, smtp_inbox):
    MembershipFactory.create(
        user=UserFactory.create(username="erin", email="erin@fleet.example"),
        organization=fleet,
        role=Role.MEMBER,
    )
    response = alice_client.post(f"/orgs/{fleet.slug}/members/", {"email": "not an address"})
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    response = alice_client.post(
        f"/orgs/{fleet.slug}/members/", {"email": "Erin@Fleet.example", "role": "member"}
    )
    assert response.context["form"].errors["email"] == [
        f"Erin@Fleet.example already belongs to {fleet.name}."
    ]
    response = alice_client.post(
        f"/orgs/{fleet.slug}/members/", {"email": "carol@fleet.example", "role": "emperor"}
    )
    assert "role" in response.context["form"].errors
    assert smtp_inbox.messages == []


def test_the_last_owner_cannot_leave(alice_client, fleet):
    mine = Membership.objects.get(user__username="alice")
    alice_client.post(f"/orgs/{fleet.slug}/members/{mine.pk}/", {"remove": "1"})
    alice_client.post(f"/orgs/{fleet.slug}/members/{mine.pk}/", {f"m{mine.pk}-role": "viewer"})
    mine.refresh_from_db()
    assert mine.role == "owner"


def test_only_owners_manage_members(client, fleet):
    viewer = UserFactory.create(username="vic")
    MembershipFactory.create(user=viewer, organization=fleet, role=Role.VIEWER)
    UserFactory.create(username="carol")
    client.force_login(viewer)
    assert client.get(f"/orgs/{fleet.slug}/members/").status_code == 200
    assert (
        client.post(
            f"/orgs/{fleet.slug}/members/", {"email": "carol@example.org", "role": "owner"}
        ).status_code
        == 403
    )
    mine = Membership.objects.get(user=viewer)
    assert (
        client.post(
            f"/orgs/{fleet.slug}/members/{mine.pk}/", {f"m{mine.pk}-role": "owner"}
        ).status_code
        == 403
    )
    mine.refresh_from_db()
    assert mine.role == "viewer"
