"""The plan and the role verdicts on the result page, the report page and in the PDF: one source,
the same words, and the person who holds a role where the assessment knows them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from assessment.formats.answers_file import parse_answers_file
from assessment.models import Assessment, Respondent
from core.selectors import display_name
from tests.reports.helpers import submitted_assessment

pytestmark = pytest.mark.django_db

TEAMS = Path(__file__).parents[1] / "scoring" / "teams"


@pytest.fixture
def platform(acme_team, alice, mlops_bank) -> Assessment:
    data = yaml.safe_load((TEAMS / "platform_without_security.yaml").read_text(encoding="utf-8"))
    given = parse_answers_file(data, mlops_bank.bank())
    assessment = submitted_assessment(
        team=acme_team, bank=mlops_bank, by=alice, label="2026 Q4", given=given
    )
    # Alice answered as the team's DevOps engineer: the plan names her beside that role.
    Respondent.objects.filter(assessment=assessment).update(role="devops_engineer")
    return assessment


def test_the_result_page_shows_the_first_month_and_why_each_role_needs_attention(
    alice_client, alice, platform
):
    page = alice_client.get(f"/assessments/{platform.pk}/result/")
    body = page.content.decode()
    view = page.context["view"]

    assert "What to do in the first 30 days" in body
    assert [rec.code for rec in page.context["top_recommendations"]] == [
        rec.code for rec in view.recommendations if rec.period == 30
    ]
    signing = next(rec for rec in view.recommendations if rec.code == "DEV-2-07")
    assert signing.person == display_name(alice)
    assert f"owner: DevOps / IT operations engineer ({display_name(alice)})" in body
    assert "Then: days 31 to 60," in body
    devops = next(role for role in view.roles if role.code == "devops_engineer")
    assert devops.reason.startswith(
        f"Give the DevOps / IT operations engineer ({display_name(alice)}) the time and mandate"
    )
    assert devops.reason in body.replace("&#x27;", "'")


def test_the_report_and_the_pdf_read_the_same_plan(alice_client, platform):
    report = alice_client.get(f"/assessments/{platform.pk}/report/")
    body = report.content.decode()
    context = report.context["report"]

    assert [group.title for group in context.roadmap][:2] == ["First 30 days", "Days 31 to 60"]
    assert [item.rec.code for item in context.roadmap[0].items] == [
        rec.code for rec in context.view.recommendations if rec.period == 30
    ]
    assert 'id="summary-plan">The first 30 days</h3>' in body
    assert 'id="summary-risks">The biggest risks</h3>' in body
    pdf = alice_client.get(f"/assessments/{platform.pk}/report.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
