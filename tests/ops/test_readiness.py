"""/readyz: the database, the storage and the workers, each checked on its own; 200 when all
are ready, 503 (never a 500) otherwise."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import DatabaseError, connection
from django.utils import timezone

from core.health import HEALTHCHECK_FOLDER
from tests.core.test_settings import run_python
from tests.ops import queued_task

pytestmark = pytest.mark.django_db

ALL_OK = {"database": "ok", "storage": "ok", "workers": "ok"}


class ExplodingStorage(FileSystemStorage):
    """A storage whose every write fails with something no one expects."""

    def _save(self, name: str, content: object) -> str:
        raise RuntimeError("the bucket is on fire")


class ForgetfulStorage(FileSystemStorage):
    """A storage that reads back something else than was written."""

    def open(self, name: str, mode: str = "rb") -> File:
        return ContentFile(b"not what was written", name=name)


def default_storage_is(settings, backend: str, **options: object) -> None:
    settings.STORAGES = settings.STORAGES | {"default": {"BACKEND": backend, "OPTIONS": options}}


def test_all_ready_answers_200_and_leaves_nothing_behind(client, settings):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == ALL_OK
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    folder = Path(settings.MEDIA_ROOT) / HEALTHCHECK_FOLDER
    assert not folder.exists() or list(folder.iterdir()) == []


def test_it_needs_no_login_and_no_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/readyz").status_code == 200


def test_an_unwritable_storage_answers_503_with_the_rest_ready(client, settings, tmp_path):
    # A folder inside a regular file: no one, root included, can create it.
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    default_storage_is(
        settings, "django.core.files.storage.FileSystemStorage", location=str(blocked / "media")
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == ALL_OK | {"storage": "error"}


@pytest.mark.parametrize("storage", [ExplodingStorage, ForgetfulStorage])
def test_a_storage_failing_any_way_answers_503_never_500(client, settings, tmp_path, storage):
    default_storage_is(settings, f"{__name__}.{storage.__name__}", location=str(tmp_path))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == ALL_OK | {"storage": "error"}
    assert list(tmp_path.rglob("*.txt")) == []  # the forgetful one's file was deleted


def test_an_unreachable_database_answers_503(client):
    with mock.patch.object(connection, "cursor", side_effect=DatabaseError("gone")):
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"database": "error", "storage": "ok", "workers": "error"}


def test_a_task_waiting_too_long_means_stale_workers(client, settings):
    settings.WORKER_STALE_AFTER = 300
    queued_task(waited=timedelta(seconds=290))
    assert client.get("/readyz").json() == ALL_OK
    queued_task(waited=timedelta(seconds=310))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == ALL_OK | {"workers": "stale"}


def test_an_idle_queue_and_tasks_not_due_yet_are_fine(client, settings):
    settings.WORKER_STALE_AFTER = 300
    now = timezone.now()
    # Queued long ago to run later: not waiting yet, or waiting only since it became due.
    queued_task(waited=timedelta(days=1), run_after=now + timedelta(hours=1))
    queued_task(waited=timedelta(days=1), run_after=now - timedelta(minutes=1))
    # Finished or under way: not waiting for a worker at all.
    queued_task(waited=timedelta(days=1), status="SUCCESSFUL")
    queued_task(waited=timedelta(days=1), status="RUNNING")
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == ALL_OK


def test_a_task_due_long_ago_means_stale_workers(client, settings):
    settings.WORKER_STALE_AFTER = 60
    queued_task(waited=timedelta(days=1), run_after=timezone.now() - timedelta(minutes=5))
    assert client.get("/readyz").json()["workers"] == "stale"


def test_a_bad_worker_stale_after_stops_start_up():
    for raw, message in [
        ("soon", "WORKER_STALE_AFTER must be a whole number"),
        ("0", "WORKER_STALE_AFTER must be a number of seconds above 0"),
    ]:
        result = run_python("import django; django.setup()", DEBUG="1", WORKER_STALE_AFTER=raw)
        assert result.returncode != 0
        assert message in result.stderr
