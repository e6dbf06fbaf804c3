"""Text a user sends that no database stores: NUL characters (PostgreSQL refuses them) and
unpaired surrogates (not UTF-8). Each is refused or cleaned with a clear message, never a 500,
on SQLite and PostgreSQL alike."""

from __future__ import annotations

import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from assessment.models import Answer, Assessment, AssessmentEvent
from core.models import Team
from tests.web.helpers import answer_everything_via_services, phase_post_data

pytestmark = pytest.mark.django_db

UNSAFE = "contains a NUL character or an unpaired surrogate"


def test_a_nul_in_the_dashboard_search_is_dropped(alice_client, acme_team):
    response = alice_client.get("/orgs/acme/?q=Fra%00ud")
    assert response.status_code == 200
    assert response.context["query"] == "Fraud"
    assert [row.team_name for row in response.context["snapshots"]] == ["Fraud detection"]


def test_a_nul_in_the_switchers_slug_is_dropped(alice_client, acme_team):
    response = alice_client.get("/orgs/?slug=acme%00")
    assert (response.status_code, response["Location"]) == (302, "/orgs/acme/")
    # Nothing left of the slug: no choice made, so the home page that lists the organisations.
    assert alice_client.get("/orgs/?slug=%00")["Location"] == "/"


def test_a_reopen_reason_with_a_nul_is_refused_and_nothing_changes(alice_client, alice, draft):
    answer_everything_via_services(alice, draft)
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    response = alice_client.post(f"/assessments/{draft.pk}/reopen/", {"reason": "ty\x00po"})
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{draft.pk}/review/"
    assert [str(m) for m in get_messages(response.wsgi_request)][-1] == (
        f"The reason {UNSAFE}: remove it and reopen again. Nothing was changed."
    )
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert not AssessmentEvent.objects.filter(kind="reopened").exists()


def test_a_nul_in_a_phase_form_is_a_field_error(alice_client, draft):
    response = alice_client.post(
        f"/assessments/{draft.pk}/phases/design/",
        phase_post_data(draft, "design", {"DES-0-01": {"value": "1", "note": "a\x00b"}}),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["DES-0-01-note"] == ["Null characters are not allowed."]
    assert Answer.objects.count() == 0


def test_an_encoded_surrogate_in_a_form_post_arrives_as_replacement_characters(alice_client, draft):
    # %ED%A0%80 is "\ud800" encoded as UTF-8 would, which UTF-8 forbids: Django decodes it with
    # replacement characters, so a surrogate never reaches a form or the database.
    data = phase_post_data(draft, "design", {"DES-0-01": {"value": "1", "note": "x"}})
    body = "&".join(f"{key}={value}" for key, value in data.items()).replace(
        "note=x", "note=a%ED%A0%80b"
    )
    response = alice_client.post(
        f"/assessments/{draft.pk}/phases/design/",
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 302
    (note,) = Answer.objects.values_list("note", flat=True)
    assert note.startswith("a\ufffd")
    assert note.endswith("b")
    assert not any("\ud800" <= c <= "\udfff" for c in note)


def import_problems(client: Client, team: Team, name: str, content: bytes) -> list[str]:
    response = client.post(
        f"/teams/{team.pk}/assessments/import/",
        {"file": SimpleUploadedFile(name, content), "label": "x"},
    )
    assert response.status_code == 200
    assert Assessment.objects.count() == 0
    problems: list[str] = response.context["problems"]
    return problems


@pytest.mark.parametrize("text", ["a\x00b", "a\ud800b"])
def test_an_imported_note_with_a_nul_or_a_lone_surrogate_is_refused(
    alice_client, acme_team, mlops_bank, text
):
    content = json.dumps(
        {"bank": "mlops-maturity@1.0", "answers": {"DES-0-01": {"value": 1, "note": text}}}
    ).encode()
    assert import_problems(alice_client, acme_team, "a.json", content) == [
        f"answers.DES-0-01.note: {UNSAFE}"
    ]


def test_a_nul_written_as_a_yaml_escape_is_refused(alice_client, acme_team, mlops_bank):
    content = b'bank: mlops-maturity@1.0\nanswers:\n  DES-0-01: {value: 1, evidence: "a\\0b"}\n'
    assert import_problems(alice_client, acme_team, "a.yaml", content) == [
        f"answers.DES-0-01.evidence: {UNSAFE}"
    ]


def test_an_exported_label_with_a_lone_surrogate_is_refused(alice_client, acme_team, mlops_bank):
    content = json.dumps(
        {
            "format": "mlops-maturity-assessment",
            "label": "Q\ud8004",
            "input": {"bank": "mlops-maturity@1.0", "answers": {"DES-0-01": 1}},
        }
    ).encode()
    assert import_problems(alice_client, acme_team, "e.json", content) == [f"label: {UNSAFE}"]


def test_a_key_with_a_lone_surrogate_is_named_escaped(alice_client, acme_team, mlops_bank):
    content = json.dumps({"bank": "mlops-maturity@1.0", "answers": {"DES\ud800": 1}}).encode()
    assert import_problems(alice_client, acme_team, "k.json", content) == [
        f"answers.DES\\ud800: the key {UNSAFE}"
    ]
