"""A team's action plan as files for other tools: a CSV for Jira's importer, a CSV for GitHub
issues (githubCsvTools), and a versioned JSON document (docs/action-plan-exports.md)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessment.formats.action_plan import (
    ActionPlan,
    ActionRow,
    PracticeRow,
    github_csv,
    jira_csv,
    labels,
    plan_csv,
    plan_filename,
)
from assessment.models import Action, QuestionBank
from core.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

JIRA_HEADER = [
    "Summary",
    "Description",
    "Issue Type",
    "Status",
    "Resolution",
    "Assignee",
    "Due Date",
]


def csv_url(team, flavour: str | None = None) -> str:
    return f"/teams/{team.pk}/plan.csv" + (f"?for={flavour}" if flavour is not None else "")


def json_url(team) -> str:
    return f"/teams/{team.pk}/plan.json"


def rows_of(response) -> list[list[str]]:
    # csv.reader, not DictReader: Jira's file repeats its Labels heading.
    return list(csv.reader(io.StringIO(response.content.decode())))


def statement(bank: QuestionBank, code: str) -> str:
    return bank.bank().question(code).statement


@pytest.fixture
def plan(acme_team, alice, draft):
    """Alice's plan for the Fraud team: one action in progress from the 2026 Q4 assessment (two
    practices, Alice owns it), one of her own owned by someone without an account whose title
    a spreadsheet would run, one done, one dropped."""
    alice.first_name, alice.last_name, alice.email = "Alice", "Liddell", "alice@acme.example"
    alice.save()
    make = Action.objects.create
    return {
        "versioning": make(
            team=acme_team,
            source=draft,
            title="Version the training data",
            practices=["DES-0-01", "DEV-1-03"],
            owner=alice,
            due_on=date(2026, 3, 31),
            status=Action.Status.IN_PROGRESS,
            notes="Start with the fraud set",
            created_by=alice,
        ),
        "formula": make(
            team=acme_team,
            title='=HYPERLINK("http://evil.example","click")',
            practices=["DES-0-01"],
            owner_name="Sam Outside",
            created_by=alice,
        ),
        "done": make(
            team=acme_team,
            source=draft,
            title="Write down the business problem",
            practices=["DES-0-01"],
            due_on=date(2026, 1, 15),
            status=Action.Status.DONE,
            done_at=datetime(2026, 1, 10, 9, 30, tzinfo=UTC),
            created_by=alice,
        ),
        "dropped": make(
            team=acme_team,
            source=draft,
            title="Buy a feature store",
            practices=[],
            status=Action.Status.DROPPED,
            dropped_reason="The platform team provides one",
            created_by=alice,
        ),
    }


# --- Jira ---------------------------------------------------------------------------------------


def test_the_jira_csv_has_one_issue_a_row_with_repeated_labels_columns(
    alice_client, acme_team, plan, mlops_bank
):
    response = alice_client.get(csv_url(acme_team))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="action-plan-fraud-detection-{today}.csv"'
    )
    header, *rows = rows_of(response)
    # The most labelled action has three labels: three Labels columns, one value in each.
    assert header == [*JIRA_HEADER, "Labels", "Labels", "Labels"]
    versioning, formula, done, dropped = rows
    pk = plan["versioning"].pk
    assert versioning == [
        "Version the training data",
        "Start with the fraud set\n\n"
        "Practices this action should move:\n"
        f"* DES-0-01: {statement(mlops_bank, 'DES-0-01')}\n"
        f"* DEV-1-03: {statement(mlops_bank, 'DEV-1-03')}\n\n"
        "Owner: Alice Liddell\n"
        "Team: Fraud detection (Acme), from the assessment 2026 Q4\n"
        f"In the MLOps maturity tool: http://testserver/actions/{pk}/",
        "Task",
        "In Progress",
        "",
        "alice@acme.example",
        "2026-03-31",
        "mlops-maturity",
        "DES-0-01",
        "DEV-1-03",
    ]
    # Someone without an account: named in the text, never an assignee; no date, no source.
    assert formula[2:] == ["Task", "To Do", "", "", "", "mlops-maturity", "DES-0-01", ""]
    assert "Owner: Sam Outside\nTeam: Fraud detection (Acme)\n" in formula[1]
    assert done[3:7] == ["Done", "Done", "", "2026-01-15"]
    assert dropped[3:] == ["Done", "Won't Do", "", "", "mlops-maturity", "", ""]
    assert "Dropped because: The platform team provides one" in dropped[1]


def test_jira_is_the_default_and_may_be_asked_for_by_name(alice_client, acme_team, plan):
    default = alice_client.get(csv_url(acme_team))
    for asked in ("jira", "JIRA", ""):
        assert alice_client.get(csv_url(acme_team, asked)).content == default.content


def test_a_title_a_spreadsheet_would_run_is_kept_as_text(alice_client, acme_team, plan):
    Action.objects.filter(pk=plan["versioning"].pk).update(notes="@SUM(A1:A9)")
    for flavour in ("jira", "github"):
        rows = rows_of(alice_client.get(csv_url(acme_team, flavour)))
        titles = [row[0] for row in rows[1:]]
        assert '\'=HYPERLINK("http://evil.example","click")' in titles
        assert rows[1][1].startswith("'@SUM(A1:A9)\n")


def test_an_owner_who_left_the_organisation_is_named_but_not_assigned(
    alice_client, acme_team, alice, plan
):
    former = UserFactory.create(username="carol", email="carol@acme.example")
    Action.objects.filter(pk=plan["versioning"].pk).update(owner=former)

    versioning = rows_of(alice_client.get(csv_url(acme_team)))[1]

    assert versioning[5] == ""
    assert "Owner: carol\n" in versioning[1]


def test_an_empty_plan_is_a_header_with_one_labels_column(alice_client, acme_team):
    rows = rows_of(alice_client.get(csv_url(acme_team)))

    assert rows == [[*JIRA_HEADER, "Labels"]]


# --- GitHub -------------------------------------------------------------------------------------


def test_the_github_csv_has_the_columns_github_csv_tools_reads(
    alice_client, acme_team, plan, mlops_bank
):
    response = alice_client.get(csv_url(acme_team, "github"))

    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="action-plan-fraud-detection-{today}-github.csv"'
    )
    header, versioning, formula, done, dropped = rows_of(response)
    assert header == ["title", "body", "labels", "assignee", "state"]
    pk = plan["versioning"].pk
    assert versioning == [
        "Version the training data",
        "Start with the fraud set\n\n"
        "Practices this action should move:\n"
        f"- DES-0-01: {statement(mlops_bank, 'DES-0-01')}\n"
        f"- DEV-1-03: {statement(mlops_bank, 'DEV-1-03')}\n\n"
        "Status: In progress\n"
        "Due: 2026-03-31\n"
        "Owner: Alice Liddell\n"
        "Team: Fraud detection (Acme), from the assessment 2026 Q4\n"
        f"In the MLOps maturity tool: http://testserver/actions/{pk}/",
        # Several labels in one cell, comma-separated: githubCsvTools splits it at commas.
        "mlops-maturity,DES-0-01,DEV-1-03",
        "",  # a GitHub login, which this tool does not know
        "open",
    ]
    assert formula[2:] == ["mlops-maturity,DES-0-01", "", "open"]
    assert "Status: Planned\nOwner: Sam Outside\n" in formula[1]
    assert (done[2:], dropped[2:]) == (
        ["mlops-maturity,DES-0-01", "", "closed"],
        ["mlops-maturity", "", "closed"],
    )
    assert "Status: Dropped\nDropped because: The platform team provides one\n" in dropped[1]


@pytest.mark.parametrize("asked", ["excel", "gitlab", "jira,github", "../etc"])
def test_an_unknown_flavour_is_refused_plainly(alice_client, acme_team, plan, asked):
    response = alice_client.get(f"/teams/{acme_team.pk}/plan.csv", {"for": asked})

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert b"?for=jira" in response.content
    assert b"?for=github" in response.content


# --- JSON ---------------------------------------------------------------------------------------


def test_the_json_is_a_versioned_document_of_every_action(
    alice_client, acme_team, draft, plan, mlops_bank
):
    response = alice_client.get(json_url(acme_team))

    assert response["Content-Type"] == "application/json"
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="action-plan-fraud-detection-{today}.json"'
    )
    data = json.loads(response.content)
    assert list(data) == ["format", "version", "team", "organisation", "exported_at", "actions"]
    assert (data["format"], data["version"]) == ("mlops-maturity-action-plan", 1)
    assert (data["team"], data["organisation"]) == ("Fraud detection", "Acme")
    assert datetime.fromisoformat(data["exported_at"]).tzinfo is not None
    versioning, formula, done, dropped = data["actions"]
    action = plan["versioning"]
    assert versioning == {
        "id": action.pk,
        "title": "Version the training data",
        "practices": [
            {"code": "DES-0-01", "statement": statement(mlops_bank, "DES-0-01")},
            {"code": "DEV-1-03", "statement": statement(mlops_bank, "DEV-1-03")},
        ],
        "owner": {"name": "Alice Liddell", "email": "alice@acme.example"},
        "due_on": "2026-03-31",
        "status": "in_progress",
        "dropped_reason": "",
        "notes": "Start with the fraud set",
        "done_at": None,
        "created_at": action.created_at.isoformat(),
        "source_assessment": {"id": draft.pk, "label": "2026 Q4"},
        "url": f"http://testserver/actions/{action.pk}/",
    }
    # An action of the lead's own still gets the bank's words, from the team's latest bank.
    assert formula["practices"] == [
        {"code": "DES-0-01", "statement": statement(mlops_bank, "DES-0-01")}
    ]
    assert formula["title"] == '=HYPERLINK("http://evil.example","click")'  # JSON is not a sheet
    assert (formula["owner"], formula["due_on"], formula["source_assessment"]) == (
        {"name": "Sam Outside", "email": None},
        None,
        None,
    )
    assert (done["status"], done["done_at"]) == ("done", "2026-01-10T09:30:00+00:00")
    assert (dropped["status"], dropped["dropped_reason"], dropped["owner"]) == (
        "dropped",
        "The platform team provides one",
        None,
    )


# --- who may download ---------------------------------------------------------------------------


def test_a_viewer_of_the_organisation_may_download_every_file(client, acme_team, plan):
    viewer = UserFactory.create(username="victor")
    MembershipFactory.create(user=viewer, organization=acme_team.organization, role=Role.VIEWER)
    client.force_login(viewer)

    for url in (csv_url(acme_team), csv_url(acme_team, "github"), json_url(acme_team)):
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"Version the training data" in response.content


def test_another_organisations_member_gets_404_whatever_they_ask(client, bob, globex_team, plan):
    acme_team = plan["versioning"].team
    client.force_login(bob)

    for url in (csv_url(acme_team), csv_url(acme_team, "nonsense"), json_url(acme_team)):
        assert client.get(url).status_code == 404, url
    assert client.get(csv_url(globex_team)).status_code == 200  # his own team's is fine


def test_the_downloads_are_get_only(alice_client, acme_team):
    for url in (csv_url(acme_team), json_url(acme_team)):
        assert alice_client.post(url).status_code == 405


# --- queries ------------------------------------------------------------------------------------


def add_actions(team, by, source, count: int) -> None:
    for n in range(count):
        Action.objects.create(
            team=team,
            source=source if n % 2 else None,
            title=f"Action {n}",
            practices=["DES-0-01", "DEV-1-03"],
            owner=by if n % 3 else None,
            owner_name="" if n % 3 else "Someone",
            due_on=date(2026, 6, 1 + n),
            created_by=by,
        )


@pytest.mark.parametrize("url", ["csv-jira", "csv-github", "json"])
def test_the_queries_do_not_grow_with_the_actions(alice_client, acme_team, alice, draft, url):
    address = {
        "csv-jira": csv_url(acme_team),
        "csv-github": csv_url(acme_team, "github"),
        "json": json_url(acme_team),
    }[url]
    add_actions(acme_team, alice, draft, 2)
    alice_client.get(address)  # the session and the parsed bank, once

    with CaptureQueriesContext(connection) as two:
        assert alice_client.get(address).status_code == 200
    add_actions(acme_team, alice, draft, 18)
    with CaptureQueriesContext(connection) as twenty:
        response = alice_client.get(address)

    assert response.content.count(b"http://testserver/actions/") == 20  # one link an action
    assert len(twenty.captured_queries) == len(two.captured_queries)


# --- the pure format ----------------------------------------------------------------------------


BARE = ActionRow(
    id=1,
    title="Do it",
    practices=(),
    owner="",
    owner_email="",
    due_on=None,
    status="planned",
    status_label="Planned",
    dropped_reason="",
    notes="",
    done_at=None,
    created_at=datetime(2026, 1, 1, tzinfo=UTC),
    source_id=None,
    source_label="",
    url="",
)


def row(**fields: Any) -> ActionRow:
    return replace(BARE, **fields)


def one_plan(*actions: ActionRow) -> ActionPlan:
    return ActionPlan(
        team="T", organisation="O", exported_at=datetime(2026, 1, 2, tzinfo=UTC), actions=actions
    )


def test_labels_hold_no_blank_or_comma_and_come_once():
    practices = tuple(
        PracticeRow(code) for code in (" EXP 1 ", "a,b", "EXP-1", "mlops-maturity", "")
    )

    assert labels(row(practices=practices)) == ["mlops-maturity", "EXP-1", "a-b"]


def test_each_row_fills_every_labels_column():
    plan = one_plan(
        row(practices=(PracticeRow("A-1"), PracticeRow("B-2"))), row(title="bare", id=2)
    )

    rows = list(csv.reader(io.StringIO(jira_csv(plan))))

    assert [len(r) for r in rows] == [10, 10, 10]
    assert rows[2][7:] == ["mlops-maturity", "", ""]
    assert list(csv.reader(io.StringIO(github_csv(plan))))[2][2] == "mlops-maturity"


def test_an_unknown_flavour_is_a_value_error():
    with pytest.raises(ValueError, match="excel"):
        plan_csv(one_plan(), "excel")


@pytest.mark.parametrize(
    ("team", "name"),
    [
        ("Fraud detection", "action-plan-fraud-detection-2026-05-01.csv"),
        ('Équipe "données" / ML', "action-plan-equipe-donnees-ml-2026-05-01.csv"),
        ("数据团队", "action-plan-team-2026-05-01.csv"),
    ],
)
def test_file_names_are_plain_ascii(team, name):
    assert plan_filename(team, date(2026, 5, 1), "csv") == name
