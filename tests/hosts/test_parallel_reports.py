"""An organisation export hands its reports to every free worker: it queues one rendering per
report (from the last back), so other workers, on any host, render in parallel while its own
worker writes the files, and it finds them cached."""

from __future__ import annotations

import pytest
from django_tasks_db.models import DBTaskResult

from assessment.models import Assessment, ExportJob
from assessment.pdf.render import render_count
from assessment.services.assessments import assessment_start, assessment_submit
from assessment.services.exports import export_organization
from assessment.services.reports import report_pdf_warm
from tests.web.helpers import answer_everything_via_services

pytestmark = pytest.mark.django_db


@pytest.fixture
def quarters(alice, acme_team, mlops_bank) -> list[Assessment]:
    made = []
    for label in ("Q1", "Q2", "Q3"):
        assessment = assessment_start(
            team=acme_team, bank=mlops_bank, label=label, targets={}, by=alice
        )
        answer_everything_via_services(alice, assessment, "0.5")
        assessment_submit(assessment=assessment, by=alice)
        made.append(assessment)
    return made


def queued_warmups() -> list[int]:
    rows = DBTaskResult.objects.filter(task_path__endswith="report_pdf_warm").order_by(
        "enqueued_at"
    )
    return [row.args_kwargs["args"][0] for row in rows]


def test_an_export_queues_the_reports_for_other_workers_from_the_last_back(
    alice, acme_team, quarters, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    job = ExportJob.objects.create(organization=acme_team.organization, requested_by=alice)
    before = render_count()
    export_organization.call(job.pk)
    # The first report is the export's own to render; the others were offered, last first.
    assert queued_warmups() == [quarters[2].pk, quarters[1].pk]
    assert render_count() - before == 3  # no other worker ran meanwhile: it rendered them all


def test_reports_other_workers_rendered_are_not_rendered_again(
    alice, acme_team, quarters, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    for assessment in quarters[1:]:
        report_pdf_warm.call(assessment.pk)  # two other workers, done before the export's turn
    job = ExportJob.objects.create(organization=acme_team.organization, requested_by=alice)
    before = render_count()
    export_organization.call(job.pk)
    job.refresh_from_db()
    assert job.status == "done"
    assert render_count() - before == 1  # only the first, which was its own


def test_warming_a_report_without_a_result_does_nothing(alice, draft):
    before = render_count()
    report_pdf_warm.call(draft.pk)
    report_pdf_warm.call(999_999)
    assert render_count() == before


def test_an_export_reads_answers_by_chunks_not_by_assessment(
    alice, acme_team, quarters, mlops_bank, settings, tmp_path, django_assert_max_num_queries
):
    """Two more assessments (a draft and a team one) cost no query of the answers: the reads
    that remain per assessment are its report's cache key, and one progress beat."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.MEDIA_ROOT = tmp_path
    for assessment in quarters:
        report_pdf_warm.call(assessment.pk)

    def export_queries() -> int:
        job = ExportJob.objects.create(organization=acme_team.organization, requested_by=alice)
        with CaptureQueriesContext(connection) as captured:
            export_organization.call(job.pk)
        answer_reads = [
            q["sql"]
            for q in captured.captured_queries
            if '"assessment_answer"' in q["sql"] or '"assessment_finalanswer"' in q["sql"]
        ]
        job.refresh_from_db()
        assert job.status == "done"
        return len(answer_reads)

    few = export_queries()
    assessment_start(team=acme_team, bank=mlops_bank, label="Draft", targets={}, by=alice)
    assessment_start(team=acme_team, bank=mlops_bank, label="Draft 2", targets={}, by=alice)
    assert export_queries() == few
