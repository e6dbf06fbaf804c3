"""Reminder e-mails: an action due soon, overdue, a team due for its reassessment. The clock is
the test's (`--now`, `reminders_send(now=...)`); the messages go through a real SMTP server and
are read back from its inbox."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from email.message import EmailMessage
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessment.models import Action, Assessment, AssessmentStatus, QuestionBank, Reminder
from assessment.models import Respondent as RespondentModel
from assessment.services import reminders as reminders_module
from assessment.services.reminders import add_months, reminders_send
from core.models import Membership, Role, Team
from tests.factories import MembershipFactory, OrganizationFactory, TeamFactory, UserFactory
from tests.mail import free_port

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.test import Client
    from pytest_django import Settings

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SITE = "https://maturity.example.com"
NOW = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)  # a Sunday morning


@pytest.fixture(autouse=True)
def _site(settings: Settings) -> None:
    settings.SITE_URL = SITE
    settings.REMINDER_DAYS_BEFORE = 3


@pytest.fixture
def dana(acme_team: Team) -> User:
    """Dana, a member of Acme, owns actions of its Fraud team."""
    user = UserFactory.create(username="dana", first_name="Dana", last_name="Okafor")
    MembershipFactory.create(user=user, organization=acme_team.organization, role=Role.MEMBER)
    return user


def make_action(
    team: Team,
    *,
    by: User,
    due_on: date | None,
    title: str = "Automate the retraining pipeline",
    owner: User | None = None,
    owner_name: str = "",
    status: str = Action.Status.PLANNED,
) -> Action:
    return Action.objects.create(
        team=team,
        title=title,
        owner=owner,
        owner_name=owner_name,
        due_on=due_on,
        status=status,
        created_by=by,
        updated_by=by,
    )


def run(now: datetime = NOW, *args: str) -> str:
    out = StringIO()
    call_command("send_reminders", "--now", now.isoformat(), *args, stdout=out, stderr=out)
    return out.getvalue()


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


# Actions ---------------------------------------------------------------------------------------


def test_the_owner_hears_once_when_an_action_is_due_soon(acme_team, alice, dana, smtp_inbox):
    action = make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 12))
    output = run()
    assert f"sent due-soon reminder for action {action.pk} to dana@example.com" in output
    assert "1 reminder sent, 0 failed." in output
    [message] = smtp_inbox.messages
    assert message["To"] == "dana@example.com"
    assert message["Subject"] == (
        "Due 12 January 2027: Automate the retraining pipeline (Fraud detection)"
    )
    text = body(message)
    assert text.startswith("Hello Dana Okafor,")
    assert "An action of Fraud detection (Acme) is due on 12 January 2027:" in text
    assert "    Automate the retraining pipeline" in text
    assert "Status: Planned." in text
    assert f"{SITE}/actions/{action.pk}/" in text
    assert smtp_inbox.last_link_to("dana@example.com") == f"{SITE}/actions/{action.pk}/"
    reminder = Reminder.objects.get()
    assert (reminder.key, reminder.kind) == (
        f"due_soon:action={action.pk}:due=2027-01-12",
        "due_soon",
    )
    assert (reminder.sent_to, reminder.sent_at, reminder.team_id) == (
        "dana@example.com",
        NOW,
        acme_team.pk,
    )

    # Already reminded: the next runs, that hour or the next days, send nothing more.
    assert "0 reminders sent, 0 failed." in run(NOW + timedelta(hours=1))
    assert "0 reminders sent" in run(NOW + timedelta(days=2))
    assert len(smtp_inbox.messages) == 1


def test_then_once_more_when_it_is_overdue(acme_team, alice, dana, smtp_inbox):
    action = make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 12))
    run()
    run(datetime(2027, 1, 12, 23, 0, tzinfo=UTC))  # the day itself is not overdue yet
    assert len(smtp_inbox.messages) == 1
    output = run(datetime(2027, 1, 13, 7, 0, tzinfo=UTC))
    assert f"sent overdue reminder for action {action.pk} to dana@example.com" in output
    overdue = smtp_inbox.messages[-1]
    assert overdue["Subject"] == (
        "Overdue, was due 12 January 2027: Automate the retraining pipeline (Fraud detection)"
    )
    text = body(overdue)
    assert "was due on 12 January 2027 and is still open:" in text
    assert f"{SITE}/actions/{action.pk}/" in text
    run(datetime(2027, 2, 1, 7, 0, tzinfo=UTC))
    assert len(smtp_inbox.messages) == 2
    assert sorted(Reminder.objects.values_list("key", flat=True)) == [
        f"due_soon:action={action.pk}:due=2027-01-12",
        f"overdue:action={action.pk}:due=2027-01-12",
    ]


def test_a_missed_due_soon_window_sends_only_the_overdue_reminder(
    acme_team, alice, dana, smtp_inbox
):
    make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 5))
    run()
    assert [m["Subject"].split(":")[0] for m in smtp_inbox.messages] == [
        "Overdue, was due 5 January 2027"
    ]
    assert list(Reminder.objects.values_list("kind", flat=True)) == ["overdue"]


def test_actions_not_due_yet_closed_or_undated_get_nothing(acme_team, alice, dana, smtp_inbox):
    make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 14))  # 4 days away
    make_action(acme_team, by=alice, owner=dana, due_on=None)
    for status in (Action.Status.DONE, Action.Status.DROPPED):
        make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 1), status=status)
    assert "0 reminders sent, 0 failed." in run()
    assert smtp_inbox.messages == []
    assert not Reminder.objects.exists()


def test_in_progress_actions_are_reminded_and_the_window_follows_the_setting(
    acme_team, alice, dana, smtp_inbox, settings
):
    settings.REMINDER_DAYS_BEFORE = 0
    make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 11), status="in_progress")
    run()
    assert smtp_inbox.messages == []
    run(datetime(2027, 1, 11, 6, 0, tzinfo=UTC))
    [message] = smtp_inbox.messages
    assert "is due today, on 11 January 2027:" in body(message)
    assert "Status: In progress." in body(message)


def test_moving_the_due_date_arms_the_reminders_again(acme_team, alice, dana, smtp_inbox):
    action = make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 12))
    run()
    action.due_on = date(2027, 1, 20)
    action.save()
    run(datetime(2027, 1, 13, 9, 0, tzinfo=UTC))  # neither due soon nor overdue any more
    assert len(smtp_inbox.messages) == 1
    run(datetime(2027, 1, 17, 9, 0, tzinfo=UTC))
    assert len(smtp_inbox.messages) == 2
    assert smtp_inbox.messages[-1]["Subject"].startswith("Due 20 January 2027:")
    assert Reminder.objects.filter(key=f"due_soon:action={action.pk}:due=2027-01-20").exists()


def test_a_named_owner_without_an_account_is_reminded_through_the_creator(
    acme_team, alice, smtp_inbox
):
    action = make_action(acme_team, by=alice, owner_name="Priya Raman", due_on=date(2027, 1, 11))
    output = run()
    assert f"sent due-soon reminder for action {action.pk} to alice@example.com" in output
    [message] = smtp_inbox.messages
    assert message["To"] == "alice@example.com"
    text = body(message)
    assert "Priya Raman owns it but has no account on the site" in text
    assert "this reminder comes to you, who added it to the plan" in text
    assert f"{SITE}/actions/{action.pk}/" in text


def test_an_owner_without_an_address_is_reminded_through_the_creator(
    acme_team, alice, dana, smtp_inbox
):
    dana.email = ""
    dana.save()
    make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 1))
    run()
    [message] = smtp_inbox.messages
    assert message["To"] == "alice@example.com"
    assert "Dana Okafor owns it but has no e-mail address on the site" in body(message)


def test_a_former_member_gets_nothing(acme_team, alice, dana, smtp_inbox):
    action = make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 11))
    Membership.objects.filter(user=dana).delete()
    run()
    assert smtp_inbox.to("dana@example.com") == []
    # The creator hears instead, told the owner has gone.
    [message] = smtp_inbox.to("alice@example.com")
    assert "Dana Okafor owned it but is no longer a member of Acme" in body(message)

    # And when the creator has left too, nobody does; the command says so.
    other = make_action(acme_team, by=dana, owner=dana, due_on=date(2027, 1, 11))
    output = run()
    assert (
        f"not sent due-soon reminder for action {other.pk}: its owner and its creator are not "
        "members with an e-mail address"
    ) in output
    assert len(smtp_inbox.messages) == 1
    assert not Reminder.objects.filter(action=other).exists()
    assert Reminder.objects.filter(action=action).count() == 1


def test_an_archived_team_gets_nothing(acme_team, alice, dana, smtp_inbox):
    make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 1))
    submitted(acme_team, by=alice, at=datetime(2026, 1, 1, tzinfo=UTC))
    acme_team.archived_at = NOW - timedelta(days=30)
    acme_team.save()
    assert "0 reminders sent" in run()
    assert smtp_inbox.messages == []


def test_nothing_of_another_organisation_is_in_a_message(
    acme_team, alice, dana, globex_team, bob, smtp_inbox
):
    make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 11), title="Acme's action")
    make_action(globex_team, by=bob, owner=bob, due_on=date(2027, 1, 11), title="Globex's action")
    # Dana also belongs to Globex: each action still comes in its own message.
    MembershipFactory.create(user=dana, organization=globex_team.organization, role=Role.MEMBER)
    make_action(globex_team, by=bob, owner=dana, due_on=date(2027, 1, 11), title="Globex's other")
    run()
    assert len(smtp_inbox.messages) == 3
    for message in smtp_inbox.messages:
        text = f"{message['Subject']}\n{body(message)}"
        acme = "Acme" in text
        assert acme != ("Globex" in text)
        assert ("Search ranking" in text) != ("Fraud detection" in text)
        assert acme == ("Acme's action" in text)


def test_without_a_site_url_the_message_gives_the_path(
    acme_team, alice, dana, smtp_inbox, settings
):
    settings.SITE_URL = ""
    action = make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 11))
    output = run()
    assert "SITE_URL is not set: the e-mails give page paths, not links." in output
    text = body(smtp_inbox.messages[0])
    assert (
        f"/actions/{action.pk}/ (this page on the MLOps maturity site your organisation uses)"
        in text
    )
    assert "http" not in text


def test_a_dry_run_sends_and_records_nothing(acme_team, alice, dana, smtp_inbox):
    action = make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 11))
    output = run(NOW, "--dry-run")
    assert f"would send due-soon reminder for action {action.pk} to dana@example.com" in output
    assert "Dry run: 1 reminder would be sent; nothing was sent or recorded." in output
    assert smtp_inbox.messages == []
    assert not Reminder.objects.exists()


# Reassessment ----------------------------------------------------------------------------------


_labels = iter(range(1, 10_000))


def submitted(team: Team, *, by: User, at: datetime, lead: User | None = None) -> Assessment:
    """A submitted assessment of `team` at `at`, led by `lead` (a respondent) or its creator."""
    bank = QuestionBank.objects.get_or_create(
        slug="tiny",
        version="1.0",
        defaults={"title": "Tiny", "checksum": "0" * 64, "content": {}, "question_count": 0},
    )[0]
    assessment = Assessment.objects.create(
        team=team,
        bank=bank,
        label=f"Assessment {next(_labels)}",
        status=AssessmentStatus.SUBMITTED,
        created_by=by,
        submitted_by=by,
        submitted_at=at,
    )
    Assessment.objects.filter(pk=assessment.pk).update(created_at=at - timedelta(days=7))
    if lead is not None:
        RespondentModel.objects.create(assessment=assessment, user=lead, is_lead=True)
    return assessment


def test_the_lead_hears_once_when_the_team_is_due_for_a_reassessment(
    acme_team, alice, dana, smtp_inbox
):
    submitted(acme_team, by=alice, at=datetime(2026, 6, 1, tzinfo=UTC), lead=alice)
    latest = submitted(acme_team, by=alice, at=datetime(2026, 10, 5, 14, 0, tzinfo=UTC), lead=dana)
    output = run()  # 3 months (the default cadence) after 5 October is 5 January
    assert f"sent reassessment reminder for team {acme_team.pk} to dana@example.com" in output
    [message] = smtp_inbox.messages
    assert message["To"] == "dana@example.com"
    assert message["Subject"] == "Time to reassess Fraud detection (Acme)"
    text = body(message)
    assert text.startswith("Hello Dana Okafor,")
    assert "Fraud detection (Acme) reassesses its MLOps maturity every quarter." in text
    assert f'Its latest assessment, "{latest.label}", was submitted on 5 October 2026' in text
    assert "so the next one was due on 5 January 2027." in text
    assert f"{SITE}/teams/{acme_team.pk}/assessments/new/" in text
    assert f"{SITE}/teams/{acme_team.pk}/" in text.splitlines()
    assert Reminder.objects.get().key == f"reassessment:team={acme_team.pk}:after={latest.pk}"

    run(NOW + timedelta(days=1))
    assert len(smtp_inbox.messages) == 1

    # The next submission starts the count again.
    submitted(acme_team, by=alice, at=datetime(2027, 1, 20, tzinfo=UTC), lead=dana)
    run(datetime(2027, 4, 19, tzinfo=UTC))
    assert len(smtp_inbox.messages) == 1
    run(datetime(2027, 4, 20, tzinfo=UTC))
    assert len(smtp_inbox.messages) == 2


def test_no_reminder_before_the_cadence_has_run_out(acme_team, alice, smtp_inbox):
    submitted(acme_team, by=alice, at=datetime(2026, 10, 11, tzinfo=UTC))
    assert "0 reminders sent" in run()
    acme_team.reassessment_months = 1
    acme_team.save()
    assert "1 reminder sent" in run()
    [message] = smtp_inbox.to("alice@example.com")  # no lead respondent: the creator leads
    assert "reassesses its MLOps maturity every month." in body(message)


def test_no_reminder_with_the_cadence_off(acme_team, alice, smtp_inbox):
    acme_team.reassessment_months = 0
    acme_team.save()
    submitted(acme_team, by=alice, at=datetime(2025, 1, 1, tzinfo=UTC))
    assert "0 reminders sent" in run()
    assert smtp_inbox.messages == []


def test_no_reminder_when_the_next_assessment_was_started(acme_team, alice, smtp_inbox):
    latest = submitted(acme_team, by=alice, at=datetime(2026, 6, 1, tzinfo=UTC))
    draft = Assessment.objects.create(
        team=acme_team, bank=latest.bank, label="2027 Q1", created_by=alice
    )
    Assessment.objects.filter(pk=draft.pk).update(created_at=datetime(2026, 12, 1, tzinfo=UTC))
    assert "0 reminders sent" in run()
    # A draft older than the submission (one left aside) does not count as reassessing.
    Assessment.objects.filter(pk=draft.pk).update(created_at=datetime(2026, 5, 1, tzinfo=UTC))
    assert "1 reminder sent" in run()


def test_when_the_lead_has_left_the_owners_hear(acme_team, alice, dana, smtp_inbox):
    other_owner = UserFactory.create(username="olga")
    MembershipFactory.create(user=other_owner, organization=acme_team.organization, role="owner")
    submitted(acme_team, by=dana, at=datetime(2026, 1, 1, tzinfo=UTC), lead=dana)
    Membership.objects.filter(user=dana).delete()
    # An owner of another organisation is never told.
    MembershipFactory.create(user=UserFactory.create(username="gus"), role=Role.OWNER)
    run()
    [message] = smtp_inbox.messages
    assert sorted(message["To"].split(", ")) == ["alice@example.com", "olga@example.com"]
    text = body(message)
    assert text.startswith("Hello,")
    assert (
        "as an owner of Acme: Dana Okafor, who led that assessment, is no longer a member." in text
    )
    assert Reminder.objects.get().sent_to == "alice@example.com, olga@example.com"


def test_calendar_months_end_on_the_last_day_of_a_short_month():
    assert add_months(datetime(2027, 1, 31, 8, tzinfo=UTC), 1) == datetime(
        2027, 2, 28, 8, tzinfo=UTC
    )
    assert add_months(datetime(2026, 11, 30, tzinfo=UTC), 3) == datetime(2027, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2026, 10, 5, tzinfo=UTC), 12) == datetime(2027, 10, 5, tzinfo=UTC)


# Safety: failures, races, the command line, the query count -----------------------------------


def test_a_failing_mail_server_records_nothing_and_the_next_run_retries(
    acme_team, alice, dana, smtp_inbox, settings
):
    action = make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 1))
    submitted(acme_team, by=alice, at=datetime(2026, 1, 1, tzinfo=UTC))
    working_port, settings.EMAIL_PORT = settings.EMAIL_PORT, free_port()  # nothing listens
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("send_reminders", "--now", NOW.isoformat(), stdout=out, stderr=err)
    assert failure.value.returncode == 1
    assert str(failure.value) == (
        "2 reminders could not be sent (the mail server refused or could not be reached); "
        "the next run tries again"
    )
    assert f"failed overdue reminder for action {action.pk} to dana@example.com: " in (
        err.getvalue()
    )
    assert "0 reminders sent, 2 failed." in out.getvalue()
    assert not Reminder.objects.exists()

    settings.EMAIL_PORT = working_port
    assert "2 reminders sent, 0 failed." in run(NOW + timedelta(hours=1))
    assert len(smtp_inbox.messages) == 2


def test_a_reminder_another_run_took_meanwhile_is_not_sent_again(
    acme_team, alice, dana, smtp_inbox, monkeypatch
):
    """Two runs at once both find the reminder unsent; the second one's insert fails on the key."""
    action = make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 11))
    Reminder.objects.create(
        kind="due_soon",
        key=f"due_soon:action={action.pk}:due=2027-01-11",
        action=action,
        team=acme_team,
        sent_to="dana@example.com",
        sent_at=NOW,
    )
    monkeypatch.setattr(reminders_module, "_sent_keys", lambda *_: set())
    report = reminders_send(now=NOW)
    assert ([m.key for m in report.taken], report.sent, report.failed) == (
        [f"due_soon:action={action.pk}:due=2027-01-11"],
        [],
        [],
    )
    assert smtp_inbox.messages == []
    assert Reminder.objects.count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(acme_team, alice, dana, smtp_inbox):
    import threading

    from django.db import connections

    if connection.vendor != "postgresql":
        pytest.skip("concurrent runs need PostgreSQL (run with DATABASE_URL=postgres://...)")
    for n in range(10):
        make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 1 + n), title=f"A{n}")
    barrier = threading.Barrier(2)
    reports: list[reminders_module.ReminderReport] = []

    def one_run() -> None:
        try:
            barrier.wait()
            reports.append(reminders_send(now=NOW))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum(len(r.sent) for r in reports) == 10
    assert sorted(str(m["Subject"]).split(": ")[1].split(" (")[0] for m in smtp_inbox.messages) == [
        f"A{n}" for n in range(10)
    ]
    assert Reminder.objects.count() == 10


def test_a_bad_now_stops_the_command_with_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "send_reminders", "--now", "next tuesday"],
        cwd=ROOT,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/db"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "CommandError: --now must be an ISO 8601 date and time such as "
        "2027-01-10T09:00:00+00:00; got 'next tuesday'"
    ]


def test_a_now_without_offset_is_read_in_the_sites_time_zone(acme_team, alice, dana, smtp_inbox):
    make_action(acme_team, by=alice, owner=dana, due_on=date(2027, 1, 11))
    out = StringIO()
    call_command("send_reminders", "--now", "2027-01-10T09:00", stdout=out)
    assert Reminder.objects.get().sent_at == NOW


def _reads(queries: list[dict[str, str]]) -> list[str]:
    """The queries other than each send's own: its savepoint and its insert."""
    return [
        q["sql"]
        for q in queries
        if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "INSERT INTO"))
    ]


def _plan(organization_name: str, count: int) -> int:
    """An organisation whose team has `count` actions due, owned by as many members, one in
    three by a named person, and a reassessment due. Returns the messages it should get."""
    team = TeamFactory.create(organization=OrganizationFactory.create(name=organization_name))
    creator = UserFactory.create()
    MembershipFactory.create(user=creator, organization=team.organization, role=Role.OWNER)
    for n in range(count):
        owner = UserFactory.create()
        MembershipFactory.create(user=owner, organization=team.organization)
        make_action(
            team,
            by=creator,
            owner=None if n % 3 == 0 else owner,
            owner_name=f"Person {n}" if n % 3 == 0 else "",
            due_on=date(2027, 1, 5) if n % 2 else date(2027, 1, 11),
        )
    lead = UserFactory.create()
    MembershipFactory.create(user=lead, organization=team.organization)
    submitted(team, by=creator, at=datetime(2026, 1, 1, tzinfo=UTC), lead=lead)
    return count + 1


def test_the_queries_do_not_grow_with_the_number_of_actions(smtp_inbox):
    expected = _plan("Three", 3)
    with CaptureQueriesContext(connection) as three:
        report = reminders_send(now=NOW)
    assert len(report.sent) == expected
    expected += _plan("Thirty", 30)
    with CaptureQueriesContext(connection) as thirty:
        report = reminders_send(now=NOW)
    assert len(report.sent) == 31
    assert len(smtp_inbox.messages) == expected
    # actions, latest assessments, their leads, reminders sent, memberships
    assert len(_reads(three.captured_queries)) == len(_reads(thirty.captured_queries)) == 5
    inserts = [q for q in thirty.captured_queries if q["sql"].startswith("INSERT INTO")]
    assert len(inserts) == 31


# The team's cadence ----------------------------------------------------------------------------


def test_the_team_settings_set_the_cadence(alice_client: Client, acme_team: Team):
    page = alice_client.get(f"/teams/{acme_team.pk}/settings/").content.decode()
    assert "Remind the lead to reassess every" in page
    assert '<option value="3" selected>Quarter</option>' in page
    response = alice_client.post(
        f"/teams/{acme_team.pk}/settings/",
        {"name": acme_team.name, "description": "", "reassessment_months": "12"},
    )
    assert response.status_code == 302
    acme_team.refresh_from_db()
    assert acme_team.reassessment_months == 12
    page = alice_client.get(f"/teams/{acme_team.pk}/settings/").content.decode()
    assert '<option value="12" selected>Year</option>' in page

    # A form posted without the field (an older page) keeps the cadence.
    alice_client.post(f"/teams/{acme_team.pk}/settings/", {"name": "Fraud", "description": ""})
    acme_team.refresh_from_db()
    assert (acme_team.name, acme_team.reassessment_months) == ("Fraud", 12)

    refused = alice_client.post(
        f"/teams/{acme_team.pk}/settings/", {"name": "Fraud", "reassessment_months": "5"}
    )
    assert refused.status_code == 200
    assert "Select a valid choice. 5 is not one of the available choices." in (
        refused.content.decode()
    )


def test_a_new_team_takes_its_cadence_from_the_form(alice_client: Client, acme_team: Team):
    alice_client.post("/orgs/acme/teams/new/", {"name": "Churn", "reassessment_months": "0"})
    alice_client.post("/orgs/acme/teams/new/", {"name": "Search"})
    cadences = dict(Team.objects.values_list("name", "reassessment_months"))
    assert (cadences["Churn"], cadences["Search"]) == (0, 3)


# The background worker -------------------------------------------------------------------------


def _queued() -> list[datetime]:
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return list(
        DBTaskResult.objects.filter(
            task_path="assessment.services.reminder_task.send_reminders_hourly",
            status=TaskResultStatus.READY,
        )
        .order_by("run_after")
        .values_list("run_after", flat=True)
    )


def test_the_worker_option_is_off_by_default(settings):
    from assessment.services.reminder_task import send_reminders_hourly

    settings.REMINDERS_IN_WORKER = False
    with pytest.raises(CommandError, match="REMINDERS_IN_WORKER is off"):
        call_command("schedule_reminders", stdout=StringIO())
    # A run queued before it was turned off does nothing, and queues no next run.
    assert send_reminders_hourly.call() == {"sent": 0, "failed": 0}
    assert _queued() == []


def test_one_chain_of_runs_at_most(settings):
    from assessment.services.reminder_task import reminders_schedule, send_reminders_hourly

    settings.REMINDERS_IN_WORKER = True
    out = StringIO()
    call_command("schedule_reminders", stdout=out)
    call_command("schedule_reminders", stdout=out)
    first, second = out.getvalue().splitlines()
    assert first.startswith("Queued: the worker sends the reminders due at ")
    assert second.startswith("Already queued: the worker's next reminder run is at ")
    assert len(_queued()) == 1

    # Two chains that raced (queued behind each other's back) are folded into the earliest.
    later = timezone.now() + timedelta(hours=2)
    send_reminders_hourly.using(run_after=later).enqueue()
    send_reminders_hourly.using(run_after=later + timedelta(minutes=5)).enqueue()
    assert len(_queued()) == 3
    scheduled = reminders_schedule(at=timezone.now())
    assert not scheduled.queued
    assert _queued() == [scheduled.at]


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_reminders_and_queues_the_next_run(settings, smtp_inbox):
    settings.REMINDERS_IN_WORKER = True
    team = TeamFactory.create(name="Fraud detection", organization__name="Acme")
    owner = UserFactory.create(username="dana")
    MembershipFactory.create(user=owner, organization=team.organization)
    today = timezone.localdate()
    action = make_action(team, by=owner, owner=owner, due_on=today - timedelta(days=1))
    call_command("schedule_reminders", stdout=StringIO())
    started = timezone.now()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())
    [message] = smtp_inbox.to("dana@example.com")
    assert message["Subject"].startswith("Overdue, was due ")
    assert f"{SITE}/actions/{action.pk}/" in body(message)
    [next_run] = _queued()
    assert started + timedelta(minutes=59) < next_run <= timezone.now() + timedelta(hours=1)


def test_bad_reminder_settings_stop_start_up():
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    for env, message in [
        ({"REMINDER_DAYS_BEFORE": "soon"}, "REMINDER_DAYS_BEFORE must be a whole number"),
        ({"REMINDER_DAYS_BEFORE": "-1"}, "REMINDER_DAYS_BEFORE must be a number of days from 0"),
        ({"SITE_URL": "maturity.example.com"}, "SITE_URL must be the site's address"),
        ({"REMINDERS_IN_WORKER": "sometimes"}, "REMINDERS_IN_WORKER must be one of 1/0"),
    ]:
        result = subprocess.run(
            [sys.executable, "-c", "import django; django.setup()"],
            cwd=ROOT,
            env=environment | {"DJANGO_SETTINGS_MODULE": "core.settings", "DEBUG": "1"} | env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode != 0
        assert message in result.stderr
