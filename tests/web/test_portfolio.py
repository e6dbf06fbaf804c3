"""The portfolio PDF of an organisation: who may download it, what it says, what it costs in
queries, and that a large client with long team names still fits the page."""

from __future__ import annotations

import io
from collections.abc import Iterable

import pdfplumber
import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage

from assessment.models import QuestionBank
from assessment.pdf.render import render_count
from assessment.reports.portfolio import GAPS, HEATMAP, PLAN, SUMMARY, TREND
from assessment.selectors.portfolio import organization_portfolio
from core.models import Organization, Team
from tests.factories import TeamFactory
from tests.reports.helpers import realistic_input, submitted_assessment

pytestmark = pytest.mark.django_db

# The teams, their submissions, their latest results, and the bank: whatever their number.
PORTFOLIO_QUERIES = 4
# A4 with the print stylesheet's margins: text stops at 544.3 pt (tests/reports/test_pdf_layout).
RIGHT_EDGE = 544.5
HEADINGS = (SUMMARY[1], HEATMAP[1], TREND[1], GAPS[1], PLAN[1])


def url(slug: str) -> str:
    return f"/orgs/{slug}/portfolio.pdf"


def submit(team: Team, bank: QuestionBank, by: User, label: str, seed: int) -> None:
    submitted_assessment(
        team=team, bank=bank, by=by, label=label, given=realistic_input(bank.bank(), seed=seed)
    )


def pdf_text(content: bytes) -> str:
    with pdfplumber.open(io.BytesIO(content)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def teams_of(organization: Organization, names: Iterable[str]) -> list[Team]:
    return [TeamFactory.create(organization=organization, name=name) for name in names]


@pytest.fixture
def acme(acme_team: Team, alice: User, mlops_bank: QuestionBank) -> Organization:
    """Acme: Fraud detection assessed twice, Demand forecasting once, Churn prediction never."""
    organization = acme_team.organization
    forecasting, _ = teams_of(organization, ["Demand forecasting", "Churn prediction"])
    submit(acme_team, mlops_bank, alice, "2026 Q1", seed=3)
    submit(acme_team, mlops_bank, alice, "2026 Q2", seed=4)
    submit(forecasting, mlops_bank, alice, "2026 Q2", seed=5)
    return organization


# --- access ------------------------------------------------------------------------------------


def test_a_member_downloads_the_portfolio_as_a_pdf(alice_client, acme) -> None:
    response = alice_client.get(url("acme"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="mlops-portfolio-acme-')
    assert disposition.endswith('.pdf"')
    text = pdf_text(response.content)
    for name in ("Fraud detection", "Demand forecasting", "Churn prediction"):
        assert name in text
    for heading in HEADINGS:
        assert heading in text
    assert "Not assessed yet" in text


def test_the_dashboard_links_to_it(alice_client, acme) -> None:
    body = alice_client.get("/orgs/acme/").content.decode()
    assert f'href="{url("acme")}"' in body
    assert "Portfolio report (PDF)" in body


def test_another_organisations_slug_is_404(alice_client, acme, globex_team) -> None:
    assert alice_client.get(url("globex")).status_code == 404
    assert alice_client.get(url("no-such-organisation")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, acme) -> None:
    response = client.get(url("acme"))
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_only_get_is_allowed(alice_client, acme) -> None:
    assert alice_client.post(url("acme")).status_code == 405


# --- cost --------------------------------------------------------------------------------------


def test_the_reads_do_not_grow_with_teams_or_assessments(
    django_assert_num_queries, acme_team, alice, mlops_bank
) -> None:
    organization = acme_team.organization
    teams = [acme_team, *teams_of(organization, ["Team 2"])]
    for number, team in enumerate(teams):
        submit(team, mlops_bank, alice, "2026 Q1", seed=number)
    with django_assert_num_queries(PORTFOLIO_QUERIES):
        assert organization_portfolio(organization).teams_total == 2

    teams += teams_of(organization, [f"Team {n}" for n in range(3, 7)])
    for number, team in enumerate(teams[2:]):
        submit(team, mlops_bank, alice, "2026 Q1", seed=10 + number)
    submit(teams[0], mlops_bank, alice, "2026 Q2", seed=20)  # and a longer history
    with django_assert_num_queries(PORTFOLIO_QUERIES):
        assert organization_portfolio(organization).teams_total == 6


# --- layout ------------------------------------------------------------------------------------


def test_thirty_teams_with_long_names_stay_within_the_margins(
    alice_client, acme_team, alice, mlops_bank
) -> None:
    # 80 characters each: most with spaces, some one unbroken word, which must wrap as well.
    long_name = "Payments risk and fraud machine learning platform squad for Europe and Africa"
    names = [f"{n:02d} {long_name}"[:80] for n in range(25)]
    names += [f"{n:02d}-" + "W" * 77 for n in range(25, 30)]
    assert {len(name) for name in names} == {80}
    acme_team.delete()
    teams = teams_of(acme_team.organization, names)
    for number, team in enumerate(teams[3:]):  # the first three show "Not assessed yet"
        submit(team, mlops_bank, alice, "2026 Q2", seed=number)

    response = alice_client.get(url("acme"))

    assert response.status_code == 200
    with pdfplumber.open(io.BytesIO(response.content)) as document:
        too_wide = {}
        for number, page in enumerate(document.pages, start=1):
            xs = [word["x1"] for word in page.extract_words()]
            xs += [line["x1"] for line in page.lines if line["x1"] - line["x0"] > 20]
            if max(xs, default=0.0) > RIGHT_EDGE:
                too_wide[number] = round(max(xs), 1)
        assert too_wide == {}
        text = "".join(page.extract_text() or "" for page in document.pages)
    assert text.count("Not assessed yet") == 3


def test_asking_again_costs_no_render_until_something_changes(
    alice_client, acme, alice, mlops_bank
) -> None:
    first = alice_client.get(url("acme")).content
    renders = render_count()

    again = alice_client.get(url("acme")).content
    assert again == first
    assert render_count() == renders  # served from the cache

    churn = Team.objects.get(name="Churn prediction")
    submit(churn, mlops_bank, alice, "2026 Q2", seed=6)
    changed = alice_client.get(url("acme")).content
    assert render_count() == renders + 1
    assert "Not assessed yet" not in pdf_text(changed)
    # Only the newest portfolio of the organisation is kept.
    assert len(default_storage.listdir(f"portfolios/{acme.pk}")[1]) == 1
