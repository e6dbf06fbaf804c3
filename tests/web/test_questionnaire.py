"""Answering an assessment in the browser, without JavaScript: the Django test client."""

from __future__ import annotations

import pytest

from assessment.forms.questionnaire import NA_NEEDS_REASON
from assessment.models import Answer, Assessment, AssessmentEvent
from core.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.web.helpers import answer_everything, phase_post_data

pytestmark = pytest.mark.django_db


def test_starting_an_assessment_chooses_the_latest_bank_and_records_targets(
    alice_client, acme_team, mlops_bank
):
    page = alice_client.get(f"/teams/{acme_team.pk}/assessments/new/")
    assert page.status_code == 200
    assert page.context["form"].initial["bank"] == mlops_bank.pk
    response = alice_client.post(
        f"/teams/{acme_team.pk}/assessments/new/",
        {"bank": mlops_bank.pk, "label": "2026 Q4", "target_operations": "1", "target_design": ""},
    )
    assessment = Assessment.objects.get()
    assert response["Location"] == f"/assessments/{assessment.pk}/team/"
    assert assessment.label == "2026 Q4"
    assert assessment.targets == {"operations": 1}
    assert assessment.respondents.get().user.username == "alice"
    assert list(assessment.events.values_list("kind", flat=True)) == ["created"]


def test_the_composition_step_needs_every_role(alice_client, draft):
    response = alice_client.post(f"/assessments/{draft.pk}/team/", {"data_scientist": "present"})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["ml_engineer"] == ["Say whether anyone in the team is the ML engineer."]
    assert "Nothing was saved" in response.content.decode()


def test_the_composition_step_saves_and_moves_to_the_first_phase(alice_client, draft):
    roles = [r.code for r in draft.bank.bank().roles]
    data = dict.fromkeys(roles, "absent") | {"data_scientist": "shared"}
    response = alice_client.post(f"/assessments/{draft.pk}/team/", data)
    assert response["Location"] == f"/assessments/{draft.pk}/phases/design/"
    draft.refresh_from_db()
    assert draft.composition["data_scientist"] == "shared"
    assert draft.composition["ml_engineer"] == "absent"


def test_a_phase_page_shows_each_question_as_a_fieldset_with_guidance(alice_client, draft):
    body = alice_client.get(f"/assessments/{draft.pk}/phases/operations/").content.decode()
    bank = draft.bank.bank()
    for q in bank.questions_in("operations"):
        assert f'id="q-{q.code}"' in body
    q = bank.question("OPS-1-01")
    assert q.guidance.manual.split()[0] in body
    assert "Don&#x27;t know" in body or "Don't know" in body
    # N/A only where the bank allows it.
    assert 'name="OPS-1-04-value" value="na"' in body
    assert 'name="OPS-1-01-value" value="na"' not in body


def test_save_and_continue_saves_and_moves_on(alice_client, draft):
    data = phase_post_data(
        draft,
        "design",
        {"DES-0-01": "1", "DES-0-02": {"value": "0.5", "evidence": "https://wiki/kpis"}},
    ) | {"continue": "1"}
    response = alice_client.post(f"/assessments/{draft.pk}/phases/design/", data)
    assert response.status_code == 302
    assert response["Location"] == f"/assessments/{draft.pk}/phases/development/"
    saved = {a.question_code: a for a in Answer.objects.all()}
    assert set(saved) == {"DES-0-01", "DES-0-02"}
    assert saved["DES-0-02"].value == "0.5"
    assert saved["DES-0-02"].evidence == "https://wiki/kpis"
    page = alice_client.get(f"/assessments/{draft.pk}/phases/design/")
    assert page.context["progress"].phases[0].answered == 2


def test_a_typed_note_without_an_answer_is_kept(alice_client, draft):
    data = phase_post_data(draft, "design", {"DES-0-03": {"note": "ask Priya on Monday"}})
    alice_client.post(f"/assessments/{draft.pk}/phases/design/", data)
    answer = Answer.objects.get()
    assert (answer.value, answer.note) == ("", "ask Priya on Monday")
    page = alice_client.get(f"/assessments/{draft.pk}/phases/design/")
    assert "ask Priya on Monday" in page.content.decode()
    assert "DES-0-03" in page.context["progress"].phases[0].missing


@pytest.mark.parametrize(
    ("answers", "field", "message"),
    [
        ({"DES-0-01": "2"}, "DES-0-01-value", "Select a valid choice. 2 is not one of the"),
        ({"DES-0-01": "na"}, "DES-0-01-value", "Select a valid choice. na is not one of the"),
        ({"DES-1-06": "na"}, "DES-1-06-reason", NA_NEEDS_REASON),
        (
            {"DES-0-01": {"value": "1", "evidence": "x" * 2001}},
            "DES-0-01-evidence",
            "Evidence: 2001 characters; at most 2000. Shorten it: nothing was saved.",
        ),
    ],
)
def test_bad_input_gets_a_field_error_and_saves_nothing(
    alice_client, draft, answers, field, message
):
    data = phase_post_data(draft, "design", {"DES-0-02": "1", **answers})
    response = alice_client.post(f"/assessments/{draft.pk}/phases/design/", data)
    assert response.status_code == 200
    assert response.context["form"].errors[field][0].startswith(message)
    assert Answer.objects.count() == 0
    assert "Nothing was saved" in response.content.decode()


def test_a_posted_code_that_is_not_in_the_bank_is_refused(alice_client, draft):
    data = phase_post_data(draft, "design", {"DES-0-02": "1", "DES-9-99": "1"})
    response = alice_client.post(f"/assessments/{draft.pk}/phases/design/", data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Question DES-9-99 is not part of this questionnaire; nothing was saved."
    ]
    assert Answer.objects.count() == 0


def test_an_unknown_phase_is_a_404(alice_client, draft):
    assert alice_client.get(f"/assessments/{draft.pk}/phases/marketing/").status_code == 404


def test_only_changed_answers_are_written(alice_client, draft, alice):
    """Bob changed DES-0-01 after Alice opened the page; her save must not undo it."""
    alice_client.post(
        f"/assessments/{draft.pk}/phases/design/",
        phase_post_data(draft, "design", {"DES-0-01": "0"}),
    )
    # Alice's page showed DES-0-01 = 0. Meanwhile it became 1.
    Answer.objects.filter(question_code="DES-0-01").update(value="1")
    data = phase_post_data(
        draft,
        "design",
        {"DES-0-01": "0", "DES-0-02": "0.5"},
        seen={"DES-0-01-value": "0"},
    )
    alice_client.post(f"/assessments/{draft.pk}/phases/design/", data)
    values = dict(Answer.objects.values_list("question_code", "value"))
    assert values == {"DES-0-01": "1", "DES-0-02": "0.5"}


def test_submit_lists_missing_questions_with_links(alice_client, draft):
    response = alice_client.post(f"/assessments/{draft.pk}/submit/", follow=True)
    body = response.content.decode()
    assert "74 questions still need an answer" in body
    assert f'href="/assessments/{draft.pk}/phases/operations/#q-OPS-2-08"' in body
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_submit_freezes_answers_and_stores_the_result(alice_client, draft):
    answer_everything(alice_client, draft, "1")
    response = alice_client.post(f"/assessments/{draft.pk}/submit/")
    assert response["Location"] == f"/assessments/{draft.pk}/result/"
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.engine_version == "2.0.0"
    assert draft.result["bank"] == "mlops-maturity@2.0"
    assert draft.result["overall"]["level"] == 2
    assert draft.result_version == 1
    # Frozen: a later post changes nothing.
    before = list(Answer.objects.values_list("question_code", "value"))
    response = alice_client.post(
        f"/assessments/{draft.pk}/phases/design/",
        phase_post_data(draft, "design", {"DES-0-01": "0"}),
    )
    assert response["Location"] == f"/assessments/{draft.pk}/result/"
    assert list(Answer.objects.values_list("question_code", "value")) == before


def test_unknown_counts_as_answered_and_scores_zero(alice_client, draft):
    answer_everything(alice_client, draft, "unknown")
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.result["overall"]["level"] is None
    assert len(draft.result["unknown"]) == 74


def test_the_result_page_shows_levels_grid_recommendations_and_roles(alice_client, draft):
    answer_everything(alice_client, draft, "0.5")
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    page = alice_client.get(f"/assessments/{draft.pk}/result/")
    body = page.content.decode()
    # Every practice done by hand: every level-0 practice is in place, so level 0 everywhere.
    assert "Overall: Level 0 – Manual process" in body
    assert "50 %" in body  # every cell at half the points
    view = page.context["view"]
    assert [p.level for p in view.phases] == [0, 0, 0]
    assert len(page.context["top_recommendations"]) == 5
    # Level 0 holds everywhere, so level 1's critical practices, short of automated, come first.
    assert (view.recommendations[0].level, view.recommendations[0].blocking) == (1, True)
    assert "Roles" in body


def test_the_owner_can_reopen_and_it_is_recorded(alice_client, draft):
    answer_everything(alice_client, draft)
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    response = alice_client.post(f"/assessments/{draft.pk}/reopen/", {"reason": "typo"})
    assert response["Location"] == f"/assessments/{draft.pk}/review/"
    draft.refresh_from_db()
    assert draft.status == "draft"
    kinds = list(draft.events.values_list("kind", "detail"))
    assert kinds == [
        ("created", ""),
        ("composition_changed", ""),
        ("submitted", ""),
        ("reopened", "typo"),
    ]
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    draft.refresh_from_db()
    assert draft.result_version == 2


def test_a_member_cannot_reopen(client, draft):
    carol = UserFactory.create(username="carol")
    MembershipFactory.create(user=carol, organization=draft.team.organization, role=Role.MEMBER)
    client.force_login(draft.created_by)
    answer_everything(client, draft)
    client.post(f"/assessments/{draft.pk}/submit/")
    client.force_login(carol)
    assert client.post(f"/assessments/{draft.pk}/reopen/").status_code == 403
    assert AssessmentEvent.objects.filter(kind="reopened").count() == 0


def test_a_viewer_reads_but_cannot_answer(client, draft):
    victor = UserFactory.create(username="victor")
    MembershipFactory.create(user=victor, organization=draft.team.organization, role=Role.VIEWER)
    client.force_login(victor)
    page = client.get(f"/assessments/{draft.pk}/phases/design/")
    assert page.status_code == 200
    assert page.context["read_only"] is True
    response = client.post(
        f"/assessments/{draft.pk}/phases/design/",
        phase_post_data(draft, "design", {"DES-0-01": "1"}),
    )
    assert response.status_code == 403
    assert client.post(f"/assessments/{draft.pk}/submit/").status_code == 403
    assert Answer.objects.count() == 0


def test_another_organisation_gets_404_everywhere(client, draft, bob, globex_team):
    client.force_login(bob)
    for path in ("team/", "phases/design/", "review/", "result/"):
        assert client.get(f"/assessments/{draft.pk}/{path}").status_code == 404, path
    response = client.post(
        f"/assessments/{draft.pk}/phases/design/",
        phase_post_data(draft, "design", {"DES-0-01": "1"}),
    )
    assert response.status_code == 404
    assert client.post(f"/assessments/{draft.pk}/submit/").status_code == 404
    assert client.get(f"/teams/{draft.team.pk}/assessments/new/").status_code == 404
    assert Answer.objects.count() == 0


@pytest.mark.parametrize("phase", ["design", "operations"])
def test_a_phase_page_runs_a_constant_number_of_queries(
    alice_client, draft, phase, django_assert_max_num_queries
):
    answer_everything(alice_client, draft, "0.5")
    with django_assert_max_num_queries(8):
        assert alice_client.get(f"/assessments/{draft.pk}/phases/{phase}/").status_code == 200
    with django_assert_max_num_queries(14):
        response = alice_client.post(
            f"/assessments/{draft.pk}/phases/{phase}/",
            phase_post_data(
                draft, phase, {q.code: "1" for q in draft.bank.bank().questions_in(phase)}
            ),
        )
        assert response.status_code == 302
