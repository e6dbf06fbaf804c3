"""Answering with less friction: by keyboard alone, saved in the background, still there after
a reload; over-long text is counted, never cut."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from assessment.models import Answer
from tests.browser.test_walk import log_in

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_phase_answered_by_keyboard_is_autosaved_and_survives_a_reload(page: Page, alice, draft):
    log_in(page, "alice")
    bank = draft.bank.bank()
    questions = bank.questions_in("operations")
    page.goto(f"/assessments/{draft.pk}/phases/operations/")
    page.get_by_role("link", name="Go to the first unanswered question").focus()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == f"#q-{questions[0].code}"

    for question in questions:
        # Into the question's radio group, then the arrow key moves the choice, as a keyboard
        # user does: "Not in place" -> "Done manually".
        page.locator(f"input[name='{question.code}-value'][value='0']").focus()
        page.keyboard.press("Space")
        page.keyboard.press("ArrowDown")
    page.get_by_role("status").filter(has_text=re.compile(r"Saved at .* answered")).wait_for()
    page.wait_for_function(
        "document.getElementById('autosave-status').textContent.includes("
        f"'{len(questions)} of {len(bank.questions)} answered')"
    )

    page.reload()
    for question in questions:
        assert page.locator(f"input[name='{question.code}-value'][value='0.5']").is_checked()
    stored = dict(
        Answer.objects.filter(respondent__assessment=draft).values_list("question_code", "value")
    )
    assert stored == {q.code: "0.5" for q in questions}
    assert "Every question on this page has an answer." in page.content()


def test_a_pasted_note_over_the_limit_is_kept_whole_and_counted(page: Page, alice, draft):
    log_in(page, "alice")
    page.goto(f"/assessments/{draft.pk}/phases/design/")
    code = draft.bank.bank().questions_in("design")[0].code
    page.locator(f"#q-{code}").get_by_text("Evidence and note").click()
    note = page.locator(f"textarea[name='{code}-note']")
    note.fill("x" * 5000)

    assert len(note.input_value()) == 5000  # no silent cut by the browser
    counter = page.locator(f"#id_{code}-note-count")
    assert counter.inner_text() == "3,000 characters over the limit of 2,000"
    page.get_by_role("button", name="Save", exact=True).click()
    assert "Note: 5000 characters; at most 2000." in page.content()
    assert not Answer.objects.filter(respondent__assessment=draft).exists()
