"""Every page a user reaches fits a phone (390 px) and a laptop (1280 px): the page never
scrolls sideways; wide tables scroll inside their own frame, or on a phone become blocks of
labelled lines (`.plan-table`, `.stack-table`) whose every line says what it is."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from assessment.services.demo import DEMO_PASSWORD, DEMO_USERNAME, demo_load
from tests.browser.conftest import serious_violations
from tests.web.helpers import demo_paths

if TYPE_CHECKING:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


# In a table stacked into lines: a cell without the label its line starts with (": Chris"),
# and a visible caption squeezed into a narrow column.
STACKED_TABLE_FAULTS = """() => [...document.querySelectorAll('.plan-table, .stack-table')]
  .flatMap(table => [
  ...[...table.querySelectorAll('td')].filter(td => !td.dataset.label)
      .map(td => 'no label: ' + td.textContent.trim().slice(0, 40)),
  ...[...table.querySelectorAll('caption:not(.visually-hidden)')]
      .filter(caption => caption.getBoundingClientRect().width < 200)
      .map(caption => 'narrow caption: ' + caption.textContent.trim()),
])"""


@pytest.mark.parametrize("width", [390, 1280])
def test_no_page_scrolls_sideways(
    browser: Browser, live_server: LiveServer, axe: Axe, mlops_bank, width: int
) -> None:
    demo_load()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/login/")
    page.get_by_label("Username").fill(DEMO_USERNAME)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(r"/$"))

    too_wide = {}
    findings = {}
    unlabelled = {}
    for path in demo_paths():
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[path] = scroll_width
        if width == 390 and (found := serious_violations(axe, page)):
            findings[path] = found  # the phone layout must stay accessible too
        if width == 390 and (found := page.evaluate(STACKED_TABLE_FAULTS)):
            unlabelled[path] = found
    assert too_wide == {}
    assert findings == {}
    assert unlabelled == {}
    context.close()
