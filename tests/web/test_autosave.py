"""The phase page's background save: the same form and checks as the Save button, answered in
JSON; and a failed save that says plainly what is not stored."""

from __future__ import annotations

import pytest

from assessment.models import Answer
from tests.web.helpers import phase_post_data

pytestmark = pytest.mark.django_db


def test_an_autosave_stores_the_change_and_answers_in_json(alice_client, draft):
    response = alice_client.post(
        f"/assessments/{draft.pk}/phases/design/",
        phase_post_data(draft, "design", {"DES-0-01": "1"}),
        headers={"X-Autosave": "1"},
    )

    assert response.status_code == 200
    assert response.json() == {"saved": 1, "answered": 1, "total": 74}
    assert Answer.objects.get().question_code == "DES-0-01"


def test_an_autosave_with_a_bad_field_saves_nothing_and_says_why(alice_client, draft):
    response = alice_client.post(
        f"/assessments/{draft.pk}/phases/design/",
        phase_post_data(draft, "design", {"DES-0-01": {"value": "1", "evidence": "yes"}}),
        headers={"X-Autosave": "1"},
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["DES-0-01-evidence"]
    assert not Answer.objects.exists()


def test_a_failed_save_says_the_ticked_answers_are_not_stored(alice_client, draft):
    response = alice_client.post(
        f"/assessments/{draft.pk}/phases/design/",
        phase_post_data(
            draft,
            "design",
            {"DES-0-01": {"value": "1", "evidence": "yes"}, "DES-0-02": "0.5"},
        ),
    )

    body = response.content.decode()
    assert "none of them is stored yet" in body
    blocks = {b.question.code: b for _, blocks in response.context["sections"] for b in blocks}
    assert (blocks["DES-0-02"].answered, blocks["DES-0-02"].unsaved) == (True, True)
    assert (blocks["DES-0-03"].answered, blocks["DES-0-03"].unsaved) == (False, False)
    assert body.count("Not saved yet") == 2


def test_an_autosave_refused_gets_its_reason_as_data(alice_client, client, alice, draft):
    from tests.web.helpers import answer_everything_via_services

    answer_everything_via_services(alice, draft, "1")
    alice_client.post(f"/assessments/{draft.pk}/submit/")

    response = alice_client.post(
        f"/assessments/{draft.pk}/phases/design/",
        phase_post_data(draft, "design", {"DES-0-01": "0"}),
        headers={"X-Autosave": "1"},
    )

    assert response.status_code == 409
    assert response.json() == {
        "error": "This assessment is submitted; an owner can reopen it to change answers."
    }
    # No message queued for some later page.
    assert "submitted; an owner can reopen" not in alice_client.get("/").content.decode()
