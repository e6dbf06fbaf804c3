"""Every page a user reaches fits a phone (390 px) and a laptop (1280 px): the page never
scrolls sideways; wide tables scroll inside their own frame."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from assessment.models import Assessment
from assessment.services.demo import DEMO_PASSWORD, DEMO_USERNAME, demo_load
from tests.browser.conftest import serious_violations

if TYPE_CHECKING:
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Browser
    from pytest_django.live_server_helper import LiveServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def demo_pages() -> list[str]:
    """The pages of the demo, with its real data: three quarters of history, a draft."""
    submitted = Assessment.objects.filter(team__name="Fraud detection", status="submitted")
    first, last = (
        submitted.order_by("submitted_at").first(),
        submitted.order_by("submitted_at").last(),
    )
    assert first is not None
    assert last is not None
    draft = Assessment.objects.get(team__name="Fraud detection", status="draft")
    team, org = last.team, last.team.organization.slug
    return [
        "/",
        f"/orgs/{org}/",
        f"/orgs/{org}/members/",
        f"/orgs/{org}/activity/",
        f"/teams/{team.pk}/",
        f"/teams/{team.pk}/compare/?before={first.pk}&after={last.pk}",
        f"/teams/{team.pk}/assessments/new/",
        f"/teams/{team.pk}/assessments/import/",
        f"/assessments/{draft.pk}/team/",
        f"/assessments/{draft.pk}/phases/design/",
        f"/assessments/{draft.pk}/review/",
        f"/assessments/{draft.pk}/respondents/",
        f"/assessments/{draft.pk}/consensus/",
        f"/assessments/{last.pk}/result/",
        f"/assessments/{last.pk}/report/",
    ]


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
    for path in demo_pages():
        response = page.goto(path)
        assert response is not None
        assert response.status == 200, path
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            too_wide[path] = scroll_width
        if width == 390 and (found := serious_violations(axe, page)):
            findings[path] = found  # the phone layout must stay accessible too
    assert too_wide == {}
    assert findings == {}
    context.close()
