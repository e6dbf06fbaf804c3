from __future__ import annotations

from datetime import timedelta

import pytest

from assessment.models import Assessment
from assessment.selectors.report import report_sources
from tests.web.helpers import answer_everything_via_services

pytestmark = pytest.mark.django_db


def test_a_reused_id_and_version_never_share_a_cached_pdf(alice_client, alice, draft):
    """A recreated database numbers its assessments from 1 again, beside the same MEDIA_ROOT."""
    answer_everything_via_services(alice, draft, "1")
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    draft.refresh_from_db()
    first = report_sources(draft).pdf_key
    Assessment.objects.filter(pk=draft.pk).update(
        submitted_at=draft.submitted_at + timedelta(seconds=1)
    )
    draft.refresh_from_db()
    second = report_sources(draft).pdf_key
    assert (first.assessment_id, first.result_version) == (
        second.assessment_id,
        second.result_version,
    )
    assert first != second


def test_the_report_draws_the_team_trend_from_the_third_assessment_on(mlops_bank, settings):
    settings.DEBUG = True  # the demo loads in development only
    from io import StringIO

    from django.core.management import call_command

    from assessment.selectors.report import report_context, report_sources

    call_command("load_demo", stdout=StringIO())
    quarters = {a.label: a for a in Assessment.objects.filter(team__name="Fraud detection")}
    q2 = report_context(report_sources(quarters["2026 Q2"]))
    q3 = report_context(report_sources(quarters["2026 Q3"]))
    assert q2.trend_chart == ""  # two points are a comparison, shown as a table
    assert q3.trend_chart.startswith("<svg")
    assert "2026 Q1: overall not yet level 0" in q3.trend_chart
    assert "2026 Q3: overall level 0" in q3.trend_chart
    # Resubmitting an earlier quarter changes the chart, so the cached PDF must not be reused.
    before = report_sources(quarters["2026 Q3"]).pdf_key
    Assessment.objects.filter(pk=quarters["2026 Q1"].pk).update(result_version=2)
    assert report_sources(quarters["2026 Q3"]).pdf_key != before
