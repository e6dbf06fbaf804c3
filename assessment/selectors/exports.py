"""An organisation's exports: the job a user asked for, and its file in the storage (the local
disk or a bucket shared by every host: core/storage.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
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


def export_name(job: ExportJob) -> str | None:
    """The export's name in the default storage; None before the worker named it. The file
    appears there only whole: the worker builds the ZIP in a local temporary file and saves it
    under this name once complete."""
    return f"{EXPORTS_FOLDER}/{job.file_name}" if job.file_name else None


def export_file(job: ExportJob) -> File[bytes] | None:
    """The finished export, opened for reading from the storage; None when the job is not done
    or its file is gone. The caller closes it (a FileResponse does)."""
    name = export_name(job) if job.status == ExportJob.Status.DONE else None
    if name is None:
        return None
    try:
        return default_storage.open(name, "rb")
    except FileNotFoundError:
        return None
