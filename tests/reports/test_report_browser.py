"""The report page in a real Chromium: no axe violations, charts drawn, nothing blocked by CSP.

Needs Debian's `chromium`; skipped without it, except in CI (REQUIRE_BROWSER=1) where a missing
browser is a failure.
"""

from __future__ import annotations

import os
import shutil

import pytest

from tests.reports.helpers import realistic_input, submitted_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture
def chromium() -> str:
    if CHROMIUM is None:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail("REQUIRE_BROWSER=1 but no chromium is installed")
        pytest.skip("chromium is not installed")
    return CHROMIUM


@pytest.fixture
def report_session(live_server, client, settings, acme_team, alice, mlops_bank):
    """Two quarters of Alice's team, and her session cookie. Made before Playwright starts: its
    event loop makes Django refuse database calls from the test's thread."""
    settings.SESSION_COOKIE_SECURE = False  # the live server speaks plain HTTP
    for label, lift in (("2026 Q3", 0.0), ("2026 Q4", 0.4)):
        q4 = submitted_assessment(
            team=acme_team,
            bank=mlops_bank,
            by=alice,
            label=label,
            given=realistic_input(mlops_bank.bank(), seed=7, lift=lift),
        )
    client.force_login(alice)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    return f"{live_server.url}/assessments/{q4.pk}/report/", cookie


def test_the_report_page_passes_axe_and_runs_under_its_csp(chromium, report_session):
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    url, cookie = report_session
    csp_errors: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium)
        context = browser.new_context()
        context.add_cookies([cookie])
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                csp_errors.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )

        response = page.goto(url)

        assert response.status == 200
        assert page.locator("h2", has_text="Progress since 2026 Q3").count() == 1
        assert page.locator("svg.chart[role=img]").count() == 2
        assert page.locator("svg.chart").first.bounding_box()["width"] > 300
        results = Axe().run(page)
        browser.close()

    assert csp_errors == []
    assert results.violations_count == 0, results.generate_report()
