"""An organisation moves between instances without loss: its ZIP export, imported into an
instance that does not have it, gives back every team, assessment, answer, result and action."""

from __future__ import annotations

import io
import json
import struct
import time
import zipfile
from datetime import date, timedelta
from io import StringIO
from typing import TYPE_CHECKING, Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from assessment.formats import organization_file as fmt
from assessment.formats.organization_file import (
    ORGANIZATION_FILE,
    OrganizationFileError,
    read_organization_zip,
)
from assessment.models import (
    Action,
    Answer,
    Assessment,
    ExportJob,
    FinalAnswer,
    QuestionBank,
    ReportCommentary,
    TeamStanding,
)
from assessment.selectors.answers import scored_answers
from assessment.selectors.organization_file import organization_manifest
from assessment.services.actions import action_create, action_update, actions_accept
from assessment.services.answers import AnswerData, answers_save, final_answers_save
from assessment.services.assessments import (
    assessment_reopen,
    assessment_set_composition,
    assessment_set_naming,
    assessment_start,
    assessment_submit,
)
from assessment.services.commentary import commentary_save
from assessment.services.organization_import import organization_import
from assessment.services.respondents import respondent_add
from core.models import Membership, Organization, Role, Team
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.web.helpers import answer_everything_via_services

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.test import Client

pytestmark = pytest.mark.django_db


# --- a realistic organisation -------------------------------------------------------------------


@pytest.fixture
def people(alice: User) -> dict[str, User]:
    carol = UserFactory.create(username="carol", first_name="Carol", last_name="Reyes")
    dave = UserFactory.create(username="dave", first_name="Dave", last_name="Okafor")
    return {"alice": alice, "carol": carol, "dave": dave}


def _answer_all(user: User, assessment: Assessment, values: list[str]) -> None:
    """Every question, cycling through `values`, as `user`'s own sheet."""
    bank = assessment.bank.bank()
    respondent = assessment.respondents.get(user=user)
    answers_save(
        assessment=assessment,
        respondent=respondent,
        changes={
            q.code: AnswerData(value=values[i % len(values)]) for i, q in enumerate(bank.questions)
        },
        by=user,
    )


@pytest.fixture
def organization(
    acme_team: Team, people: dict[str, User], mlops_bank: QuestionBank, mlops_bank_1: QuestionBank
) -> Organization:
    """Acme: Fraud detection (a 1.0 assessment, a reopened one, a team one, a draft carried over
    from 1.0), Search (a draft half answered) and Legacy (archived, submitted by Dave); actions
    of every status, owned by members or named."""
    alice, carol, dave = people["alice"], people["carol"], people["dave"]
    org = acme_team.organization
    for user in (carol, dave):
        MembershipFactory.create(user=user, organization=org, role=Role.MEMBER)
    fraud = acme_team
    fraud.description = "Card fraud models, scored in real time."
    fraud.reassessment_months = 6
    fraud.save()
    search = Team.objects.create(organization=org, name="Search")
    legacy = Team.objects.create(
        organization=org,
        name="Legacy scoring",
        description="Batch models from 2019.",
        reassessment_months=0,
        archived_at=timezone.now() - timedelta(days=3),
    )
    bank = mlops_bank.bank()
    roles = [role.code for role in bank.roles]
    composition = {roles[0]: "present", roles[1]: "shared", roles[2]: "absent"}

    # Fraud, 2026 Q2: bank 1.0, alone, submitted.
    q2 = assessment_start(
        team=fraud, bank=mlops_bank_1, label="2026 Q2", targets={"design": 2}, by=alice
    )
    assessment_set_composition(
        assessment=q2,
        composition={r.code: "present" for r in mlops_bank_1.bank().roles},
        by=alice,
    )
    _answer_all(alice, q2, ["1", "0.5", "0", "unknown"])
    assessment_submit(assessment=q2, by=alice)

    # Fraud, 2026 Q3: bank 2.0, alone, submitted then reopened and changed since.
    q3 = assessment_start(team=fraud, bank=mlops_bank, label="2026 Q3", targets={}, by=alice)
    assessment_set_composition(assessment=q3, composition=composition, by=alice)
    _answer_all(alice, q3, ["0.5", "1"])
    na_question = next(q for q in bank.questions if q.allow_na)
    answers_save(
        assessment=q3,
        respondent=q3.respondents.get(is_lead=True),
        changes={
            na_question.code: AnswerData(value="na", reason="batch scoring only"),
            bank.questions[0].code: AnswerData(
                value="1", evidence="https://wiki.example/kpi", note="=reviewed, quarterly"
            ),
        },
        by=alice,
    )
    assessment_submit(assessment=q3, by=alice)
    actions_accept(
        assessment=q3,
        codes=[rec.code for rec in _recommendations(q3)[:3]],
        by=alice,
        today=date(2026, 10, 1),
    )
    assessment_reopen(assessment=q3, by=alice, reason="a practice was missed")
    answers_save(
        assessment=q3,
        respondent=q3.respondents.get(is_lead=True),
        changes={bank.questions[1].code: AnswerData(value="0", note="was over-rated")},
        by=alice,
    )

    # Fraud, 2026 Q4: bank 2.0, answered as a team, settled, named, submitted, commented.
    q4 = assessment_start(
        team=fraud, bank=mlops_bank, label="2026 Q4", targets={"operations": 2}, by=alice
    )
    assessment_set_composition(assessment=q4, composition=composition, by=alice)
    respondent_add(assessment=q4, user=carol, role=roles[0], phases=[], by=alice)
    respondent_add(assessment=q4, user=dave, role=roles[1], phases=[bank.phases[0].code], by=alice)
    _answer_all(alice, q4, ["1"])
    _answer_all(carol, q4, ["0", "1", "0.5"])
    _answer_all(dave, q4, ["1", "0"])
    final_answers_save(
        assessment=q4,
        changes={
            q.code: AnswerData(
                value=["1", "0.5", "0"][i % 3],
                evidence="CI pipeline" if i % 5 == 0 else "",
                note="settled in the workshop" if i % 7 == 0 else "",
            )
            for i, q in enumerate(bank.questions)
        },
        by=alice,
    )
    assessment_set_naming(assessment=q4, name_respondents=True, by=alice)
    assessment_submit(assessment=q4, by=alice)
    commentary_save(
        assessment=q4,
        executive="Strong in design, weak in operations.",
        notes={"summary": "Read with the Q3 report."},
        seen_version=q4.result_version,
        by=alice,
        publish=True,
    )
    accepted = actions_accept(
        assessment=q4,
        codes=[rec.code for rec in _recommendations(q4)[:4]],
        by=alice,
        today=date(2027, 1, 10),
    )
    action_update(action=accepted[0], by=alice, status="in_progress", owner_id=carol.pk)
    action_update(action=accepted[1], by=alice, status="done", owner_id=alice.pk)
    action_update(
        action=accepted[2], by=alice, status="dropped", dropped_reason="bought a product instead"
    )
    action_update(action=accepted[3], by=alice, owner_name="Priya (contractor)")
    action_create(
        team=fraud,
        by=alice,
        title="Write the runbook",
        practices=[bank.questions[5].code],
        owner_name="Sam from ops",
        due_on=date(2027, 3, 31),
        notes="With the on-call rota.",
    )

    # Fraud, 2027 Q1: a draft started from the 1.0 assessment, its answers carried over.
    assessment_start(
        team=fraud, bank=mlops_bank, label="2027 Q1", targets={}, by=alice, copy_from=q2
    )

    # Search, 2026 Q4: a draft half answered, one question with evidence typed but no answer.
    search_q4 = assessment_start(
        team=search, bank=mlops_bank, label="2026 Q4", targets={"design": 1}, by=alice
    )
    answers_save(
        assessment=search_q4,
        respondent=search_q4.respondents.get(is_lead=True),
        changes={
            bank.questions[0].code: AnswerData(value="0.5", note="only for the main model"),
            bank.questions[1].code: AnswerData(value="", evidence="https://wiki.example/draft"),
            bank.questions[2].code: AnswerData(value="unknown"),
        },
        by=alice,
    )
    action_create(team=search, by=alice, title="Pick a feature store", owner_id=dave.pk)

    # Legacy scoring: one assessment, submitted by Dave before the team was archived.
    old = assessment_start(team=legacy, bank=mlops_bank, label="2025", targets={}, by=dave)
    answer_everything_via_services(dave, old, "0")
    assessment_submit(assessment=old, by=dave)
    action_create(
        team=legacy,
        by=dave,
        title="Retire the batch scorer",
        owner_id=dave.pk,
        due_on=date(2025, 12, 1),
        status="done",
    )
    return org


def _recommendations(assessment: Assessment) -> list[Any]:
    from assessment.scoring.results import Result

    assessment.refresh_from_db()
    assert assessment.result is not None
    return list(Result.from_dict(assessment.result).recommendations)


# --- the state to compare -----------------------------------------------------------------------


SHEET_FIELDS = ("question_code", "value", "evidence", "note", "reason", "carried", "carried_from")


def organization_state(organization: Organization, *, importer: str = "alice") -> dict[str, Any]:
    """Everything an organisation holds that must survive the move, as plain values. People are
    shown as the import keeps them: the importer as a user, anyone else by name."""

    def person(user: User | None) -> str | None:
        return user.username if user is not None and user.username == importer else None

    teams = {}
    for team in Team.objects.filter(organization=organization).order_by("name"):
        standing = TeamStanding.objects.filter(team=team).first()
        latest = dict(standing.latest) if standing and standing.latest else None
        if latest:
            latest.pop("id")
        teams[team.name] = {
            "description": team.description,
            "reassessment_months": team.reassessment_months,
            "created_at": team.created_at,
            "archived_at": team.archived_at,
            "standing": (latest, standing.trend if standing else ""),
            "actions": [
                {
                    "title": a.title,
                    "practices": a.practices,
                    "owner": person(a.owner),
                    "owner_name": a.owner_name
                    or (a.owner.get_full_name() if a.owner and person(a.owner) is None else ""),
                    "due_on": a.due_on,
                    "status": a.status,
                    "dropped_reason": a.dropped_reason,
                    "notes": a.notes,
                    "done_at": a.done_at,
                    "created_at": a.created_at,
                    "source": a.source.label if a.source else None,
                }
                for a in Action.objects.filter(team=team)
                .select_related("owner", "source")
                .order_by("created_at", "title")
            ],
        }
    assessments = {}
    for a in Assessment.objects.filter(team__organization=organization).select_related(
        "bank", "team", "submitted_by"
    ):
        scored = scored_answers(a)
        lead_sheet = Answer.objects.filter(respondent__assessment=a, respondent__is_lead=True)
        commentary = ReportCommentary.objects.filter(assessment=a).first()
        assessments[(a.team.name, a.label)] = {
            "status": a.status,
            "created_at": a.created_at,
            "submitted_at": a.submitted_at,
            "submitted_by": person(a.submitted_by),
            "bank": a.bank.key,
            "composition": a.composition,
            "targets": a.targets,
            "result": a.result,
            "summary": a.summary,
            "engine_version": a.engine_version,
            "result_version": a.result_version,
            "name_respondents": a.name_respondents,
            "team_snapshot": a.team_snapshot,
            "as_team": scored.team,
            "scored": {
                code: (r.value, r.evidence, r.note, r.reason)
                for code, r in sorted(scored.answers.items())
            },
            "lead_sheet": None if scored.team else sorted(lead_sheet.values_list(*SHEET_FIELDS)),
            "commentary": (
                commentary.executive,
                commentary.notes,
                commentary.published_at,
                commentary.frozen,
                person(commentary.published_by),
            )
            if commentary
            else None,
        }
    return {
        "organization": (organization.name, organization.slug),
        "teams": teams,
        "assessments": assessments,
    }


def export_zip(client: Client, organization: Organization, by: User) -> bytes:
    """Run the real export task and download its ZIP, as an owner would."""
    from assessment.services.exports import export_organization

    job = ExportJob.objects.create(organization=organization, requested_by=by)
    export_organization.call(job.pk)
    job.refresh_from_db()
    assert job.status == "done", job.error
    client.force_login(by)
    response = client.get(f"/orgs/{organization.slug}/exports/{job.pk}/download/")
    assert response.status_code == 200
    data = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert ORGANIZATION_FILE in names, (
        "the export does not write organization.json yet: add "
        "`archive.writestr(ORGANIZATION_FILE, organization_manifest(job.organization_id))` "
        "to assessment/services/exports.py"
    )
    return data


@pytest.fixture
def exported(client, organization, people, media) -> tuple[bytes, dict[str, Any]]:
    """The organisation's ZIP and its state, then the organisation gone from this instance."""
    return _export_then_delete(client, organization, people)


@pytest.fixture
def exported_quickly(client, organization, people, media, monkeypatch):
    """The same, with a stand-in for each PDF report, for tests about what the import reads
    (it never reads the reports); rendering them takes seconds."""
    from assessment.services import exports

    monkeypatch.setattr(exports, "cached_report_pdf", lambda _sources: b"%PDF-1.7 stand-in")
    return _export_then_delete(client, organization, people)


def _export_then_delete(
    client: Client, organization: Organization, people: dict[str, User]
) -> tuple[bytes, dict[str, Any]]:
    state = organization_state(organization)
    data = export_zip(client, organization, people["alice"])
    organization.delete()
    assert not Assessment.objects.exists()
    assert not Action.objects.exists()
    return data, state


# --- the round trip -----------------------------------------------------------------------------


def test_every_team_assessment_answer_result_and_action_comes_back(exported, people, client):
    data, before = exported
    imported = organization_import(archive=read_organization_zip(data), by=people["alice"])
    after = organization_state(imported)
    assert after["organization"] == ("Acme", "acme")
    assert after["teams"] == before["teams"]
    assert after["assessments"].keys() == before["assessments"].keys()
    for key, expected in before["assessments"].items():
        assert after["assessments"][key] == expected, key
    # What the fixture meant to build is really there, so the comparison above means something.
    assessments = before["assessments"]
    assert assessments[("Fraud detection", "2026 Q2")]["bank"] == "mlops-maturity@1.0"
    reopened = assessments[("Fraud detection", "2026 Q3")]
    assert (reopened["status"], reopened["result"] is not None) == ("draft", True)
    team_one = assessments[("Fraud detection", "2026 Q4")]
    assert team_one["as_team"]
    assert team_one["team_snapshot"]["flagged"]
    assert team_one["commentary"][2] is not None  # published
    carried = assessments[("Fraud detection", "2027 Q1")]["lead_sheet"]
    assert carried
    assert all(row[5] for row in carried)
    pending = assessments[("Search", "2026 Q4")]["lead_sheet"]
    assert any(row[1] == "" and row[2] for row in pending)
    assert assessments[("Legacy scoring", "2025")]["submitted_by"] is None  # Dave's
    statuses = {a["status"] for team in before["teams"].values() for a in team["actions"]}
    assert statuses == {"planned", "in_progress", "done", "dropped"}
    owners = {
        (a["owner"], a["owner_name"]) for team in before["teams"].values() for a in team["actions"]
    }
    assert {("alice", ""), (None, "Carol Reyes"), (None, "Priya (contractor)")} <= owners
    # Their pages read what was restored.
    client.force_login(people["alice"])
    for team in Team.objects.filter(organization=imported):
        assert client.get(f"/teams/{team.pk}/").status_code == 200
    for assessment in Assessment.objects.filter(team__organization=imported):
        page = "result" if assessment.result is not None else "review"
        response = client.get(f"/assessments/{assessment.pk}/{page}/")
        assert response.status_code == 200, (assessment.label, page)
    # The importer owns the new organisation and is its only member.
    assert list(Membership.objects.filter(organization=imported).values_list("user", "role")) == [
        (people["alice"].pk, Role.OWNER)
    ]


def test_importing_the_same_zip_twice_gives_a_second_organisation_with_a_free_slug(
    exported_quickly, people
):
    data, before = exported_quickly
    archive = read_organization_zip(data)
    first = organization_import(archive=archive, by=people["alice"])
    second = organization_import(archive=archive, by=people["alice"])
    assert (first.slug, second.slug) == ("acme", "acme-2")
    again = organization_state(second)
    assert again["teams"] == before["teams"]
    assert again["assessments"] == before["assessments"]
    chosen = organization_import(archive=archive, by=people["alice"], slug="acme-eu")
    assert chosen.slug == "acme-eu"
    with pytest.raises(OrganizationFileError) as taken:
        organization_import(archive=archive, by=people["alice"], slug="acme-eu")
    assert taken.value.problems == [
        "slug: acme-eu is taken on this instance; choose another, or leave it out to take a free "
        "variant of the exported one"
    ]
    assert Organization.objects.filter(name="Acme").count() == 3


def test_the_manifest_says_what_the_assessment_files_do_not(
    organization, people, django_assert_num_queries
):
    with django_assert_num_queries(6):
        manifest = json.loads(organization_manifest(organization.pk))
    assert (manifest["format"], manifest["format_version"]) == (
        "mlops-maturity-organization",
        1,
    )
    assert manifest["organization"] == {"name": "Acme", "slug": "acme"}
    assert [team["name"] for team in manifest["teams"]] == [
        "Fraud detection",
        "Legacy scoring",
        "Search",
    ]
    fraud = manifest["teams"][0]
    owned = next(a for a in fraud["actions"] if a["status"] == "in_progress")
    assert owned["owner"] == {"username": "carol", "name": "Carol Reyes"}
    assert owned["source"] == {"team": "Fraud detection", "label": "2026 Q4"}
    [entry] = [a for a in manifest["assessments"] if a["team"] == "Search"]
    assert list(entry["pending"].values()) == [
        {"evidence": "https://wiki.example/draft", "note": ""}
    ]
    # Constant queries: a second organisation as large reads in as many.
    team = Team.objects.create(organization=organization, name="Another")
    action_create(team=team, by=people["alice"], title="More", owner_id=people["carol"].pk)
    with django_assert_num_queries(6):
        organization_manifest(organization.pk)


# --- refusals -----------------------------------------------------------------------------------


def test_a_bank_not_loaded_here_is_named_and_nothing_is_written(exported_quickly, people):
    data, _ = exported_quickly
    QuestionBank.objects.filter(version="1.0").delete()
    with pytest.raises(OrganizationFileError) as error:
        organization_import(archive=read_organization_zip(data), by=people["alice"])
    assert error.value.problems == [
        "bank: mlops-maturity@1.0 is not loaded on this server (1 assessment(s), e.g. Fraud "
        "detection / 2026 Q2); an administrator loads it with `python manage.py "
        "load_question_bank`"
    ]
    assert not Organization.objects.filter(name="Acme").exists()


def test_answers_that_do_not_fit_their_bank_are_listed_with_the_slug_taken(
    exported_quickly, people
):
    data, _ = exported_quickly
    source = zipfile.ZipFile(io.BytesIO(data))
    [name] = [n for n in source.namelist() if n.endswith("search-2026-q4.json")]
    search = json.loads(source.read(name))
    search["input"]["answers"]["XYZ-9-99"] = {"value": "1"}
    search["input"]["answers"]["DES-0-01"] = {"value": "na"}
    tampered = io.BytesIO()
    with zipfile.ZipFile(tampered, "w") as target:
        for member in source.namelist():
            target.writestr(member, source.read(member) if member != name else json.dumps(search))
    OrganizationFactory.create(slug="taken")
    with pytest.raises(OrganizationFileError) as error:
        organization_import(
            archive=read_organization_zip(tampered.getvalue()), by=people["alice"], slug="taken"
        )
    assert error.value.problems == [
        "slug: taken is taken on this instance; choose another, or leave it out to take a free "
        "variant of the exported one",
        f'"{name}": answers.DES-0-01: "na" is not allowed for this question',
        f'"{name}": answers.XYZ-9-99: no such question in mlops-maturity@2.0',
    ]
    assert not Organization.objects.filter(name="Acme").exists()


def test_a_zip_without_a_manifest_is_refused_as_an_older_export(exported_quickly):
    data, _ = exported_quickly
    source = zipfile.ZipFile(io.BytesIO(data))
    older = io.BytesIO()
    with zipfile.ZipFile(older, "w") as target:
        for name in source.namelist():
            if name != ORGANIZATION_FILE:
                target.writestr(name, source.read(name))
    with pytest.raises(OrganizationFileError) as error:
        read_organization_zip(older.getvalue())
    assert error.value.problems == [fmt.NO_MANIFEST]
    assert "export the organisation again from an up-to-date instance" in fmt.NO_MANIFEST


def test_a_manifest_and_files_that_disagree_list_every_problem(exported_quickly):
    data, _ = exported_quickly
    source = zipfile.ZipFile(io.BytesIO(data))
    manifest = json.loads(source.read(ORGANIZATION_FILE))
    manifest["teams"][0]["actions"][0]["status"] = "wip"
    manifest["teams"][1]["reassessment_months"] = True
    manifest["assessments"][0]["label"] = "2026 Q1"
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as target:
        for name in source.namelist():
            if name != ORGANIZATION_FILE:
                target.writestr(name, source.read(name))
        target.writestr(ORGANIZATION_FILE, json.dumps(manifest))
    with pytest.raises(OrganizationFileError) as error:
        read_organization_zip(broken.getvalue())
    assert error.value.problems == [
        'organization.json: teams[0].actions[0].status: "wip" is not one of planned, '
        "in_progress, done, dropped",
        "organization.json: teams[1].reassessment_months: true is not one of 1, 3, 6, 12, 0",
    ]
    manifest["teams"][0]["actions"][0]["status"] = "planned"
    manifest["teams"][1]["reassessment_months"] = 0
    fixed = io.BytesIO()
    with zipfile.ZipFile(fixed, "w") as target:
        for name in source.namelist():
            if name != ORGANIZATION_FILE:
                target.writestr(name, source.read(name))
        target.writestr(ORGANIZATION_FILE, json.dumps(manifest))
    with pytest.raises(OrganizationFileError) as error:
        read_organization_zip(fixed.getvalue())
    assert error.value.problems[0].startswith(
        'organization.json: assessments[0]: no JSON file in the ZIP holds "Fraud detection" / '
        '"2026 Q1"'
    )
    assert error.value.problems[1].endswith(
        '"Fraud detection" / "2026 Q2" is not in organization.json'
    )


def zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def refused(data: bytes) -> list[str]:
    started = time.monotonic()
    with pytest.raises(OrganizationFileError) as error:
        read_organization_zip(data)
    assert time.monotonic() - started < 1, "a hostile ZIP must fail fast"
    return error.value.problems


def test_a_file_that_is_not_a_zip_is_refused():
    assert refused(b"%PDF-1.7 not a zip at all") == [
        "the file is not a ZIP archive (File is not a zip file)"
    ]


def test_a_zip_bomb_is_refused_before_anything_is_inflated():
    """A few KB claiming 4 GB: its size is read from the directory, never by inflating it."""
    data = bytearray(zip_of({ORGANIZATION_FILE: b"{}", "a/a.json": b"{}"}))
    directory = data.rfind(b"PK\x01\x02")  # the last member's directory entry
    struct.pack_into("<I", data, directory + 24, 0xFFFFFFF0)  # its uncompressed size
    assert len(data) < 4096
    assert refused(bytes(data)) == [
        '"a/a.json": expands to 4.0 GB; no file of an export is larger than 64.0 MB'
    ]


def test_a_member_that_inflates_a_thousand_times_is_refused():
    bomb = zip_of({ORGANIZATION_FILE: b"{}", "a/a.pdf": bytes(20 * 1024 * 1024)})
    assert len(bomb) < 64 * 1024
    [problem] = refused(bomb)
    assert problem.startswith('"a/a.pdf": expands 1,0')
    assert problem.endswith("(20.0 MB from 19.9 KB); refused as a zip bomb")


def test_a_member_larger_than_declared_is_never_read_past_its_declared_size():
    data = bytearray(zip_of({ORGANIZATION_FILE: b"{" + b" " * 5000 + b"}"}))
    for header in (b"PK\x03\x04", b"PK\x01\x02"):  # its local header and its directory entry
        at = data.find(header)
        offset = 22 if header == b"PK\x03\x04" else 24
        struct.pack_into("<I", data, at + offset, 10)
    assert refused(bytes(data)) == [
        "\"organization.json\": cannot be read (Bad CRC-32 for file 'organization.json')"
    ]


@pytest.fixture(scope="module")
def hundred_thousand_members() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for number in range(100_000):
            archive.writestr(f"f{number}.csv", b"")
    return out.getvalue()


def test_a_zip_of_a_hundred_thousand_members_is_refused_from_its_end_record(
    hundred_thousand_members,
):
    assert refused(hundred_thousand_members) == [
        "the ZIP holds 100,000 files; an organisation export holds at most 50,000"
    ]


def test_a_directory_larger_than_any_export_needs_is_refused_before_it_is_read():
    """zipfile reads entries for as many bytes as the directory declares, whatever count the
    end record gives: a lying end record must not make it build millions of entries."""
    data = bytearray(zip_of({ORGANIZATION_FILE: b"{}"}))
    end = data.rfind(b"PK\x05\x06")
    struct.pack_into("<I", data, end + 12, 0x7FFFFFFF)  # the directory's size
    assert refused(bytes(data)) == [
        "the ZIP's directory of files takes 2.0 GB; an organisation export's takes at most 16.0 MB"
    ]


def test_names_that_climb_out_of_the_folder_are_refused():
    data = zip_of(
        {
            ORGANIZATION_FILE: b"{}",
            "../../x": b"",
            "/etc/passwd": b"",
            "a/../../b.json": b"",
            "C:/windows.json": b"",
            "a\\..\\b": b"",
        }
    )
    problems = refused(data)
    assert problems == [
        fmt.BAD_NAME.format(name=json.dumps(name))
        for name in ("../../x", "/etc/passwd", "a/../../b.json", "C:/windows.json", "a\\..\\b")
    ]
    assert problems[0] == (
        '"../../x": not a file name an export holds (an absolute path, or one that climbs out)'
    )


def test_hostile_json_is_refused_with_one_line_per_problem():
    problems = refused(
        zip_of(
            {
                ORGANIZATION_FILE: b"[" * 100_000,
                "a/a.json": b'{"format": "mlops-maturity-assessment", "input": 1}',
                "a/b.json": b"\xff\xfe",
            }
        )
    )
    assert problems[0] == '"a/b.json": not UTF-8 text'
    assert problems[1].startswith("organization.json: not valid JSON (maximum recursion depth")
    assert problems[2:] == [
        '"a/a.json": format_version: must be a whole number from 1, not null',
        '"a/a.json": team: missing',
        '"a/a.json": label: missing',
        '"a/a.json": status: null is not one of draft, submitted',
        '"a/a.json": created_at: missing',
        '"a/a.json": input: must be an object',
    ]
    assert all("\n" not in problem for problem in problems)


MANIFEST = {
    "format": "mlops-maturity-organization",
    "format_version": 1,
    "organization": {"name": "A", "slug": "a"},
    "teams": [
        {
            "name": "T",
            "created_at": "2026-01-01T00:00:00+00:00",
            "reassessment_months": 3,
            "actions": [
                {
                    "title": "x\u0000",
                    "created_at": "yesterday",
                    "status": "done",
                    "due_on": "2026-02-30",
                    "source": {"team": "T", "label": "nope"},
                }
            ],
        }
    ],
    "assessments": [
        {
            "team": "U",
            "label": "L",
            "result_version": -1,
            "name_respondents": 1,
            "answered_as_team": False,
            "pending": {"../x": {}},
        }
    ],
    "extra": 1,
}


def test_every_wrong_value_of_the_manifest_is_named_by_its_place():
    problems = refused(
        zip_of(
            {
                ORGANIZATION_FILE: json.dumps(MANIFEST).encode(),
                "t/q.json": json.dumps(
                    {
                        "format": "mlops-maturity-assessment",
                        "format_version": 1,
                        "team": "T",
                        "label": "Q",
                        "status": "submitted",
                        "created_at": "2026-01-01T00:00:00",
                        "result": {"overall": {}},
                        "input": {},
                    }
                ).encode(),
            }
        )
    )
    assert problems == [
        'organization.json: unknown key "extra"',
        "organization.json: teams[0].actions[0].title: contains a NUL character or an unpaired "
        "surrogate",
        'organization.json: teams[0].actions[0].due_on: "2026-02-30" is not a date (YYYY-MM-DD)',
        'organization.json: teams[0].actions[0].created_at: "yesterday" is not a date and time '
        "with its time zone (ISO 8601)",
        'organization.json: assessments[0].pending."../x": not a question code',
        "organization.json: assessments[0].result_version: must be a whole number from 0, not -1",
        "organization.json: assessments[0].name_respondents: must be true or false, not 1",
        'organization.json: assessments[0]: the team "U" is not among the teams',
        'organization.json: teams[0].actions[0].source: no assessment "T" / "nope" in the export',
        '"t/q.json": created_at: "2026-01-01T00:00:00" is not a date and time with its time zone '
        "(ISO 8601)",
        "\"t/q.json\": result: not a result this instance reads (KeyError: 'bank')",
        '"t/q.json": submitted, but without a result or a date of submission',
    ]


def test_the_formats_limits_are_the_models():
    from core.models import REASSESSMENT_CADENCES

    def length(model: Any, name: str) -> int:
        return int(model._meta.get_field(name).max_length)

    assert length(Team, "name") == fmt.TEAM_NAME_LENGTH
    assert length(Organization, "name") == fmt.ORGANIZATION_NAME_LENGTH
    assert length(Organization, "slug") == fmt.SLUG_LENGTH
    assert length(Assessment, "label") == fmt.LABEL_LENGTH
    assert length(Assessment, "engine_version") == fmt.ENGINE_VERSION_LENGTH
    assert length(Action, "title") == fmt.TITLE_LENGTH
    assert length(Action, "owner_name") == fmt.OWNER_NAME_LENGTH
    assert length(Action, "dropped_reason") == fmt.REASON_LENGTH
    assert length(Action, "notes") == fmt.ACTION_NOTES_LENGTH
    assert length(Answer, "question_code") == fmt.CODE_LENGTH
    assert length(FinalAnswer, "question_code") == fmt.CODE_LENGTH
    assert length(Answer, "evidence") == fmt.EVIDENCE_LENGTH
    assert length(Answer, "note") == fmt.NOTE_LENGTH
    assert length(Answer, "carried") == fmt.CARRIED_LENGTH
    assert length(Answer, "carried_from") == fmt.CARRIED_FROM_LENGTH
    assert sorted(fmt.REASSESSMENT_MONTHS) == sorted(months for months, _ in REASSESSMENT_CADENCES)
    assert tuple(Action.Status.values) == fmt.ACTION_STATUSES
    assert fmt.ASSESSMENT_STATUSES == ("draft", "submitted")


# --- the command --------------------------------------------------------------------------------


def test_the_command_imports_and_says_what_it_created(exported_quickly, people, tmp_path):
    data, _ = exported_quickly
    path = tmp_path / "acme.zip"
    path.write_bytes(data)
    out = StringIO()
    call_command("import_organization", str(path), "--owner", "alice", stdout=out)
    assert out.getvalue() == (
        "Imported Acme as /orgs/acme/, owned by alice: 3 team(s), 6 assessment(s) "
        "(3 submitted), 10 action(s).\n"
    )
    call_command("import_organization", str(path), owner="alice", slug="acme-eu", stdout=out)
    assert "Imported Acme as /orgs/acme-eu/" in out.getvalue()


REFUSED_COMMANDS = [
    (
        ["--owner", "nobody"],
        "owner: no user nobody on this instance; create the account first",
    ),
    (
        ["--owner", "alice", "--slug", "Not A Slug"],
        "slug: Not A Slug is not a slug (lower-case letters, digits and hyphens; at most 80)",
    ),
    (
        ["--owner", "alice", "--slug", "new"],
        "slug: new is reserved: /orgs/new/ is a page of this tool",
    ),
]


def test_the_command_exits_non_zero_with_a_line_per_problem(exported_quickly, people, tmp_path):
    data, _ = exported_quickly
    path = tmp_path / "acme.zip"
    path.write_bytes(data)
    for arguments, expected in REFUSED_COMMANDS:
        err = StringIO()
        with pytest.raises(CommandError) as error:
            call_command(
                "import_organization", str(path), *arguments, stderr=err, stdout=StringIO()
            )
        assert error.value.returncode == 1  # what `manage.py` exits with
        assert err.getvalue().splitlines() == [expected]
        assert str(error.value) == "1 problem found; nothing was imported"
    assert not Organization.objects.filter(name="Acme").exists()


def test_the_command_refuses_a_bad_file_and_an_unknown_owner_together(db, tmp_path):
    path = tmp_path / "notes.zip"
    path.write_bytes(b"not a zip")
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("import_organization", str(path), owner="nobody", stderr=err)
    assert err.getvalue().splitlines() == [
        "owner: no user nobody on this instance; create the account first",
        "the file is not a ZIP archive (File is not a zip file)",
    ]
    assert str(error.value) == "2 problems found; nothing was imported"
    with pytest.raises(CommandError) as missing:
        call_command(
            "import_organization", str(tmp_path / "gone.zip"), owner="nobody", stderr=StringIO()
        )
    assert str(missing.value) == "2 problems found; nothing was imported"
