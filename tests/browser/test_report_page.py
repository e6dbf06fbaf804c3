"""The report page in a real Chromium: no axe violations, charts drawn, nothing blocked by CSP."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD
from tests.reports.helpers import realistic_input, submitted_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_report_page_passes_axe_and_runs_under_its_csp(page, axe, acme_team, alice, mlops_bank):
    _, q4 = (
        submitted_assessment(
            team=acme_team,
            bank=mlops_bank,
            by=alice,
            label=label,
            given=realistic_input(mlops_bank.bank(), seed=7, lift=lift),
        )
        for label, lift in (("2026 Q3", 0.0), ("2026 Q4", 0.4))
    )
    csp_errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            csp_errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/login/")
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")

    response = page.goto(f"/assessments/{q4.pk}/report/")

    assert response.status == 200
    assert page.locator("h2", has_text="Progress since 2026 Q3").count() == 1
    assert page.locator("svg.chart[role=img]").count() == 2
    assert page.locator("svg.chart").first.bounding_box()["width"] > 300
    results = axe.run(page)
    assert csp_errors == []
    assert results.violations_count == 0, results.generate_report()
