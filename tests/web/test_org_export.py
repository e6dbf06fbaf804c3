"""Exporting a whole organisation: a background task builds a ZIP, the page shows progress."""

from __future__ import annotations

import io
import json
import zipfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command

from assessment.models import ExportJob
from assessment.services.assessments import assessment_start
from core.models import Role
from core.naming import unique_name
from tests.factories import MembershipFactory, UserFactory
from tests.web.helpers import answer_everything_via_services

pytestmark = pytest.mark.django_db


def run_worker() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", stdout=StringIO())


# Transactional: the worker closes its database connection after each task, as in production,
# which must not end a test transaction around it.
@pytest.mark.django_db(transaction=True)
def test_a_zip_of_every_assessment_is_built_in_the_background(alice_client, alice, draft, media):
    answer_everything_via_services(alice, draft, "1")
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    slug = draft.team.organization.slug
    response = alice_client.post(f"/orgs/{slug}/exports/")
    job = ExportJob.objects.get()
    assert response["Location"] == f"/orgs/{slug}/exports/{job.pk}/"
    waiting = alice_client.get(response["Location"])
    assert "Waiting for the background worker" in waiting.content.decode()
    assert '<meta http-equiv="refresh" content="2">' in waiting.content.decode()
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.done_steps, job.total_steps) == ("done", 3, 3)
    ready = alice_client.get(f"/orgs/{slug}/exports/{job.pk}/")
    assert "Ready: 3 files." in ready.content.decode()
    download = alice_client.get(f"/orgs/{slug}/exports/{job.pk}/download/")
    assert download["Content-Disposition"].startswith('attachment; filename="acme-')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    names = sorted(archive.namelist())
    assert names == [
        "fraud-detection-2026-q4/fraud-detection-2026-q4.csv",
        "fraud-detection-2026-q4/fraud-detection-2026-q4.json",
        "fraud-detection-2026-q4/mlops-maturity-fraud-detection-2026-q4.pdf",
        "organization.json",
    ]
    exported = json.loads(archive.read(names[1]))
    assert exported["result"]["overall"]["level"] == 2
    assert archive.read(names[2]).startswith(b"%PDF-")


def test_viewers_cannot_start_exports_and_other_organisations_cannot_see_them(
    client, alice, draft, bob, globex_team, media
):
    job = ExportJob.objects.create(organization=draft.team.organization, requested_by=alice)
    viewer = UserFactory.create(username="vic")
    MembershipFactory.create(user=viewer, organization=draft.team.organization, role=Role.VIEWER)
    client.force_login(viewer)
    slug = draft.team.organization.slug
    assert client.post(f"/orgs/{slug}/exports/").status_code == 403
    client.force_login(bob)
    assert client.get(f"/orgs/{slug}/exports/{job.pk}/").status_code == 404
    assert client.get(f"/orgs/globex/exports/{job.pk}/").status_code == 404
    assert client.get(f"/orgs/globex/exports/{job.pk}/download/").status_code == 404
    assert ExportJob.objects.count() == 1


def test_an_unfinished_export_cannot_be_downloaded(alice_client, alice, draft, media):
    job = ExportJob.objects.create(organization=draft.team.organization, requested_by=alice)
    slug = draft.team.organization.slug
    assert alice_client.get(f"/orgs/{slug}/exports/{job.pk}/download/").status_code == 404


def test_a_second_click_joins_the_export_under_way(alice_client, draft, media):
    slug = draft.team.organization.slug
    first = alice_client.post(f"/orgs/{slug}/exports/")
    second = alice_client.post(f"/orgs/{slug}/exports/")
    assert first["Location"] == second["Location"]
    assert ExportJob.objects.count() == 1


def test_jobs_queued_under_the_previous_task_path_still_find_their_task():
    """django-tasks stores a queued task's dotted path; the export task used to live in
    assessment.tasks."""
    from django.utils.module_loading import import_string

    from assessment.services.exports import export_organization

    assert import_string("assessment.tasks.export_organization") is export_organization


# A worker that died mid-job (kill -9) leaves its job RUNNING with an old heartbeat; its unfinished
# ZIP was only ever in its own temporary file, but one that died after saving the ZIP and before
# marking the job done leaves that file in the storage: simulated here without killing anything.
def dead_worker_job(alice, draft, media: Path, *, minutes_ago: int) -> ExportJob:
    from datetime import timedelta

    from django.utils import timezone

    job = ExportJob.objects.create(
        organization=draft.team.organization,
        requested_by=alice,
        status=ExportJob.Status.RUNNING,
        total_steps=3,
        done_steps=2,
        file_name="acme-dead.zip",
    )
    ExportJob.objects.filter(pk=job.pk).update(
        heartbeat_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    default_storage.save("exports/acme-dead.zip", ContentFile(b"PK a zip of a dead job"))
    return job


def test_a_request_replaces_an_export_whose_worker_stopped_responding(
    alice_client, alice, draft, media, settings
):
    settings.EXPORT_STALE_AFTER = 300
    dead = dead_worker_job(alice, draft, media, minutes_ago=10)
    slug = draft.team.organization.slug
    response = alice_client.post(f"/orgs/{slug}/exports/")
    dead.refresh_from_db()
    assert (dead.status, dead.error) == ("failed", "stopped: the worker stopped responding")
    assert dead.finished_at is not None
    assert not (media / "exports" / "acme-dead.zip").exists()
    fresh = ExportJob.objects.exclude(pk=dead.pk).get()
    assert fresh.status == "queued"
    assert response["Location"] == f"/orgs/{slug}/exports/{fresh.pk}/"


def test_a_request_still_joins_an_export_with_a_recent_heartbeat(
    alice_client, alice, draft, media, settings
):
    settings.EXPORT_STALE_AFTER = 300
    alive = dead_worker_job(alice, draft, media, minutes_ago=1)
    slug = draft.team.organization.slug
    response = alice_client.post(f"/orgs/{slug}/exports/")
    assert response["Location"] == f"/orgs/{slug}/exports/{alive.pk}/"
    alive.refresh_from_db()
    assert alive.status == "running"
    assert (media / "exports" / "acme-dead.zip").exists()
    assert ExportJob.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("status", ["failed", "cancelled"])
def test_a_worker_does_not_revive_a_job_that_ended_while_queued(alice, draft, media, status):
    from assessment.services.exports import organization_export_start

    job = organization_export_start(organization=draft.team.organization, by=alice)
    ExportJob.objects.filter(pk=job.pk).update(status=status, error="ended meanwhile")
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.error, job.done_steps, job.file_name) == (
        status,
        "ended meanwhile",
        0,
        "",
    )
    assert list(media.rglob("*")) == []


@pytest.mark.django_db(transaction=True)
def test_the_worker_saves_a_heartbeat_with_each_file(alice_client, alice, draft, media):
    answer_everything_via_services(alice, draft, "1")
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    job = ExportJob.objects.create(organization=draft.team.organization, requested_by=alice)
    queued_beat = job.heartbeat_at
    from assessment.services.exports import export_organization

    export_organization.call(job.pk)
    job.refresh_from_db()
    assert job.status == "done"
    assert job.heartbeat_at > queued_beat


def test_a_second_start_joins_the_first(alice, draft, media):
    from assessment.services.exports import organization_export_start

    first = organization_export_start(organization=draft.team.organization, by=alice)
    second = organization_export_start(organization=draft.team.organization, by=alice)
    assert second.pk == first.pk
    assert ExportJob.objects.filter(status="queued").count() == 1


def test_the_database_refuses_a_second_export_under_way(alice, draft, media):
    from django.db import IntegrityError, transaction

    ExportJob.objects.create(organization=draft.team.organization, requested_by=alice)
    with pytest.raises(IntegrityError), transaction.atomic():
        ExportJob.objects.create(
            organization=draft.team.organization,
            requested_by=alice,
            status=ExportJob.Status.RUNNING,
        )
    # Finished jobs do not count: any number of them may sit beside the one under way.
    for status in ("done", "failed", "done"):
        ExportJob.objects.create(
            organization=draft.team.organization, requested_by=alice, status=status
        )
    assert ExportJob.objects.count() == 4


@pytest.mark.parametrize("role", [Role.OWNER, Role.CONSULTANT])
def test_an_owner_or_consultant_cancels_a_queued_export(client, alice, draft, media, role):
    from assessment.services.exports import organization_export_start

    job = organization_export_start(organization=draft.team.organization, by=alice)
    manager = UserFactory.create(username="mia")
    MembershipFactory.create(user=manager, organization=draft.team.organization, role=role)
    client.force_login(manager)
    slug = draft.team.organization.slug
    page = client.get(f"/orgs/{slug}/exports/{job.pk}/").content.decode()
    assert f'action="/orgs/{slug}/exports/{job.pk}/cancel/"' in page
    response = client.post(f"/orgs/{slug}/exports/{job.pk}/cancel/")
    assert response.status_code == 302
    assert response["Location"] == f"/orgs/{slug}/exports/{job.pk}/"
    job.refresh_from_db()
    assert (job.status, job.cancelled_by, job.error) == ("cancelled", manager, "")
    assert job.finished_at is not None
    cancelled = client.get(f"/orgs/{slug}/exports/{job.pk}/").content.decode()
    assert "Cancelled by mia." in cancelled
    assert "cancel/" not in cancelled
    assert 'http-equiv="refresh"' not in cancelled
    # A new request starts afresh rather than joining the cancelled job.
    again = client.post(f"/orgs/{slug}/exports/")
    assert again["Location"] != f"/orgs/{slug}/exports/{job.pk}/"


@pytest.mark.parametrize("role", [Role.MEMBER, Role.VIEWER])
def test_members_and_viewers_cannot_cancel_an_export(client, alice, draft, media, role):
    job = ExportJob.objects.create(organization=draft.team.organization, requested_by=alice)
    user = UserFactory.create(username="vic")
    MembershipFactory.create(user=user, organization=draft.team.organization, role=role)
    client.force_login(user)
    slug = draft.team.organization.slug
    assert "cancel/" not in client.get(f"/orgs/{slug}/exports/{job.pk}/").content.decode()
    response = client.post(f"/orgs/{slug}/exports/{job.pk}/cancel/")
    assert response.status_code == 403
    job.refresh_from_db()
    assert job.status == "queued"


def test_another_organisation_cannot_cancel_an_export(
    client, alice, draft, bob, globex_team, media
):
    job = ExportJob.objects.create(organization=draft.team.organization, requested_by=alice)
    client.force_login(bob)
    assert client.post(f"/orgs/acme/exports/{job.pk}/cancel/").status_code == 404
    assert client.post(f"/orgs/globex/exports/{job.pk}/cancel/").status_code == 404
    job.refresh_from_db()
    assert job.status == "queued"


def test_cancelling_a_running_export_whose_worker_died_removes_its_file(
    alice_client, alice, draft, media
):
    job = dead_worker_job(alice, draft, media, minutes_ago=1)
    slug = draft.team.organization.slug
    alice_client.post(f"/orgs/{slug}/exports/{job.pk}/cancel/")
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert not (media / "exports" / "acme-dead.zip").exists()


def test_cancelling_a_finished_export_changes_nothing(alice, draft, media):
    from assessment.services.exports import organization_export_cancel

    job = ExportJob.objects.create(
        organization=draft.team.organization, requested_by=alice, status="done"
    )
    organization_export_cancel(job=job, by=alice)
    job.refresh_from_db()
    assert (job.status, job.cancelled_by) == ("done", None)


@pytest.mark.django_db(transaction=True)
def test_a_running_task_stops_at_its_next_step_once_cancelled(
    alice_client, alice, draft, media, monkeypatch
):
    """The owner cancels while the worker renders the PDF: the task notices at its next step,
    stops and leaves no file behind. Nothing reaches the storage before the ZIP is whole."""
    from assessment.services import exports
    from assessment.services.exports import organization_export_cancel

    answer_everything_via_services(alice, draft, "1")
    alice_client.post(f"/assessments/{draft.pk}/submit/")
    job = exports.organization_export_start(organization=draft.team.organization, by=alice)
    render = exports.cached_report_pdf

    def render_then_cancel(sources):
        pdf = render(sources)
        assert list(media.glob("exports/*")) == []  # the ZIP is still in a temporary file
        organization_export_cancel(job=ExportJob.objects.get(pk=job.pk), by=alice)
        return pdf

    monkeypatch.setattr(exports, "cached_report_pdf", render_then_cancel)
    exports.export_organization.call(job.pk)
    job.refresh_from_db()
    # Cancelled during the first assessment's files, before its beat counted them.
    assert (job.status, job.done_steps, job.cancelled_by) == ("cancelled", 0, alice)
    assert list(media.glob("exports/*")) == []


@pytest.mark.django_db(transaction=True)
def test_a_zip_saved_after_its_job_was_cancelled_is_deleted(alice, draft, media, monkeypatch):
    """Cancelled on another host while this worker saved the ZIP: the cancel found no file to
    delete, so the worker deletes the one it saved."""
    from assessment.services import exports

    job = exports.organization_export_start(organization=draft.team.organization, by=alice)
    storage = exports.default_storage
    saved: list[str] = []

    class CancelledWhileSaving:
        def save(self, name: str, content: File[bytes]) -> str:
            ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.CANCELLED)
            saved.append(storage.save(name, content))
            return saved[-1]

        def delete(self, name: str) -> None:
            storage.delete(name)

    monkeypatch.setattr(exports, "default_storage", CancelledWhileSaving())
    exports.export_organization.call(job.pk)
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert saved == [f"exports/{job.file_name}"]
    assert list(media.glob("exports/*")) == []


@pytest.mark.django_db(transaction=True)  # the worker closes its connection, as above
def test_names_that_read_alike_once_made_safe_never_overwrite_each_other(
    alice_client, alice, draft, mlops_bank, media
):
    # "2026 Q4" and "2026-Q4" are different labels, but both become "fraud-detection-2026-q4".
    assessment_start(team=draft.team, bank=mlops_bank, label="2026-Q4", targets={}, by=alice)
    slug = draft.team.organization.slug
    alice_client.post(f"/orgs/{slug}/exports/")
    run_worker()
    job = ExportJob.objects.get()
    download = alice_client.get(f"/orgs/{slug}/exports/{job.pk}/download/")
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))

    folders = sorted({name.split("/")[0] for name in archive.namelist()})
    assert folders == ["fraud-detection-2026-q4", "fraud-detection-2026-q4-2", "organization.json"]
    assert len(archive.namelist()) == len(set(archive.namelist())) == 5


def test_unique_name_numbers_repeats():
    taken: set[str] = set()
    assert [unique_name("a", taken) for _ in range(3)] == ["a", "a-2", "a-3"]
