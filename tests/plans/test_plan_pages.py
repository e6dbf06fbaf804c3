"""The action plan's pages: accepting recommendations, the plan, editing an action, the counts on
the team page and the dashboard, and a client's open actions; each with its query count."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.timezone import localdate

from assessment.models import Action, Assessment
from assessment.scoring.results import Result
from assessment.services.assessments import assessment_submit
from core.models import Role
from tests.factories import MembershipFactory, TeamFactory, UserFactory
from tests.web.helpers import answer_everything_via_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(alice: User, draft: Assessment) -> Assessment:
    """Every practice done by hand: level 0 everywhere, and a plan towards level 1."""
    answer_everything_via_services(alice, draft, "0.5")
    assessment_submit(assessment=draft, by=alice)
    draft.refresh_from_db()
    return draft


def recommendations(assessment: Assessment):
    assert assessment.result is not None
    return Result.from_dict(assessment.result).recommendations


def test_accepting_three_recommendations_makes_three_actions_due_at_their_period(
    alice_client, submitted
):
    recs = recommendations(submitted)[:3]
    response = alice_client.post(
        f"/assessments/{submitted.pk}/plan/", {"practices": [rec.code for rec in recs]}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/teams/{submitted.team_id}/plan/"
    actions = {a.practices[0]: a for a in Action.objects.filter(team=submitted.team)}
    assert set(actions) == {rec.code for rec in recs}
    for rec in recs:
        action = actions[rec.code]
        assert action.title == " ".join(rec.text.split())[:200] or action.title.endswith("…")
        assert action.due_on == localdate() + timedelta(days=rec.period or 180)
        assert action.notes == f"First step: {rec.first_step}"
        assert action.source_id == submitted.pk
        assert action.status == Action.Status.PLANNED
        assert action.owner is None


def test_accepting_the_same_recommendation_twice_adds_it_once(alice_client, submitted):
    code = recommendations(submitted)[0].code
    alice_client.post(f"/assessments/{submitted.pk}/plan/", {"practices": [code]})
    page = alice_client.get(f"/assessments/{submitted.pk}/plan/").content.decode()
    # Already planned: said, and no longer offered.
    assert "In the plan" in page
    assert f'value="{code}"' not in page
    response = alice_client.post(f"/assessments/{submitted.pk}/plan/", {"practices": [code]})
    assert response.status_code == 200  # refused as not a choice any more
    assert Action.objects.filter(team=submitted.team).count() == 1


@pytest.mark.parametrize("chosen", [[], ["NOPE-1-01"], ["x" * 5000]])
def test_a_bad_choice_is_a_clear_error_and_adds_nothing(alice_client, submitted, chosen):
    response = alice_client.post(f"/assessments/{submitted.pk}/plan/", {"practices": chosen})
    assert response.status_code == 200
    assert "Nothing was added" in response.content.decode()
    assert not Action.objects.exists()


def test_a_draft_has_nothing_to_accept_yet(alice_client, draft):
    response = alice_client.get(f"/assessments/{draft.pk}/plan/")
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{draft.pk}/review/"


def test_the_result_and_report_pages_lead_to_the_plan(alice_client, submitted):
    url = f"/assessments/{submitted.pk}/plan/"
    assert url in alice_client.get(f"/assessments/{submitted.pk}/result/").content.decode()
    assert url in alice_client.get(f"/assessments/{submitted.pk}/report/").content.decode()


def test_a_viewer_reads_the_plan_but_is_not_offered_to_change_it(client, submitted, alice):
    Action.objects.create(team=submitted.team, title="Version the data", created_by=alice)
    viewer = UserFactory.create(username="vic")
    MembershipFactory.create(user=viewer, organization=submitted.team.organization, role="viewer")
    client.force_login(viewer)
    page = client.get(f"/teams/{submitted.team_id}/plan/").content.decode()
    assert "Version the data" in page
    assert "Add an action of your own" not in page
    result = client.get(f"/assessments/{submitted.pk}/result/").content.decode()
    assert f"/assessments/{submitted.pk}/plan/" not in result


def make_action(team, by, **fields) -> Action:
    return Action.objects.create(
        team=team, title=fields.pop("title", "An action"), created_by=by, **fields
    )


def test_the_plan_page_highlights_overdue_actions_in_words(alice_client, acme_team, alice):
    today = localdate()
    make_action(acme_team, alice, title="Late one", due_on=today - timedelta(days=2))
    make_action(acme_team, alice, title="On time", due_on=today + timedelta(days=5))
    make_action(
        acme_team,
        alice,
        title="Finished",
        status=Action.Status.DONE,
        done_at=timezone.now(),
        due_on=today - timedelta(days=9),
    )
    page = alice_client.get(f"/teams/{acme_team.pk}/plan/").content.decode()
    assert "2 open" in page
    assert "1 overdue" in page
    assert "1 done" in page
    late_row = page[page.index('class="overdue-row"') :].split("</tr>")[0]
    assert "Late one" in late_row
    assert "Overdue" in late_row
    assert page.count('class="overdue-row"') == 1  # a done action is never overdue


def test_adding_an_action_of_ones_own(alice_client, acme_team, draft):
    response = alice_client.post(
        f"/teams/{acme_team.pk}/plan/",
        {
            "title": "Write a model card template",
            "practices": "des-0-01, DES-0-01 ",
            "owner": "",
            "owner_name": "Priya (contractor)",
            "due_on": "2027-02-01",
            "status": "planned",
            "notes": "Agreed at the retro.",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get()
    assert action.practices == ["DES-0-01"]  # upper-cased, repeats dropped
    assert action.owner_name == "Priya (contractor)"
    assert action.due_on == date(2027, 2, 1)
    assert action.source is None


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"practices": "XYZ-9-99"}, "practices", "Not a practice of this team"),
        ({"status": "dropped"}, "dropped_reason", "Say why it was dropped"),
        ({"title": ""}, "title", "This field is required"),
        ({"title": "two\nlines"}, "title", "one line"),
        ({"due_on": "31/31/2027"}, "due_on", "Enter a valid date"),
        ({"status": "finished"}, "status", "Select a valid choice"),
        ({"owner": "999999"}, "owner", "Select a valid choice"),
    ],
)
def test_a_bad_action_is_refused_field_by_field_and_nothing_changes(
    alice_client, acme_team, alice, draft, fields, field, message
):
    action = make_action(acme_team, alice, title="Original")
    data = {"title": "Changed", "practices": "", "owner": "", "status": "planned"} | fields
    response = alice_client.post(f"/actions/{action.pk}/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    assert "Nothing was saved" in response.content.decode()
    action.refresh_from_db()
    assert (action.title, action.status) == ("Original", "planned")


def test_an_owner_from_another_organisation_cannot_be_chosen(
    alice_client, acme_team, alice, bob, globex_team
):
    action = make_action(acme_team, alice)
    response = alice_client.post(
        f"/actions/{action.pk}/", {"title": "x", "owner": str(bob.pk), "status": "planned"}
    )
    assert "owner" in response.context["form"].errors
    action.refresh_from_db()
    assert action.owner is None


def test_a_member_and_a_name_are_not_both_owners(alice_client, acme_team, alice):
    action = make_action(acme_team, alice)
    response = alice_client.post(
        f"/actions/{action.pk}/",
        {"title": "x", "owner": str(alice.pk), "owner_name": "Sam", "status": "planned"},
    )
    assert "not both" in " ".join(response.context["form"].errors["owner_name"])


def test_marking_done_records_when_and_reopening_clears_it(alice_client, acme_team, alice):
    action = make_action(acme_team, alice)
    data = {"title": "An action", "owner": str(alice.pk), "status": "done"}
    alice_client.post(f"/actions/{action.pk}/", data)
    action.refresh_from_db()
    assert action.status == "done"
    assert action.done_at is not None
    assert action.owner == alice
    alice_client.post(f"/actions/{action.pk}/", data | {"status": "in_progress"})
    action.refresh_from_db()
    assert action.done_at is None


def test_a_member_edits_the_plan_and_a_viewer_does_not(client, acme_team, alice):
    action = make_action(acme_team, alice)
    member = UserFactory.create(username="mo")
    MembershipFactory.create(user=member, organization=acme_team.organization, role=Role.MEMBER)
    client.force_login(member)
    response = client.post(f"/actions/{action.pk}/", {"title": "By Mo", "status": "in_progress"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.title == "By Mo"
    assert action.updated_by == member


def test_an_archived_teams_plan_is_read_only(alice_client, acme_team, alice):
    action = make_action(acme_team, alice)
    acme_team.archived_at = timezone.now()
    acme_team.save()
    assert alice_client.post(f"/actions/{action.pk}/", {"title": "x"}).status_code == 403
    page = alice_client.get(f"/teams/{acme_team.pk}/plan/").content.decode()
    assert "kept to read" in page


def test_the_dashboard_shows_each_teams_open_and_overdue_counts(alice_client, acme_team, alice):
    today = localdate()
    make_action(acme_team, alice, due_on=today - timedelta(days=1))
    make_action(acme_team, alice, due_on=today + timedelta(days=1))
    make_action(acme_team, alice, status=Action.Status.DONE, due_on=today - timedelta(days=3))
    make_action(acme_team, alice, status=Action.Status.DROPPED, due_on=today - timedelta(days=3))
    page = alice_client.get("/orgs/acme/").content.decode()
    row = page[page.index("Fraud detection") :].split("</tr>")[0]
    assert f'href="/teams/{acme_team.pk}/plan/">2 open</a>' in row
    assert "1 overdue" in row


def test_a_consultant_sees_every_open_action_of_a_client_and_nothing_else(
    client, acme_team, alice, bob, globex_team
):
    payments = TeamFactory.create(name="Payments", organization=acme_team.organization)
    archived = TeamFactory.create(
        name="Old team", organization=acme_team.organization, archived_at=timezone.now()
    )
    make_action(acme_team, alice, title="Fraud open", due_on=localdate() - timedelta(days=1))
    make_action(payments, alice, title="Payments open")
    make_action(payments, alice, title="Payments done", status=Action.Status.DONE)
    make_action(archived, alice, title="Archived open")
    make_action(globex_team, bob, title="Globex open")
    consultant = UserFactory.create(username="cora")
    MembershipFactory.create(
        user=consultant, organization=acme_team.organization, role=Role.CONSULTANT
    )
    client.force_login(consultant)
    page = client.get("/orgs/acme/actions/").content.decode()
    assert "Fraud open" in page
    assert "Payments open" in page
    for hidden in ("Payments done", "Archived open", "Globex open"):
        assert hidden not in page
    assert "2 open" in page
    assert "1 overdue" in page
    assert client.get("/orgs/globex/actions/").status_code == 404


def queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


@pytest.mark.parametrize(
    "path",
    ["/teams/{team}/", "/teams/{team}/plan/", "/orgs/acme/", "/orgs/acme/actions/"],
)
def test_pages_keep_a_constant_number_of_queries_whatever_the_actions(
    alice_client, acme_team, alice, submitted, path
):
    path = path.format(team=acme_team.pk)
    members = [UserFactory.create() for _ in range(3)]
    for user in members:
        MembershipFactory.create(user=user, organization=acme_team.organization)

    def add(count: int) -> None:
        for index in range(count):
            make_action(
                acme_team,
                alice,
                owner=members[index % 3],
                due_on=localdate() + timedelta(days=index - 5),
                status=Action.Status.DONE if index % 4 == 0 else Action.Status.PLANNED,
                done_at=timezone.now() if index % 4 == 0 else None,
            )

    add(2)
    few = queries(alice_client, path)
    add(18)
    assert queries(alice_client, path) == few


def test_the_home_page_lists_the_open_actions_a_person_owns(client, acme_team, alice, globex_team):
    mo = UserFactory.create(username="mo")
    membership = MembershipFactory.create(user=mo, organization=acme_team.organization)
    make_action(acme_team, alice, title="Mine, open", owner=mo)
    make_action(acme_team, alice, title="Mine, done", owner=mo, status=Action.Status.DONE)
    make_action(acme_team, alice, title="Someone else's", owner=alice)
    make_action(globex_team, alice, title="Left behind", owner=mo)  # not Mo's organisation
    client.force_login(mo)
    page = client.get("/").content.decode()
    assert "Your open actions" in page
    assert "Mine, open" in page
    for hidden in ("Mine, done", "Someone else's", "Left behind"):
        assert hidden not in page
    membership.delete()  # someone who left no longer sees the team's actions
    assert "Mine, open" not in client.get("/").content.decode()


def test_the_edit_form_shows_the_due_date_the_date_picker_reads(alice_client, acme_team, alice):
    action = make_action(acme_team, alice, due_on=date(2027, 1, 15))
    page = alice_client.get(f"/actions/{action.pk}/").content.decode()
    assert 'type="date" name="due_on" value="2027-01-15"' in page
