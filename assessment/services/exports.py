"""An organisation's export: a ZIP of every assessment as CSV and JSON and each result as its
PDF report, built in the background by `python manage.py db_worker` (django-tasks)."""

from __future__ import annotations

import json
import os
import zipfile

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django_tasks import task

from assessment.formats.assessment_file import assessment_csv, assessment_json, export_filename
from assessment.models import ExportJob
from assessment.selectors.answers import scored_answers
from assessment.selectors.assessments import assessment_record, organization_assessments
from assessment.selectors.exports import export_path, running_export
from assessment.selectors.report import report_filename
from assessment.services.reports import report_pdf_bytes
from core.models import Organization


def organization_export_start(*, organization: Organization, by: User) -> ExportJob:
    """Queue a ZIP export of the organisation; the worker (`db_worker`) builds it."""
    # One export at a time per organisation: a second click joins the one under way.
    running = running_export(organization)
    if running is not None:
        return running
    job = ExportJob.objects.create(organization=organization, requested_by=by)
    # Enqueue only once the job row is committed, so the worker always finds it.
    transaction.on_commit(lambda: export_organization.enqueue(job.pk))
    return job


@task()
def export_organization(job_id: int) -> None:
    """The background task: build the ZIP of job `job_id`. Progress is saved file by file so
    the waiting page can show it."""
    job = ExportJob.objects.select_related("organization").get(pk=job_id)
    assessments = list(organization_assessments(job.organization_id))
    job.status = ExportJob.Status.RUNNING
    job.total_steps = sum(3 if a.result is not None else 2 for a in assessments)
    job.file_name = f"{job.organization.slug}-{timezone.now():%Y%m%d-%H%M%S}-{job.pk}.zip"
    job.save(update_fields=["status", "total_steps", "file_name"])
    target = export_path(job)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_suffix(".part")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for assessment in assessments:
                team, label = assessment.team.name, assessment.label
                folder = export_filename(team, label, "").rstrip(".")
                answers = scored_answers(assessment).answers
                archive.writestr(
                    f"{folder}/{export_filename(team, label, 'csv')}",
                    assessment_csv(assessment.bank.bank(), answers),
                )
                archive.writestr(
                    f"{folder}/{export_filename(team, label, 'json')}",
                    json.dumps(
                        assessment_json(assessment_record(assessment), answers),
                        indent=2,
                        ensure_ascii=False,
                    ),
                )
                _advance(job, 2)
                if assessment.result is not None:
                    archive.writestr(
                        f"{folder}/{report_filename(assessment)}",
                        report_pdf_bytes(assessment),
                    )
                    _advance(job, 1)
        os.replace(partial, target)
    except Exception as error:
        partial.unlink(missing_ok=True)
        job.status = ExportJob.Status.FAILED
        job.error = f"{type(error).__name__}: {error}"[:500]
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "finished_at"])
        raise
    job.status = ExportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save(update_fields=["status", "finished_at"])


def _advance(job: ExportJob, steps: int) -> None:
    job.done_steps += steps
    job.save(update_fields=["done_steps"])
