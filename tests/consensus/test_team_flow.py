"""Answering as a team: own answers per respondent, disagreement flagged, the lead settles."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.http import HttpResponseBase
from django.test import Client

from assessment.models import Answer, Assessment, FinalAnswer, Respondent
from assessment.services.answers import AnswerData, final_answers_save
from assessment.services.respondents import respondent_add
from core.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.web.helpers import phase_post_data

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def team(draft, alice):
    """Alice leads; Carol (data scientist) answers everything, Dave (ML engineer) only
    development and operations."""
    organization = draft.team.organization
    carol = UserFactory.create(username="carol")
    dave = UserFactory.create(username="dave")
    for user in (carol, dave):
        MembershipFactory.create(user=user, organization=organization, role=Role.MEMBER)
    alice_client = client_for(alice)
    alice_client.post(
        f"/assessments/{draft.pk}/respondents/", {"user": carol.pk, "role": "data_scientist"}
    )
    alice_client.post(
        f"/assessments/{draft.pk}/respondents/",
        {"user": dave.pk, "role": "ml_engineer", "phases": ["development", "operations"]},
    )
    return {
        "assessment": draft,
        "alice": alice_client,
        "carol": client_for(carol),
        "dave": client_for(dave),
        "users": (alice, carol, dave),
    }


def answer(
    client: Client, assessment: Assessment, phase: str, answers: dict[str, Any]
) -> HttpResponseBase:
    return client.post(
        f"/assessments/{assessment.pk}/phases/{phase}/",
        phase_post_data(assessment, phase, answers),
    )


def test_the_lead_invites_respondents_with_roles_and_phases(team):
    respondents = {
        r.user.username: (r.is_lead, r.role, r.phases)
        for r in Respondent.objects.filter(assessment=team["assessment"])
    }
    assert respondents == {
        "alice": (True, "", []),
        "carol": (False, "data_scientist", []),
        "dave": (False, "ml_engineer", ["development", "operations"]),
    }


def test_each_respondent_keeps_their_own_answers_and_sees_only_them(team):
    a = team["assessment"]
    answer(team["alice"], a, "development", {"DEV-0-01": "1"})
    answer(team["carol"], a, "development", {"DEV-0-01": "0"})
    answer(team["dave"], a, "development", {"DEV-0-01": "0.5"})
    stored = dict(
        Answer.objects.filter(question_code="DEV-0-01").values_list(
            "respondent__user__username", "value"
        )
    )
    assert stored == {"alice": "1", "carol": "0", "dave": "0.5"}
    carol_page = team["carol"].get(f"/assessments/{a.pk}/phases/development/")
    assert carol_page.context["form"].initial["DEV-0-01-value"] == "0"
    assert "checked" in str(carol_page.context["form"]["DEV-0-01-value"])
    # Carol cannot reach the consensus view, where others' answers are.
    assert team["carol"].get(f"/assessments/{a.pk}/consensus/").status_code == 403
    assert team["carol"].post(f"/assessments/{a.pk}/submit/").status_code == 403


def test_a_respondent_answers_only_their_phases(team):
    a = team["assessment"]
    page = team["dave"].get(f"/assessments/{a.pk}/phases/design/")
    assert page.context["read_only"] is True
    assert page.context["not_yours"] == (
        "You answer development, operations in this assessment; this phase is for others."
    )
    assert answer(team["dave"], a, "design", {"DES-0-01": "1"}).status_code == 403
    assert not Answer.objects.filter(respondent__user__username="dave").exists()


def test_a_member_who_is_not_a_respondent_cannot_answer_a_team_assessment(team):
    erin = UserFactory.create(username="erin")
    MembershipFactory.create(user=erin, organization=team["assessment"].team.organization)
    response = answer(client_for(erin), team["assessment"], "design", {"DES-0-01": "1"})
    assert response.status_code == 403
    assert Answer.objects.count() == 0


def test_the_consensus_view_flags_and_sorts_disagreement_and_suggests_the_median(team):
    a = team["assessment"]
    answer(team["alice"], a, "development", {"DEV-0-01": "1", "DEV-0-02": "1", "DEV-0-03": "1"})
    answer(team["carol"], a, "development", {"DEV-0-01": "0", "DEV-0-02": "0.5", "DEV-0-03": "1"})
    answer(team["dave"], a, "development", {"DEV-0-01": "0.5", "DEV-0-02": "1", "DEV-0-03": "1"})
    response = team["alice"].get(f"/assessments/{a.pk}/consensus/")
    rows = [row for row, *_ in response.context["rows"]]
    assert [r.question.code for r in rows[:2]] == ["DEV-0-01", "DEV-0-02"]
    first, second = rows[0], rows[1]
    assert (first.spread, first.flagged, first.suggested) == (1.0, True, "0.5")
    assert (second.spread, second.flagged, second.suggested) == (0.5, True, "1")
    agreed = next(r for r in rows if r.question.code == "DEV-0-03")
    assert (agreed.spread, agreed.flagged, agreed.suggested) == (0.0, False, "1")
    assert [a.respondent.user.username for a in first.answers] == ["alice", "carol", "dave"]
    assert response.context["flagged"] == 2


def test_the_lead_settles_final_answers_without_touching_respondents(team):
    a = team["assessment"]
    answer(team["carol"], a, "development", {"DEV-0-01": "0"})
    answer(team["dave"], a, "development", {"DEV-0-01": "1"})
    before = list(Answer.objects.order_by("pk").values_list("question_code", "value"))
    data = {
        "DEV-0-01-final": "0.5",
        "DEV-0-01-why": "pipeline exists, not for every model",
        "initial-DEV-0-01-final": "0.5",
        "initial-DEV-0-01-why": "",
    }
    team["alice"].post(f"/assessments/{a.pk}/consensus/", data)
    final = FinalAnswer.objects.get(question_code="DEV-0-01")
    assert final.decided_by is not None
    assert (final.value, final.note, final.decided_by.username) == (
        "0.5",
        "pipeline exists, not for every model",
        "alice",
    )
    assert list(Answer.objects.order_by("pk").values_list("question_code", "value")) == before


def test_na_as_a_final_answer_needs_a_reason(team):
    a = team["assessment"]
    response = team["alice"].post(
        f"/assessments/{a.pk}/consensus/", {"DES-1-06-final": "na", "DES-1-06-why": ""}
    )
    assert response.context["form"].errors["DES-1-06-why"] == [
        "Say why this practice does not apply to your team."
    ]
    assert FinalAnswer.objects.count() == 0


def test_only_final_answers_are_scored(team, mlops_bank):
    a = team["assessment"]
    bank = mlops_bank.bank()
    # Respondents all say "automated"; the lead settles everything at "done manually".
    for name in ("alice", "carol"):
        for phase in bank.phases:
            answer(team[name], a, phase.code, {q.code: "1" for q in bank.questions_in(phase.code)})
    incomplete = team["alice"].post(f"/assessments/{a.pk}/submit/")
    assert incomplete["Location"] == f"/assessments/{a.pk}/review/"
    final_answers_save(
        assessment=a,
        changes={q.code: AnswerData(value="0.5") for q in bank.questions},
        by=team["users"][0],
    )
    team["alice"].post(f"/assessments/{a.pk}/submit/")
    a.refresh_from_db()
    assert a.status == "submitted"
    # Had the respondents' "automated" counted, it would be level 2; the settled answers, every
    # practice done by hand, give level 0 (in place everywhere, 50 % of the points).
    assert a.result["overall"]["level"] == 0
    assert {v["value"] for v in a.result["input"]["answers"].values()} == {"0.5"}


def test_a_solo_assessment_needs_no_consensus(alice_client, alice, draft):
    from tests.web.helpers import answer_everything_via_services

    answer_everything_via_services(alice, draft, "1")
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert FinalAnswer.objects.count() == 0


@pytest.mark.parametrize("extra", [0, 3])
def test_the_consensus_page_runs_a_constant_number_of_queries(
    team, extra, django_assert_max_num_queries
):
    a = team["assessment"]
    for n in range(extra):
        user = UserFactory.create(username=f"extra{n}")
        MembershipFactory.create(user=user, organization=a.team.organization)
        respondent_add(assessment=a, user=user, role="qa_engineer", phases=[], by=user)
        answer(client_for(user), a, "design", {"DES-0-01": "1", "DES-0-02": "0"})
    with django_assert_max_num_queries(10):
        assert team["alice"].get(f"/assessments/{a.pk}/consensus/").status_code == 200


def test_the_report_lists_where_the_team_disagreed_anonymously_by_default(team, mlops_bank):
    import io

    from pypdf import PdfReader

    a = team["assessment"]
    bank = mlops_bank.bank()
    answer(team["carol"], a, "design", {"DES-0-01": {"value": "0", "note": "no KPI baseline"}})
    answer(team["alice"], a, "design", {"DES-0-01": "1"})
    answer(team["dave"], a, "development", {"DEV-0-01": "1"})
    final_answers_save(
        assessment=a,
        changes={q.code: AnswerData(value="1") for q in bank.questions}
        | {"DES-0-01": AnswerData(value="0.5", note="baseline exists for one model")},
        by=team["users"][0],
    )
    team["alice"].post(f"/assessments/{a.pk}/submit/")
    page = team["alice"].get(f"/assessments/{a.pk}/report/")
    flagged = page.context["report"].disagreements
    assert [d.code for d in flagged] == ["DES-0-01"]
    assert [(x.who, x.answer, x.note) for x in flagged[0].answers] == [
        ("Respondent 1 (lead)", "Institutionalised", ""),
        ("Respondent 2 (Data scientist)", "Not in place", "no KPI baseline"),
    ]
    assert (flagged[0].final, flagged[0].why) == ("Done manually", "baseline exists for one model")
    pdf = PdfReader(io.BytesIO(team["alice"].get(f"/assessments/{a.pk}/report.pdf").content))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Where the team disagreed" in text
    assert "Respondent 2 (Data scientist)" in text
    # The cover lists who took part; answers are never attributed to a name.
    assert "carol (Data scientist)" not in text


def test_the_lead_may_name_respondents_in_the_report(team, mlops_bank):
    a = team["assessment"]
    team["alice"].post(f"/assessments/{a.pk}/respondents/", {"naming": "named"})
    a.refresh_from_db()
    assert a.name_respondents is True
    answer(team["carol"], a, "design", {"DES-0-01": "0"})
    answer(team["alice"], a, "design", {"DES-0-01": "1"})
    final_answers_save(
        assessment=a,
        changes={q.code: AnswerData(value="1") for q in mlops_bank.bank().questions},
        by=team["users"][0],
    )
    team["alice"].post(f"/assessments/{a.pk}/submit/")
    flagged = team["alice"].get(f"/assessments/{a.pk}/report/").context["report"].disagreements
    assert [x.who for x in flagged[0].answers] == ["alice (lead)", "carol (Data scientist)"]


def test_only_the_lead_sets_the_team_composition(team):
    a = team["assessment"]
    roles = [r.code for r in a.bank.bank().roles]
    before = dict(a.composition)
    response = team["carol"].post(f"/assessments/{a.pk}/team/", dict.fromkeys(roles, "absent"))
    assert response.status_code == 403
    a.refresh_from_db()
    assert a.composition == before


def test_settled_answers_stay_scored_when_respondents_leave(team, mlops_bank):
    a = team["assessment"]
    final_answers_save(
        assessment=a,
        changes={q.code: AnswerData(value="0.5") for q in mlops_bank.bank().questions},
        by=team["users"][0],
    )
    for respondent in Respondent.objects.filter(assessment=a, is_lead=False):
        team["alice"].post(f"/assessments/{a.pk}/respondents/{respondent.pk}/remove/")
    assert Respondent.objects.filter(assessment=a).count() == 1
    team["alice"].post(f"/assessments/{a.pk}/submit/")
    a.refresh_from_db()
    assert a.status == "submitted"
    assert {v["value"] for v in a.result["input"]["answers"].values()} == {"0.5"}


def test_saving_an_old_consensus_page_keeps_what_another_lead_settled_since(team):
    a = team["assessment"]
    answer(team["carol"], a, "design", {"DES-0-01": "0"})
    answer(team["alice"], a, "design", {"DES-0-01": "1"})
    # Alice's page shows DES-0-01 unsettled with the suggestion 0.5 ...
    page = team["alice"].get(f"/assessments/{a.pk}/consensus/")
    assert page.context["form"]["DES-0-01-final"].initial == "0.5"
    # ... meanwhile an owner settles it at 0 ...
    final_answers_save(
        assessment=a, changes={"DES-0-01": AnswerData(value="0")}, by=team["users"][0]
    )
    # ... and Alice saves her page without touching that row.
    team["alice"].post(
        f"/assessments/{a.pk}/consensus/",
        {
            "DES-0-01-final": "0.5",
            "initial-DES-0-01-final": "0.5",
            "DES-0-02-final": "1",
            "initial-DES-0-02-final": "",
        },
    )
    finals = dict(FinalAnswer.objects.values_list("question_code", "value"))
    assert finals["DES-0-01"] == "0"
    assert finals["DES-0-02"] == "1"


def test_a_viewer_elsewhere_can_still_be_invited_here(team, draft):
    from tests.factories import OrganizationFactory

    erin = UserFactory.create(username="erin")
    MembershipFactory.create(user=erin, organization=draft.team.organization, role=Role.MEMBER)
    MembershipFactory.create(user=erin, organization=OrganizationFactory.create(), role=Role.VIEWER)
    team["alice"].post(
        f"/assessments/{draft.pk}/respondents/", {"user": erin.pk, "role": "qa_engineer"}
    )
    assert Respondent.objects.filter(assessment=draft, user=erin).exists()


def test_a_reopened_assessment_reports_what_was_settled_at_submission(team, mlops_bank):
    a = team["assessment"]
    answer(team["carol"], a, "design", {"DES-0-01": "0"})
    answer(team["alice"], a, "design", {"DES-0-01": "1"})
    final_answers_save(
        assessment=a,
        changes={q.code: AnswerData(value="1") for q in mlops_bank.bank().questions},
        by=team["users"][0],
    )
    team["alice"].post(f"/assessments/{a.pk}/submit/")
    team["alice"].post(f"/assessments/{a.pk}/reopen/")
    # After reopening, Carol comes round to the lead's view: no disagreement any more, live.
    answer(team["carol"], a, "design", {"DES-0-01": "1"})
    a.refresh_from_db()
    assert a.status == "draft"
    flagged = team["alice"].get(f"/assessments/{a.pk}/report/").context["report"].disagreements
    assert [(d.code, [x.answer for x in d.answers]) for d in flagged] == [
        ("DES-0-01", ["Institutionalised", "Not in place"])
    ]


def test_with_one_respondent_the_consensus_page_asks_for_colleagues(alice_client, draft):
    body = alice_client.get(f"/assessments/{draft.pk}/consensus/").content.decode()

    assert "Only one person answers this assessment" in body
    assert f'href="/assessments/{draft.pk}/respondents/">invite colleagues</a>' in body
    assert "consensus-table" not in body
