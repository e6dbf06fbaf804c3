"""Exports (CSV, JSON) and imports: consultants move assessments between workshops and clients."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from assessment.models import Answer, Assessment
from assessment.services.assessments import assessment_start
from tests.web.helpers import (
    answer_everything_via_services,
    load_bank_with_renamed_question,
    phase_post_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(alice_client, alice, draft):
    answer_everything_via_services(alice, draft, "0.5")
    alice_client.post(
        f"/assessments/{draft.pk}/phases/design/",
        phase_post_data(
            draft,
            "design",
            {"DES-0-01": {"value": "1", "evidence": "https://wiki/kpi", "note": "=cmd|calc"}},
            seen={"DES-0-01-value": "0.5"},
        ),
    )
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    draft.refresh_from_db()
    return draft


def test_the_csv_has_one_row_per_question(alice_client, submitted):
    response = alice_client.get(f"/assessments/{submitted.pk}/export.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == ('attachment; filename="fraud-detection-2026-q4.csv"')
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == len(submitted.bank.bank().questions) == 74
    assert list(rows[0]) == [
        "code",
        "phase",
        "level",
        "statement",
        "answer",
        "evidence",
        "note",
        "na_reason",
    ]
    first = rows[0]
    assert (first["code"], first["phase"], first["level"], first["answer"]) == (
        "DES-0-01",
        "design",
        "0",
        "1",
    )
    assert first["evidence"] == "https://wiki/kpi"
    # A note that a spreadsheet would run as a formula is defused.
    assert first["note"] == "'=cmd|calc"
    assert {row["answer"] for row in rows[1:]} == {"0.5"}


def test_the_json_holds_answers_team_targets_and_result(alice_client, submitted):
    data = json.loads(alice_client.get(f"/assessments/{submitted.pk}/export.json").content)
    assert data["format"] == "mlops-maturity-assessment"
    assert (data["team"], data["label"], data["status"]) == (
        "Fraud detection",
        "2026 Q4",
        "submitted",
    )
    assert data["bank"] == "mlops-maturity@2.0"
    assert data["input"]["answers"]["DES-0-01"] == {
        "value": "1",
        "evidence": "https://wiki/kpi",
        "note": "=cmd|calc",
    }
    assert data["input"]["team"]["data_scientist"] == "present"
    assert data["result"] == submitted.result


def test_an_exported_assessment_imports_into_another_team_unchanged(
    alice_client, submitted, acme_team
):
    from tests.factories import TeamFactory

    other = TeamFactory.create(organization=acme_team.organization, name="Pricing")
    exported = alice_client.get(f"/assessments/{submitted.pk}/export.json").content
    response = alice_client.post(
        f"/teams/{other.pk}/assessments/import/",
        {"file": SimpleUploadedFile("q4.json", exported, "application/json")},
    )
    imported = Assessment.objects.get(team=other)
    assert response["Location"] == f"/assessments/{imported.pk}/review/"
    assert (imported.label, imported.status) == ("2026 Q4", "draft")
    assert imported.composition == submitted.composition
    original = {
        a.question_code: (a.value, a.evidence, a.note)
        for a in Answer.objects.filter(respondent__assessment=submitted)
    }
    copied = {
        a.question_code: (a.value, a.evidence, a.note)
        for a in Answer.objects.filter(respondent__assessment=imported)
    }
    assert copied == original
    # Submitting the import reproduces the same result.
    alice_client.post(f"/assessments/{imported.pk}/submit/")
    imported.refresh_from_db()
    assert imported.result == submitted.result


def test_an_answers_file_imports_with_a_label(alice_client, acme_team, mlops_bank):
    content = b"bank: mlops-maturity@1.0\nanswers:\n  DES-0-01: 1\nteam: {data_scientist: shared}\n"
    response = alice_client.post(
        f"/teams/{acme_team.pk}/assessments/import/",
        {"file": SimpleUploadedFile("workshop.yaml", content), "label": "Workshop"},
    )
    assert response.status_code == 302
    imported = Assessment.objects.get()
    assert imported.label == "Workshop"
    assert imported.composition == {"data_scientist": "shared"}
    assert list(Answer.objects.values_list("question_code", "value")) == [("DES-0-01", "1")]


def test_an_invalid_file_lists_every_problem_and_imports_nothing(
    alice_client, acme_team, mlops_bank
):
    content = (
        b"bank: mlops-maturity@1.0\nanswers:\n  DES-0-01: 3\n  XYZ-1-01: 1\n"
        b"  OPS-2-02: {value: na}\nthreshold: 70\n"
    )
    response = alice_client.post(
        f"/teams/{acme_team.pk}/assessments/import/",
        {"file": SimpleUploadedFile("bad.yaml", content), "label": "Bad"},
    )
    assert response.status_code == 200
    assert response.context["problems"] == [
        "answers.DES-0-01: 3 is not an answer; use 0, 0.5, 1, na or unknown",
        "answers.XYZ-1-01: no such question in mlops-maturity@1.0",
        'answers.OPS-2-02: "na" needs a reason',
    ]
    assert "Nothing was imported: 3 problems in the file" in response.content.decode()
    assert Assessment.objects.count() == 0
    assert Answer.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("notes.txt", b"hello", "use the .json file exported here, or an answers file"),
        ("x.json", b"{not json", "x.json: not valid JSON"),
        ("x.yaml", b"bank: mlops-maturity@7.0\n", "bank: mlops-maturity@7.0 is not loaded"),
        ("x.yaml", b"bank: &a [*a]\n", "aliases (*a) are not allowed in an answers file"),
        ("x.json", b"[" * 50_000, "x.json: not valid JSON (maximum recursion depth"),
        ("x.yaml", b"bank: mlops-maturity@1.0\nthreshold: 70\n", "threshold: assessments here"),
        (
            "x.yaml",
            b"bank: mlops-maturity@1.0\nanswers:\n  DES-1-06: {value: na, reason: '"
            + b"r" * 501
            + b"'}\n",
            "answers.DES-1-06.reason: 501 characters; at most 500",
        ),
    ],
)
def test_unusable_files_are_refused_with_a_reason(
    alice_client, acme_team, mlops_bank, name, content, problem
):
    response = alice_client.post(
        f"/teams/{acme_team.pk}/assessments/import/",
        {"file": SimpleUploadedFile(name, content), "label": "x"},
    )
    assert response.status_code == 200
    assert len(response.context["problems"]) == 1
    assert problem in response.context["problems"][0]
    assert Assessment.objects.count() == 0


def test_a_viewer_cannot_import_and_another_org_cannot_export(client, submitted, bob, globex_team):
    client.force_login(bob)
    assert client.get(f"/assessments/{submitted.pk}/export.csv").status_code == 404
    assert client.get(f"/assessments/{submitted.pk}/export.json").status_code == 404
    assert client.get(f"/teams/{submitted.team.pk}/assessments/import/").status_code == 404


def test_the_next_assessment_starts_from_the_last_one(alice_client, submitted, mlops_bank):
    page = alice_client.get(f"/teams/{submitted.team.pk}/assessments/new/")
    assert "Start from the answers of \u201c2026 Q4\u201d" in page.content.decode()
    alice_client.post(
        f"/teams/{submitted.team.pk}/assessments/new/",
        {"bank": mlops_bank.pk, "label": "2027 Q1", "copy_previous": "on"},
    )
    following = Assessment.objects.get(label="2027 Q1")
    assert following.composition == submitted.composition
    copied = dict(
        Answer.objects.filter(respondent__assessment=following).values_list(
            "question_code", "value"
        )
    )
    assert len(copied) == 74
    assert copied["DES-0-01"] == "1"
    # Same bank version: copied as it was, nothing to confirm.
    assert not Answer.objects.filter(respondent__assessment=following).exclude(carried="").exists()
    assert following.events.get().detail == "started from 2026 Q4"


def test_starting_fresh_copies_nothing(alice_client, submitted, mlops_bank):
    alice_client.post(
        f"/teams/{submitted.team.pk}/assessments/new/",
        {"bank": mlops_bank.pk, "label": "Fresh"},
    )
    fresh = Assessment.objects.get(label="Fresh")
    assert fresh.composition == {}
    assert not Answer.objects.filter(respondent__assessment=fresh).exists()


def test_answers_follow_renamed_questions_into_a_new_bank_version(
    alice, submitted, acme_team, tmp_path
):
    """Bank 2.1 renames DES-0-01 to DES-0-10 (declaring `replaces`); its answer follows, marked
    for confirmation since the bank version changed."""
    following = assessment_start(
        team=acme_team,
        bank=load_bank_with_renamed_question(tmp_path),
        label="2027 Q1",
        targets={},
        by=alice,
        copy_from=submitted,
    )
    copied = dict(
        Answer.objects.filter(respondent__assessment=following).values_list(
            "question_code", "value"
        )
    )
    assert "DES-0-01" not in copied
    assert copied["DES-0-10"] == "1"
    assert len(copied) == 74
    renamed = Answer.objects.get(respondent__assessment=following, question_code="DES-0-10")
    assert (renamed.carried, renamed.carried_from) == ("carried", "DES-0-01 in version 2.0")


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        (
            "big.yaml",
            b"bank: mlops-maturity@1.0\n#" + b"x" * (2 * 1024 * 1024) + b"\n",
            "the file is larger than 2 MB; an assessment file is a few kilobytes",
        ),
        (
            "many.yaml",
            b"bank: mlops-maturity@1.0\nx: [" + b"1, " * 30_000 + b"]\n",
            "many.yaml: more than 10000 values; a complete answers file holds about 500",
        ),
        (
            "deep.yaml",
            b"bank: mlops-maturity@1.0\nx: " + b"[" * 100 + b"]" * 100 + b"\n",
            "deep.yaml: nested more than 20 levels deep; an answers file needs 3",
        ),
    ],
)
def test_a_hostile_file_is_refused_before_it_is_parsed_through(
    alice_client, acme_team, mlops_bank, name, content, problem
):
    response = alice_client.post(
        f"/teams/{acme_team.pk}/assessments/import/",
        {"file": SimpleUploadedFile(name, content), "label": "x"},
    )
    assert response.status_code == 200
    assert response.context["problems"] == [problem]
    assert Assessment.objects.count() == 0


def test_the_largest_assessment_exported_here_imports_back(alice_client, alice, draft):
    # Every answer with its evidence and note at the web form's limits, in accented text.
    bank = draft.bank.bank()
    answer_everything_via_services(alice, draft, "1")
    Answer.objects.filter(respondent__assessment=draft).update(evidence="é" * 2000, note="ü" * 2000)
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    exported = alice_client.get(f"/assessments/{draft.pk}/export.json").content
    assert len(exported) > 900 * 1024
    response = alice_client.post(
        f"/teams/{draft.team.pk}/assessments/import/",
        {"file": SimpleUploadedFile("full.json", exported), "label": "Again"},
    )
    assert response.status_code == 302, response.context["problems"]
    imported = Assessment.objects.get(label="Again")
    assert Answer.objects.filter(respondent__assessment=imported).count() == len(bank.questions)
