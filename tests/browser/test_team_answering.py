"""A lead and two respondents disagree; the lead sees it flagged, settles it, submits; the PDF
lists the disagreement."""

from __future__ import annotations

import io
import re
from typing import TYPE_CHECKING

import pytest
from pypdf import PdfReader

from assessment.models import Assessment
from assessment.services.answers import AnswerData, final_answers_save
from core.models import Role
from tests.browser.conftest import log_in, serious_violations
from tests.factories import MembershipFactory, UserFactory

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def answer_phase(page: Page, assessment: Assessment, phase: str, values: dict[str, str]) -> None:
    page.goto(f"/assessments/{assessment.pk}/phases/{phase}/")
    for code, value in values.items():
        page.locator(f"input[name='{code}-value'][value='{value}']").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()


def test_a_team_disagrees_the_lead_settles_and_the_pdf_tells(page, axe, alice, draft, mlops_bank):
    organization = draft.team.organization
    for name in ("carol", "dave"):
        MembershipFactory.create(
            user=UserFactory.create(username=name), organization=organization, role=Role.MEMBER
        )
    bank = mlops_bank.bank()

    # The lead invites two respondents.
    log_in(page, "alice")
    page.goto(f"/assessments/{draft.pk}/respondents/")
    for name, role in (("carol", "Data scientist"), ("dave", "ML engineer")):
        page.get_by_label("Team member").select_option(label=name)
        page.get_by_label("Answers as").select_option(label=role)
        with page.expect_navigation():
            page.get_by_role("button", name="Invite").click()
    assert serious_violations(axe, page) == []

    # Everyone answers on their own, with two deliberate disagreements.
    answer_phase(page, draft, "design", {"DES-0-01": "1", "DES-0-02": "1"})
    log_in(page, "carol")
    answer_phase(page, draft, "design", {"DES-0-01": "0", "DES-0-02": "1"})
    log_in(page, "dave")
    answer_phase(page, draft, "design", {"DES-0-01": "0.5", "DES-0-02": "0"})

    # The lead sees them flagged, most disputed first, and settles them.
    log_in(page, "alice")
    page.goto(f"/assessments/{draft.pk}/consensus/")
    assert serious_violations(axe, page) == []
    flagged = page.locator("tr.flagged th strong").all_inner_texts()
    assert flagged[:2] == ["DES-0-01", "DES-0-02"]
    page.get_by_label("Final answer for DES-0-01").select_option("0.5")
    page.get_by_label("Why (for DES-0-01)").fill("Only the fraud model has a KPI baseline")
    page.get_by_label("Final answer for DES-0-02").select_option("1")
    page.get_by_label("Why (for DES-0-02)").fill("Dave had not seen the data catalogue")
    with page.expect_navigation():
        page.get_by_role("button", name="Save final answers").click()
    assert "Settled" in page.content()

    # Settle the rest as the suggestions say, then submit.
    final_answers_save(
        assessment=draft,
        changes={
            q.code: AnswerData(value="0.5")
            for q in bank.questions
            if q.code not in ("DES-0-01", "DES-0-02")
        },
        by=alice,
    )
    page.goto(f"/assessments/{draft.pk}/review/")
    page.get_by_role("link", name="Submit the assessment…").click()
    # What cannot be undone is confirmed on a page of its own.
    page.wait_for_url(re.compile(r"/submit/$"))
    assert serious_violations(axe, page) == []
    page.get_by_role("button", name="Submit and freeze the answers").click()
    page.wait_for_url(re.compile(r"/result/$"))
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.result["input"]["answers"]["DES-0-01"]["value"] == "0.5"

    response = page.request.get(f"/assessments/{draft.pk}/report.pdf")
    pages = PdfReader(io.BytesIO(response.body())).pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "Where the team disagreed" in text
    assert "Only the fraud model has a KPI baseline" in text
    assert "Respondent 3 (ML engineer)" in text
