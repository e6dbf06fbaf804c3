"""A consultant with two client organisations: switch clients, compare quarters, download data."""

from __future__ import annotations

import csv
import json
import re
from io import StringIO

import pytest
from django.core.management import call_command

from assessment.services.demo import CONSULTANT_USERNAME, DEMO_PASSWORD
from tests.browser.conftest import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_consultant_switches_clients_compares_quarters_and_downloads(
    page, axe, mlops_bank, settings
):
    settings.DEBUG = True  # the demo loads in development only
    call_command("load_demo", stdout=StringIO())
    page.goto("/login/")
    page.get_by_label("Username").fill(CONSULTANT_USERNAME)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.get_by_role("link", name="Acme Analytics").click()
    page.wait_for_url(re.compile(r"/orgs/acme-analytics/$"))
    assert serious_violations(axe, page) == []
    teams = page.locator("table.team-heatmap tbody th").all_inner_texts()
    assert teams == ["Demand forecasting", "Fraud detection"]

    page.get_by_label("Switch organisation").select_option("globex-retail")
    page.get_by_role("button", name="Switch").click()
    page.wait_for_url(re.compile(r"/orgs/globex-retail/$"))
    teams = page.locator("table.team-heatmap tbody th").all_inner_texts()
    assert teams == ["Recommendations", "Search ranking"]
    assert "Fraud detection" not in page.content()

    page.get_by_label("Switch organisation").select_option("acme-analytics")
    page.get_by_role("button", name="Switch").click()
    page.get_by_role("link", name="Fraud detection").click()
    page.wait_for_url(re.compile(r"/teams/\d+/$"))
    assert serious_violations(axe, page) == []
    page.get_by_label("Earlier").select_option(label="2026 Q1 (27 Mar 2026)")
    page.get_by_label("Later").select_option(label="2026 Q3 (25 Sep 2026)")
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url(re.compile(r"/compare/"))
    assert page.get_by_role("heading", level=1).inner_text() == (
        "Fraud detection: 2026 Q1 → 2026 Q3"
    )
    assert serious_violations(axe, page) == []
    summary = page.locator("#answers-heading + p").inner_text()
    assert re.match(r"^\d+ improved · 0 regressed · \d+ stayed the same", summary)

    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV of 2026 Q3").click()
    rows = list(csv.DictReader(open(download_info.value.path(), encoding="utf-8")))  # noqa: SIM115
    assert len(rows) == 74  # every question of bank 2.0, which the demo uses
    assert rows[0]["code"] == "DES-0-01"
    with page.expect_download() as download_info:
        page.get_by_role("link", name="JSON of 2026 Q3").click()
    exported = json.loads(open(download_info.value.path(), encoding="utf-8").read())  # noqa: SIM115
    assert (exported["team"], exported["label"]) == ("Fraud detection", "2026 Q3")
    assert exported["result"]["overall"]["level"] == 0
