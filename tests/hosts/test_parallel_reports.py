"""An organisation export hands its reports to every free worker: it queues their renderings a
few per task (from the last back), so other workers, on any host, render in parallel while its
own worker writes the files, and it finds them cached."""

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


def queued_warmups() -> list[list[int]]:
    rows = DBTaskResult.objects.filter(task_path__endswith="report_pdf_warm").order_by(
        "enqueued_at"
    )
    return [row.args_kwargs["args"] for row in rows]


def test_an_export_queues_the_reports_for_other_workers_from_the_last_back(
    alice, acme_team, quarters, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    job = ExportJob.objects.create(organization=acme_team.organization, requested_by=alice)
    before = render_count()
    export_organization.call(job.pk)
    # The first report is the export's own to render; the others were offered, last first.
    assert queued_warmups() == [[quarters[2].pk, quarters[1].pk]]
    assert render_count() - before == 3  # no other worker ran meanwhile: it rendered them all


def test_reports_other_workers_rendered_are_not_rendered_again(
    alice, acme_team, quarters, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    report_pdf_warm.call(quarters[2].pk, quarters[1].pk)  # another worker, before the export's turn
    job = ExportJob.objects.create(organization=acme_team.organization, requested_by=alice)
    before = render_count()
    export_organization.call(job.pk)
    job.refresh_from_db()
    assert job.status == "done"
    assert render_count() - before == 1  # only the first, which was its own


def test_warming_a_report_without_a_result_does_nothing(alice, draft):
    before = render_count()
    report_pdf_warm.call(draft.pk, 999_999)
    assert render_count() == before


def test_an_export_queues_a_few_reports_per_task(
    alice, acme_team, mlops_bank, settings, tmp_path, monkeypatch
):
    """Ten reports: the export renders the first, and nine go to other workers in tasks of four,
    the latest first, so the workers start where the export's own worker will end."""
    from assessment.services import exports

    settings.MEDIA_ROOT = tmp_path
    made = []
    for n in range(10):
        assessment = assessment_start(
            team=acme_team, bank=mlops_bank, label=f"Q{n}", targets={}, by=alice
        )
        answer_everything_via_services(alice, assessment, "0.5")
        assessment_submit(assessment=assessment, by=alice)
        made.append(assessment.pk)
    job = ExportJob.objects.create(organization=acme_team.organization, requested_by=alice)
    # Nothing rendered: the queue is what this is about.
    monkeypatch.setattr(exports, "cached_report_pdf", lambda _sources: b"%PDF stand-in")
    export_organization.call(job.pk)
    assert queued_warmups() == [made[9:5:-1], made[5:1:-1], made[1:0:-1]]
