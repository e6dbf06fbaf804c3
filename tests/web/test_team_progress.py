"""A team over time: the trend charts and comparing two quarters answer by answer."""

from __future__ import annotations

import pytest

from assessment.models import Assessment
from assessment.services.assessments import assessment_start
from tests.web.helpers import (
    answer_everything_via_services,
    load_bank_with_renamed_question,
    phase_post_data,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_quarters(alice_client, alice, draft, mlops_bank):
    """Q3 all manual; Q4 starts from Q3 and then automates DES-0-01..06, drops DEV-0-01."""
    draft.label = "2026 Q3"
    draft.save()
    answer_everything_via_services(alice, draft, "0.5")
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    q4 = assessment_start(
        team=draft.team, bank=mlops_bank, label="2026 Q4", targets={}, by=alice, copy_from=draft
    )
    design = {f"DES-0-0{n}": "1" for n in range(1, 7)}
    seen = {f"{code}-value": "0.5" for code in design}
    alice_client.post(
        f"/assessments/{q4.pk}/phases/design/", phase_post_data(q4, "design", design, seen=seen)
    )
    alice_client.post(
        f"/assessments/{q4.pk}/phases/development/",
        phase_post_data(q4, "development", {"DEV-0-01": "0"}, seen={"DEV-0-01-value": "0.5"}),
    )
    alice_client.post(f"/assessments/{q4.pk}/submit/")
    return Assessment.objects.get(pk=draft.pk), Assessment.objects.get(pk=q4.pk)


def test_the_team_page_draws_the_trend_of_every_submitted_assessment(alice_client, two_quarters):
    q3, _ = two_quarters
    response = alice_client.get(f"/teams/{q3.team.pk}/")
    charts = response.context["charts"]
    assert [label for label, _, _ in charts["rows"]] == ["2026 Q3", "2026 Q4"]
    q4_row = charts["rows"][1]
    assert charts["rows"][0][1] == 0  # Q3: every level-0 practice in place, by hand
    assert q4_row[1] is None  # Q4: not yet level 0 overall, DEV-0-01 is no longer in place
    # Design: six answers at 1 and seventeen at 0.5 over 23 questions = 63.04 %, level 0.
    assert q4_row[2][0] == (0, 63.04)
    svg = str(charts["levels"])
    assert svg.startswith("<svg")
    assert "<title" in svg
    assert "<style" not in svg
    assert "2026 Q4: overall not yet level 0, Design level 0" in svg


def test_comparing_two_quarters_lists_what_moved(alice_client, two_quarters):
    q3, q4 = two_quarters
    response = alice_client.get(f"/teams/{q3.team.pk}/compare/?before={q3.pk}&after={q4.pk}")
    assert response.status_code == 200
    comparison = response.context["comparison"]
    design = next(c for c in comparison.phases if c.phase == "design")
    assert (design.before, design.after) == (0, 0)
    assert [c.code for c in comparison.improved] == [f"DES-0-0{n}" for n in range(1, 7)]
    assert [c.code for c in comparison.regressed] == ["DEV-0-01"]
    assert response.context["stayed"] == 74 - 7
    cell = next(c for c in comparison.moved_cells if (c.phase, c.level) == ("design", 0))
    # (6 x 1 + 0.5) / 7 = 92.86 %
    assert (cell.before_percent, cell.after_percent, cell.after_met) == (50.0, 92.86, True)
    body = response.content.decode()
    assert "6 improved · 1 regressed · 67 stayed the same" in body
    assert "DEV-0-01</strong>: Done manually → Not in place" in body


def test_the_order_of_the_two_does_not_matter(alice_client, two_quarters):
    q3, q4 = two_quarters
    response = alice_client.get(f"/teams/{q3.team.pk}/compare/?before={q4.pk}&after={q3.pk}")
    assert response.context["before"].label == "2026 Q3"


@pytest.mark.parametrize("query", ["", "?before=1", "?before=x&after=y", "?before=999&after=998"])
def test_a_bad_comparison_request_is_a_404(alice_client, two_quarters, query):
    q3, _ = two_quarters
    assert alice_client.get(f"/teams/{q3.team.pk}/compare/{query}").status_code == 404


def test_another_organisation_cannot_compare(client, two_quarters, bob, globex_team):
    q3, q4 = two_quarters
    client.force_login(bob)
    url = f"/teams/{q3.team.pk}/compare/?before={q3.pk}&after={q4.pk}"
    assert client.get(url).status_code == 404
    # Nor by pointing its own team at another organisation's assessments.
    url = f"/teams/{globex_team.pk}/compare/?before={q3.pk}&after={q4.pk}"
    assert client.get(url).status_code == 404


def test_comparing_across_bank_versions_follows_renamed_questions(
    alice_client, two_quarters, alice, tmp_path
):
    """Bank 2.1 renames DES-0-01 to DES-0-10; Q1 2027 on it compares with Q4 on 2.0."""
    _, q4 = two_quarters
    q1 = assessment_start(
        team=q4.team,
        bank=load_bank_with_renamed_question(tmp_path),
        label="2027 Q1",
        targets={},
        by=alice,
        copy_from=q4,
    )
    # The renamed question drops from "automated" to "done manually".
    alice_client.post(
        f"/assessments/{q1.pk}/phases/design/",
        phase_post_data(q1, "design", {"DES-0-10": "0.5"}, seen={"DES-0-10-value": "1"}),
    )
    alice_client.post(f"/assessments/{q1.pk}/submit/")
    response = alice_client.get(f"/teams/{q4.team.pk}/compare/?before={q4.pk}&after={q1.pk}")
    comparison = response.context["comparison"]
    assert comparison.same_bank is False
    assert [c.code for c in comparison.regressed] == ["DES-0-10"]
    assert comparison.only_before == ()
    assert comparison.only_after == ()
    assert response.context["stayed"] == 73


def test_the_result_page_says_a_regression_first(alice_client, two_quarters):
    _, q4 = two_quarters

    body = alice_client.get(f"/assessments/{q4.pk}/result/").content.decode()

    # Q3 had every foundation in place (level 0); in Q4 DEV-0-01 is not in place any more.
    sentence = (
        "Regression. Since 2026 Q3, the overall level fell from Level 0 \u2013 Manual process to "
        "not yet level 0: 6 practices improved and 1 went back."
    )
    assert sentence in body
    assert body.index(sentence) < body.index("Overall: Not yet level 0")
    assert "% of points" in body
