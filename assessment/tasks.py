"""Background work, run by `python manage.py db_worker` (django-tasks, database queue)."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from assessment import selectors
from assessment.exports import assessment_csv, assessment_json, export_filename
from assessment.models import Assessment, ExportJob
from assessment.report_views import assessment_report_pdf_bytes, report_filename

EXPORTS_FOLDER = "exports"


def export_path(job: ExportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / EXPORTS_FOLDER / job.file_name


@task()
def export_organization(job_id: int) -> None:
    """Every assessment of the organisation as CSV and JSON, and each result as its PDF report,
    in one ZIP. Progress is saved file by file so the waiting page can show it."""
    job = ExportJob.objects.select_related("organization").get(pk=job_id)
    assessments = list(
        Assessment.objects.filter(team__organization=job.organization)
        .select_related("team__organization", "bank")
        .order_by("team__name", "created_at")
    )
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
                folder = export_filename(assessment, "").rstrip(".")
                answers = selectors.final_answers_by_code(assessment)
                archive.writestr(
                    f"{folder}/{export_filename(assessment, 'csv')}",
                    assessment_csv(assessment.bank.bank(), answers),
                )
                archive.writestr(
                    f"{folder}/{export_filename(assessment, 'json')}",
                    json.dumps(assessment_json(assessment, answers), indent=2, ensure_ascii=False),
                )
                _advance(job, 2)
                if assessment.result is not None:
                    archive.writestr(
                        f"{folder}/{report_filename(assessment)}",
                        assessment_report_pdf_bytes(assessment),
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
