"""An organisation's export: a ZIP of every assessment as CSV and JSON and each result as its
PDF report, built in the background by `python manage.py db_worker` (django-tasks).

The worker builds the ZIP in a local temporary file and saves it to the file storage (the local
disk, or a bucket shared by every host: core/storage.py) under its final name only once it is
complete, so a download through any host finds the whole file or none."""

from __future__ import annotations

import json
import logging
import tempfile
import time
import zipfile

from django.contrib.auth.models import User
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.timezone import localdate
from django_tasks import task

from assessment.formats.assessment_file import assessment_csv, assessment_json, export_filename
from assessment.formats.organization_file import ORGANIZATION_FILE
from assessment.formats.records import AnswerRecord
from assessment.models import Assessment, ExportJob
from assessment.selectors.answers import scored_answers_of
from assessment.selectors.assessments import assessment_record, organization_assessments
from assessment.selectors.exports import export_name, running_export, stale_before
from assessment.selectors.organization_file import organization_manifest
from assessment.selectors.report import report_filename, report_sources_of
from assessment.services.reports import cached_report_pdf, report_pdf_warm
from core.models import Organization
from core.naming import unique_name

EXPORT_CHUNK = 200  # assessments read at once
EXPORT_BEAT_SECONDS = 1.0
WARM_SLICE = 4  # reports per queued rendering
STALE_ERROR = "stopped: the worker stopped responding"

logger = logging.getLogger(__name__)


def organization_export_start(*, organization: Organization, by: User) -> ExportJob:
    """Queue a ZIP export of the organisation; the worker (`db_worker`) builds it.

    One export at a time per organisation: a second click joins the one under way, unless its
    worker stopped responding (`EXPORT_STALE_AFTER`), in which case that job is marked failed and
    a new one starts. The database constraint on jobs under way settles simultaneous requests.
    """
    running = running_export(organization)
    if running is not None and not _give_up_if_stale(running):
        return running
    try:
        with transaction.atomic():
            job = ExportJob.objects.create(organization=organization, requested_by=by)
    except IntegrityError:
        # A simultaneous request created its job first (it has committed: the insert waited
        # for it): join that one.
        running = running_export(organization)
        if running is None:
            raise
        return running
    # Enqueue only once the job row is committed, so the worker always finds it.
    transaction.on_commit(lambda: export_organization.enqueue(job.pk))
    return job


@transaction.atomic
def organization_export_cancel(*, job: ExportJob, by: User) -> bool:
    """Cancel an export under way. A queued job is never started; a running task notices at its
    next file and stops. Whatever file it saved goes at once, in case its worker died. Returns
    False when the job had already ended (nothing changes)."""
    cancelled = ExportJob.objects.filter(pk=job.pk, status__in=ExportJob.ACTIVE).update(
        status=ExportJob.Status.CANCELLED, cancelled_by=by, finished_at=timezone.now()
    )
    job.refresh_from_db()
    if cancelled:
        _remove_file(job)
    return bool(cancelled)


def _give_up_if_stale(job: ExportJob) -> bool:
    """Mark `job` failed if its worker stopped responding; False if it is still alive."""
    given_up = ExportJob.objects.filter(
        pk=job.pk, status__in=ExportJob.ACTIVE, heartbeat_at__lt=stale_before()
    ).update(status=ExportJob.Status.FAILED, error=STALE_ERROR, finished_at=timezone.now())
    job.refresh_from_db()
    if given_up:
        _remove_file(job)
    # A simultaneous request may have given it up first: then it is no longer under way either.
    return job.status not in ExportJob.ACTIVE


def _remove_file(job: ExportJob) -> None:
    """Delete the file of a job that will never be done, if its worker saved one: a worker that
    outlived its job (given up as stale, or cancelled between its last file and its end) may
    have. An unfinished ZIP never reaches the storage: it stays in the worker's temporary file.
    A storage out of reach leaves the file behind (logged) rather than fail the request."""
    name = export_name(job)
    if name is None:
        return
    try:
        default_storage.delete(name)
    except Exception as error:  # an OSError on disk, a botocore error from a bucket
        logger.warning("Export %s: its file %s was not deleted: %s", job.pk, name, error)


class _Stopped(Exception):
    """The job was cancelled or given up while the task ran: stop without touching it."""


@task()
def export_organization(job_id: int) -> None:
    """The background task: build the ZIP of job `job_id`. Progress is saved file by file so
    the waiting page can show it, with a heartbeat; each save also checks the job is still
    running, so a cancelled job stops at its next file."""
    # Start only a job still queued: one cancelled or given up meanwhile keeps its state.
    if not ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING, heartbeat_at=timezone.now()
    ):
        return
    job = ExportJob.objects.select_related("organization").get(pk=job_id)
    assessments = list(organization_assessments(job.organization_id))
    # Other workers render the reports meanwhile, from the last one back, while this one goes
    # through them from the first: they meet in the middle, and no report is waited for twice.
    # A few reports per task: enough tasks for every worker, few rows in the queue.
    others = [a.pk for a in reversed(assessments) if a.result is not None][:-1]
    for start in range(0, len(others), WARM_SLICE):
        report_pdf_warm.enqueue(*others[start : start + WARM_SLICE])
    job.total_steps = sum(3 if a.result is not None else 2 for a in assessments)
    job.file_name = f"{job.organization.slug}-{timezone.now():%Y%m%d-%H%M%S}-{job.pk}.zip"
    name = export_name(job)
    assert name is not None
    try:
        _advance(job, 0, total_steps=job.total_steps, file_name=job.file_name)
        # A local temporary file, nameless on disk: it goes when closed, and with the process if
        # the worker dies, so nothing partial is ever left for anyone to clean up.
        with tempfile.TemporaryFile(suffix=".zip") as spool:
            with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                _write_archive(job, archive, assessments)
            _advance(job, 0)  # cancelled meanwhile: nothing to save
            spool.seek(0)
            default_storage.save(name, File(spool, name=job.file_name))
    except _Stopped:
        return
    except Exception as error:
        _remove_file(job)  # a save that broke off leaves nothing as a rule; in case it did
        ended = _end(
            job,
            ExportJob.Status.FAILED,
            error=f"{type(error).__name__}: {error}"[:500],
        )
        if not ended:  # cancelled meanwhile (which may be what broke it): leave it so
            return
        raise
    if not _end(job, ExportJob.Status.DONE):
        _remove_file(job)  # cancelled or given up between the last file and now


def _write_archive(job: ExportJob, archive: zipfile.ZipFile, assessments: list[Assessment]) -> None:
    # What the assessments' files lack for a move to another instance: teams, actions, the
    # rest of each assessment (`manage.py import_organization`, docs/deploy.md).
    archive.writestr(ORGANIZATION_FILE, organization_manifest(job.organization_id))
    folders: set[str] = set()
    beat = _Beat(job)
    today = localdate()  # every report's plan as of the day the export began
    # Read by chunks: a chunk's answers and its reports' sources in a few queries whatever its
    # size, and memory bounded however large the client.
    for start in range(0, len(assessments), EXPORT_CHUNK):
        chunk = assessments[start : start + EXPORT_CHUNK]
        answers_of = scored_answers_of(a.pk for a in chunk)
        sources_of = report_sources_of([a for a in chunk if a.result is not None], today=today)
        for assessment in chunk:
            sources = sources_of.get(assessment.pk)
            _write_assessment(
                archive,
                assessment,
                answers_of[assessment.pk].answers,
                cached_report_pdf(sources) if sources is not None else None,
                folders,
            )
            beat.count(3 if sources is not None else 2)
    beat.now()


def _write_assessment(
    archive: zipfile.ZipFile,
    assessment: Assessment,
    answers: dict[str, AnswerRecord],
    pdf: bytes | None,
    folders: set[str],
) -> None:
    team, label = assessment.team.name, assessment.label
    # Two names may read alike once made safe ("Q4 2026" and "q4-2026"): number the later
    # ones, so unzipping never overwrites a file with another.
    folder = unique_name(export_filename(team, label, "").rstrip("."), folders)
    archive.writestr(
        f"{folder}/{export_filename(team, label, 'csv')}",
        assessment_csv(assessment.bank.bank(), answers),
    )
    archive.writestr(
        f"{folder}/{export_filename(team, label, 'json')}",
        json.dumps(
            assessment_json(assessment_record(assessment), answers), indent=2, ensure_ascii=False
        ),
    )
    if pdf is not None:
        archive.writestr(f"{folder}/{report_filename(assessment)}", pdf)


class _Beat:
    """The job's progress and heartbeat, saved at most once per `EXPORT_BEAT_SECONDS` rather
    than file by file: a long export writes one row a second, not one per file, yet its page
    moves and its heartbeat stays far inside `EXPORT_STALE_AFTER`. Each save checks the job
    still runs (`_Stopped` otherwise)."""

    def __init__(self, job: ExportJob) -> None:
        self.job = job
        self.pending = 0
        self.saved_at = time.monotonic()

    def count(self, steps: int) -> None:
        self.pending += steps
        if time.monotonic() - self.saved_at >= EXPORT_BEAT_SECONDS:
            self.now()

    def now(self) -> None:
        _advance(self.job, self.pending)
        self.pending = 0
        self.saved_at = time.monotonic()


def _advance(job: ExportJob, steps: int, **fields: object) -> None:
    """Count `steps` more files done and beat; raise `_Stopped` if the job no longer runs."""
    if not ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
        done_steps=F("done_steps") + steps, heartbeat_at=timezone.now(), **fields
    ):
        raise _Stopped
    job.done_steps += steps


def _end(job: ExportJob, status: ExportJob.Status, *, error: str = "") -> bool:
    """Finish a running job; False if it had stopped running (cancelled or given up)."""
    return bool(
        ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.RUNNING).update(
            status=status, error=error, finished_at=timezone.now(), heartbeat_at=timezone.now()
        )
    )
