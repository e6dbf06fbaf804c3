"""From advice to progress, in a real browser: a lead accepts three recommendations, assigns
them, marks two done; the next quarter improves the answer of one of them; the report says which
action the answers reflect and which they do not."""

from __future__ import annotations

import re

import pytest

from assessment.models import Action
from assessment.scoring.results import Result
from assessment.selectors.respondents import lead_respondent
from assessment.services.answers import AnswerData, answers_save
from assessment.services.assessments import (
    assessment_set_composition,
    assessment_start,
    assessment_submit,
)
from core.models import Role
from tests.browser.conftest import log_in, serious_violations
from tests.factories import MembershipFactory, UserFactory
from tests.web.helpers import answer_everything_via_services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lead_plans_three_actions_and_the_next_report_follows_them_up(
    page, axe, alice, draft, mlops_bank
):
    # 2026 Q4: every practice done by hand, so the plan aims at level 1.
    answer_everything_via_services(alice, draft, "0.5")
    assessment_submit(assessment=draft, by=alice)
    draft.refresh_from_db()
    recs = Result.from_dict(draft.result).recommendations[:3]
    member = UserFactory.create(username="mo", first_name="Mo", last_name="Reyes")
    MembershipFactory.create(user=member, organization=draft.team.organization, role=Role.MEMBER)

    log_in(page, "alice")
    page.goto(f"/assessments/{draft.pk}/result/")
    page.get_by_role("link", name="Add recommendations to the action plan").click()
    page.wait_for_url(re.compile(r"/plan/$"))
    assert serious_violations(axe, page) == []
    for rec in recs:
        page.locator(f"#rec-{rec.code}").check()
    page.get_by_role("button", name="Add the ticked ones to the plan").click()
    page.wait_for_url(re.compile(rf"/teams/{draft.team_id}/plan/$"))
    assert "3 actions added to the plan" in page.locator(".alert").first.inner_text()
    assert serious_violations(axe, page) == []
    rows = page.locator("#open-heading + div table tbody tr")
    assert rows.count() == 3

    # Assign each; the first two are done by the next quarter.
    titles = []
    for index, rec in enumerate(recs):
        action = Action.objects.get(team=draft.team, practices=[rec.code])
        titles.append(action.title)
        page.goto(f"/actions/{action.pk}/")
        page.get_by_label("Owner", exact=True).select_option(label="Mo Reyes")
        page.get_by_label("Due on").fill("2027-03-31")
        if index < 2:
            page.get_by_label("Status").select_option(label="Done")
        page.get_by_role("button", name="Save").click()
        page.wait_for_url(re.compile(r"/plan/$"))
    page.reload()
    assert page.locator("#open-heading + div table tbody tr").count() == 1
    assert page.locator("#done-heading + div table tbody tr").count() == 2
    assert "Mo Reyes" in page.locator("#open-heading + div").inner_text()
    done = Action.objects.filter(status=Action.Status.DONE).order_by("pk")
    assert [a.owner for a in done] == [member, member]

    # 2027 Q1: the same answers, but the first action's practice is now automated.
    q1 = assessment_start(team=draft.team, bank=mlops_bank, label="2027 Q1", targets={}, by=alice)
    assessment_set_composition(assessment=q1, composition=draft.composition, by=alice)
    bank = mlops_bank.bank()
    answers = {q.code: AnswerData(value="0.5") for q in bank.questions}
    answers[recs[0].code] = AnswerData(value="1", evidence="https://wiki.example/done")
    answers_save(assessment=q1, respondent=lead_respondent(q1), changes=answers, by=alice)
    assessment_submit(assessment=q1, by=alice)

    page.goto(f"/assessments/{q1.pk}/report/")
    progress = page.locator("#progress")
    reflected = progress.locator("li", has_text=titles[0])
    not_reflected = progress.locator("li", has_text=titles[1])
    assert "Done and reflected in the answers" in reflected.first.inner_text()
    assert "Done but not reflected in the answers" in not_reflected.first.inner_text()
    # The third, still open, is in the plan section, not in the follow-up.
    assert titles[2] not in progress.inner_text()
    assert titles[2] in page.locator("#plan").inner_text()
    assert serious_violations(axe, page) == []
