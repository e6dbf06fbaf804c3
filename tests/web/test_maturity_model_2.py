"""The maturity model 2.0 on the pages: the index, the gate and every N/A with its reason on the
result page and in the report; evidence that names nothing refused; answers carried from 1.0
marked for confirmation; results scored before 2.0 reading as they did."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assessment.formats.answers_file import parse_answers_file
from assessment.models import Answer, Assessment
from assessment.reports.result_view import result_view
from assessment.scoring.engine import score
from assessment.scoring.results import Result
from assessment.services.assessments import assessment_start
from tests.reports.helpers import submitted_assessment
from tests.web.helpers import answer_everything_via_services, phase_post_data

pytestmark = pytest.mark.django_db

TEAMS = Path(__file__).parents[1] / "scoring" / "teams"


def _team_input(bank, name: str):
    data = yaml.safe_load((TEAMS / f"{name}.yaml").read_text(encoding="utf-8"))
    return parse_answers_file(data, bank)


@pytest.fixture
def platform(acme_team, alice, mlops_bank) -> Assessment:
    """The platform team without security reviews (tests/scoring/teams), submitted."""
    given = _team_input(mlops_bank.bank(), "platform_without_security")
    return submitted_assessment(
        team=acme_team, bank=mlops_bank, by=alice, label="2026 Q4", given=given
    )


def test_the_result_page_shows_the_index_the_gate_and_each_na_with_its_reason(
    alice_client, platform
):
    body = alice_client.get(f"/assessments/{platform.pk}/result/").content.decode()

    assert "Overall: Level 0 \u2013 Manual process" in body
    assert "Maturity index <strong>2.8</strong> of 3" in body
    assert "Capped by the security and governance gate" in body
    assert "The phases reach Level 2 \u2013 CI/CD pipeline automation" in body
    assert "No security review before go-live (Security and misuse review before go-live)" in body
    assert "No threat model of the ML system" in body
    assert "Marked not applicable (2)" in body
    assert "Sensor readings only; no personal data (privacy assessment PA-2026-07)" in body
    assert "met only through 2 N/A" in body  # design level 1
    assert "9 of 9 in place" in body  # level 0 counts practices in place
    # The first action is the binding gate practice, in words, marked as such.
    first = body.index('<section aria-labelledby="recs-heading"')
    assert (
        'Security and misuse review before go-live</strong> <span class="badge text-bg-danger">Gate'
        in body[first:]
    )


def test_the_report_says_the_same_in_its_summary(alice_client, platform):
    body = alice_client.get(f"/assessments/{platform.pk}/report/").content.decode()
    # The executive summary and, after the plan, its findings in detail.
    summary = body[body.index('id="summary"') : body.index('id="roadmap"')]
    summary += body[body.index('id="findings"') : body.index('id="findings-roles"')]

    assert "Maturity index 2.8 of 3" in summary
    assert "Held down by the security and governance gate" in summary
    assert (
        "Held at this level by the security and governance gate; the phases themselves "
        "reach Level 2" in summary
    )
    assert (
        "The phases reach Level 2 \u2013 CI/CD pipeline automation, but the overall level is "
        "held at Level 0 \u2013 Manual process by the security and governance gate: no security "
        "review before go-live, no threat model of the ML system and no signature check of "
        "model artefacts at deploy."
    ) in summary
    assert "gate: no security review before go-live" in summary
    rest = body[body.index('id="findings-roles"') :]
    assert "Marked not applicable (2)" in rest
    assert "Nobody holds the security &amp; compliance role" in rest


def test_the_platform_index_is_worked_out_by_hand(platform):
    # design 1 + 0.8125 + min(5/6, 0.8125) = 2.625; development 1 + 1 + 0.8125 = 2.8125;
    # operations 1 + 1 + 0.8125 = 2.8125 -> mean 2.75, which the pages show as 2.8.
    result = Result.from_dict(platform.result)
    assert [p.index for p in result.phases] == [2.62, 2.81, 2.81]
    assert result.index == 2.75


def test_evidence_that_names_nothing_is_refused_and_nothing_is_saved(alice_client, draft):
    response = alice_client.post(
        f"/assessments/{draft.pk}/phases/design/",
        phase_post_data(draft, "design", {"DES-0-01": {"value": "1", "evidence": "yes"}}),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["DES-0-01-evidence"]
    assert errors == [
        "Evidence must be a link or name the artefact someone could open (e.g. \u201cMLflow "
        "experiment churn-v3\u201d, \u201crunbook \u2018Model rollback\u2019 in Confluence\u201d); "
        "\u201cyes\u201d is not evidence. Leave it empty if there is none."
    ]
    assert not Answer.objects.exists()


def test_a_placeholder_saved_before_the_rule_does_not_block_saving_other_answers(
    alice_client, draft
):
    answer_everything_via_services(draft.created_by, draft, "1")
    Answer.objects.filter(question_code="DES-0-01").update(evidence="yes")
    response = alice_client.post(
        f"/assessments/{draft.pk}/phases/design/",
        phase_post_data(
            draft,
            "design",
            {"DES-0-01": {"value": "1", "evidence": "yes"}, "DES-0-02": "0.5"},
            seen={"DES-0-01-value": "1", "DES-0-01-evidence": "yes", "DES-0-02-value": "1"},
        ),
    )
    assert response.status_code == 302
    assert Answer.objects.get(question_code="DES-0-02").value == "0.5"


@pytest.fixture
def on_1_0(acme_team, alice, mlops_bank_1) -> Assessment:
    """A submitted 1.0 assessment: DES-0-03 (split in 2.0) done by hand, the rest automated."""
    answers = {q.code: "1" for q in mlops_bank_1.bank().questions}
    answers["DES-0-03"] = "0.5"
    draft = assessment_start(
        team=acme_team, bank=mlops_bank_1, label="2026 Q3", targets={}, by=alice
    )
    from assessment.services.answers import AnswerData, answers_save
    from assessment.services.assessments import assessment_submit

    answers_save(
        assessment=draft,
        respondent=draft.respondents.get(is_lead=True),
        changes={code: AnswerData(value=value) for code, value in answers.items()},
        by=alice,
    )
    assessment_submit(assessment=draft, by=alice)
    draft.refresh_from_db()
    return draft


def test_starting_2_0_from_a_1_0_assessment_marks_carried_answers_to_confirm(
    alice_client, on_1_0, mlops_bank
):
    alice_client.post(
        f"/teams/{on_1_0.team.pk}/assessments/new/",
        {"bank": mlops_bank.pk, "label": "2026 Q4", "copy_previous": "on"},
    )
    following = Assessment.objects.get(label="2026 Q4")
    carried = dict(
        Answer.objects.filter(respondent__assessment=following).values_list(
            "question_code", "carried"
        )
    )
    assert carried["DES-0-01"] == "carried"
    assert carried["DES-0-03"] == carried["DES-0-07"] == "split"
    assert carried["DEV-1-01"] == "merged"  # 1.0's DEV-1-01 and its duplicate DES-1-05
    assert "DES-1-07" not in carried  # new in 2.0: left for the team to answer

    page = alice_client.get(f"/assessments/{following.pk}/phases/design/").content.decode()
    assert "To confirm" in page
    assert (
        "Carried over from DES-0-03 in version 1.0, which asked about several practices at "
        "once and is now split: check the answer for this practice alone."
    ) in page
    review = alice_client.get(f"/assessments/{following.pk}/review/").content.decode()
    count = len([c for c in carried.values() if c])
    assert f"{count} answers carried over from an earlier version" in review

    # Ticking "still holds" saves the answer as it is, which confirms it.
    response = alice_client.post(
        f"/assessments/{following.pk}/phases/design/",
        phase_post_data(
            following,
            "design",
            {"DES-0-07": {"value": "0.5", "confirm": "on"}},
            seen={"DES-0-07-value": "0.5"},
        ),
    )
    assert response.status_code == 302
    confirmed = Answer.objects.get(respondent__assessment=following, question_code="DES-0-07")
    assert (confirmed.value, confirmed.carried, confirmed.carried_from) == ("0.5", "", "")
    assert (
        Answer.objects.get(respondent__assessment=following, question_code="DES-0-03").carried
        == "split"
    )


def test_a_result_scored_before_engine_2_reads_as_it_did(alice_client, platform):
    # What engine 1 stored had no index, no gate and no N/A summary: remove them and say so.
    stored = dict(platform.result)
    for key in ("index", "gate", "not_applicable", "weak_evidence"):
        stored.pop(key)
    stored["engine_version"] = "1.0.0"
    for name in ("uncapped_level", "evidenced_uncapped_level", "capped"):
        stored["overall"].pop(name)
    Assessment.objects.filter(pk=platform.pk).update(result=stored, engine_version="1.0.0")

    view = result_view(platform.bank.bank(), Result.from_dict(stored))
    assert (view.index, view.capped, view.gate, view.not_applicable) == (None, False, (), ())
    body = alice_client.get(f"/assessments/{platform.pk}/result/").content.decode()
    assert "Maturity index" not in body
    assert "Capped by" not in body
    assert "Marked not applicable" not in body


def test_the_answers_file_and_the_pages_score_alike(platform, mlops_bank):
    given = _team_input(mlops_bank.bank(), "platform_without_security")
    assert score(mlops_bank.bank(), given).to_dict()["overall"] == platform.result["overall"]
