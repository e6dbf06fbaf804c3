"""An organisation's exports: the job a user asked for, and where its file lives."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import Http404

from assessment.models import ExportJob
from core.models import Organization

EXPORTS_FOLDER = "exports"


def export_job(organization: Organization, job_id: int) -> ExportJob:
    try:
        return ExportJob.objects.get(pk=job_id, organization=organization)
    except ExportJob.DoesNotExist:
        raise Http404 from None


def running_export(organization: Organization) -> ExportJob | None:
    return ExportJob.objects.filter(
        organization=organization, status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]
    ).first()


def export_path(job: ExportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / EXPORTS_FOLDER / job.file_name
