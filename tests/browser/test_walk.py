"""A team lead's first assessment, as a user would do it, with an accessibility check per page."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from assessment.models import Assessment
from tests.browser.conftest import log_in, serious_violations

if TYPE_CHECKING:
    pass

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_team_lead_answers_and_submits_a_whole_assessment(
    page, axe, alice, acme_team, mlops_bank
):
    checked_pages = []

    def check_accessibility(name: str) -> None:
        assert serious_violations(axe, page) == [], name
        checked_pages.append(name)

    page.goto("/login/")
    check_accessibility("login")
    log_in(page, "alice")
    check_accessibility("home")

    page.get_by_role("link", name="Fraud detection").first.click()
    check_accessibility("team")
    page.get_by_role("link", name="Start an assessment").click()
    page.get_by_label("Label").fill("2026 Q4")
    page.get_by_label("Target for Operations").select_option("1")
    check_accessibility("start")
    page.get_by_role("button", name="Start").click()

    # Team composition: one choice per role.
    page.wait_for_url(re.compile(r"/team/$"))
    check_accessibility("composition")
    bank = mlops_bank.bank()
    for role in bank.roles:
        choice = "absent" if role.code == "qa_engineer" else "present"
        page.locator(f"input[name='{role.code}'][value='{choice}']").check()
    page.get_by_role("button", name="Save and continue").click()

    for phase in bank.phases:
        page.wait_for_url(re.compile(rf"/phases/{phase.code}/$"))
        assert page.get_by_role("heading", level=1).inner_text() == phase.name
        check_accessibility(phase.code)
        for q in bank.questions_in(phase.code):
            value = "0.5" if q.level == 2 else "1"
            page.locator(f"input[name='{q.code}-value'][value='{value}']").check()
        page.get_by_role("button", name=re.compile("^Save and continue")).click()

    page.wait_for_url(re.compile(r"/review/$"))
    assert "Every question has an answer" in page.content()
    check_accessibility("review")
    page.get_by_role("link", name="Submit the assessment…").click()
    # What cannot be undone is confirmed on a page of its own.
    page.wait_for_url(re.compile(r"/submit/$"))
    check_accessibility("confirm submission")
    page.get_by_role("button", name="Submit and freeze the answers").click()

    page.wait_for_url(re.compile(r"/result/$"))
    check_accessibility("result")
    assert page.get_by_role(
        "heading", name="Overall: Level 1 – ML pipeline automation"
    ).is_visible()
    assessment = Assessment.objects.get()
    assert assessment.status == "submitted"
    assert assessment.targets == {"operations": 1}
    assert assessment.composition["qa_engineer"] == "absent"
    assert assessment.result is not None
    assert [p["level"] for p in assessment.result["phases"].values()] == [1, 1, 1]
    assert len(checked_pages) == 11  # the confirmation page included


def test_errors_are_announced_and_linked_to_their_field(page, alice, draft):
    log_in(page, "alice")
    page.goto(f"/assessments/{draft.pk}/phases/design/")
    page.locator("input[name='DES-1-06-value'][value='na']").check()
    page.get_by_role("button", name="Save", exact=True).click()
    summary = page.get_by_role("alert")
    assert "Nothing was saved" in summary.inner_text()
    # The summary takes focus, so a screen reader reads it at once.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    link = summary.get_by_role("link")
    assert "Say why this practice does not apply" in link.inner_text()
    link.click()
    assert page.evaluate("document.activeElement.name") == "DES-1-06-reason"
    reason = page.locator("[name='DES-1-06-reason']")
    assert reason.get_attribute("aria-invalid") == "true"


def test_the_questionnaire_works_with_the_keyboard_alone(page, alice, draft):
    log_in(page, "alice")
    page.goto(f"/assessments/{draft.pk}/phases/design/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    first = page.locator("input[name='DES-0-01-value']").first
    first.focus()
    page.keyboard.press("ArrowDown")  # moves the choice within the radio group
    assert page.locator("input[name='DES-0-01-value']:checked").get_attribute("value") == "0.5"
    page.locator("button[name='save']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "saved 1 answer" in page.content()
