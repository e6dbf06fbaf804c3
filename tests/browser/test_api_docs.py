"""The API's reference page runs under the site's Content Security Policy: Swagger UI is served
from our own origin, its start-up script is a file, and the browser refuses nothing."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_api_reference_renders_every_operation_without_a_csp_violation(page, alice, acme_team):
    refused: list[str] = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    log_in(page, "alice")
    response = page.goto("/api/docs/")
    assert response is not None
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock", timeout=15_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any(re.search(r"/api/v1/assessments/\{assessment_id\}/answers-file/", p) for p in paths)
    assert len(paths) >= 20
    assert refused == []


def test_an_anonymous_visitor_is_sent_to_sign_in(page):
    page.goto("/api/docs/")
    assert re.search(r"/login/\?next=/api/docs/", page.url)
