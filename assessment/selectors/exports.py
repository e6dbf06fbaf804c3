"""An organisation's exports: the job a user asked for, and where its file lives."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from assessment.models import ExportJob
from core.models import Organization

EXPORTS_FOLDER = "exports"


def export_job(organization: Organization, job_id: int) -> ExportJob:
    try:
        return ExportJob.objects.get(pk=job_id, organization=organization)
    except ExportJob.DoesNotExist:
        raise Http404 from None


def running_export(organization: Organization) -> ExportJob | None:
    return ExportJob.objects.filter(organization=organization, status__in=ExportJob.ACTIVE).first()


def stale_before() -> datetime:
    """Heartbeats older than this belong to a worker that stopped (`EXPORT_STALE_AFTER`)."""
    return timezone.now() - timedelta(seconds=settings.EXPORT_STALE_AFTER)


def export_is_stale(job: ExportJob) -> bool:
    """Under way on paper, but no worker has shown a sign of life for too long."""
    return job.status in ExportJob.ACTIVE and job.heartbeat_at < stale_before()


def export_path(job: ExportJob) -> Path:
    return Path(settings.MEDIA_ROOT) / EXPORTS_FOLDER / job.file_name


def partial_path(job: ExportJob) -> Path | None:
    """The file the worker writes before it is complete; None before the worker named it."""
    return export_path(job).with_suffix(".part") if job.file_name else None
