"""Exporting a whole organisation: a background task builds a ZIP, the page shows progress."""

from __future__ import annotations

import io
import json
import zipfile
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.core.management import call_command

from assessment.models import ExportJob
from core.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.web.helpers import answer_everything_via_services

if TYPE_CHECKING:
    from pytest_django import Settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


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
