"""Readiness: whether this process can serve, checked part by part (core/views/health.py).

Each check is cheap (one query, or one tiny file), and any failure, whatever it raises, reads as
"error" rather than escaping: a probe gets an answer, never a 500. The worker check fails only
on a queue that is not moving; an idle queue (nothing waiting) is "ok", since a worker that has
nothing to do cannot be told apart from one that is absent.
"""

from __future__ import annotations

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

from core.metrics import waiting_since

logger = logging.getLogger(__name__)

OK = "ok"
ERROR = "error"
STALE = "stale"
HEALTHCHECK_FOLDER = "healthcheck"
PROBE = b"ok"


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:
        logger.warning("Readiness: the database does not answer: %s", error)
        return ERROR
    return OK


def storage_status() -> str:
    """Write, read back and delete a tiny file in the default storage (MEDIA_ROOT, or whatever
    STORAGES["default"] names), under a name no other check uses."""
    name = f"{HEALTHCHECK_FOLDER}/{uuid.uuid4().hex}.txt"
    saved: str | None = None
    try:
        saved = default_storage.save(name, ContentFile(PROBE))
        with default_storage.open(saved, "rb") as file:
            content = file.read()
        if content != PROBE:
            logger.warning("Readiness: storage read back %r, not what was written", content[:20])
            return ERROR
    except Exception as error:
        logger.warning("Readiness: storage is not usable: %s", error)
        return ERROR
    finally:
        if saved is not None:
            try:
                default_storage.delete(saved)
            except Exception as error:
                logger.warning("Readiness: storage kept %s: %s", saved, error)
    return OK


def workers_status() -> str:
    """ "stale" when a task ready to run has waited longer than WORKER_STALE_AFTER seconds (no
    worker is taking tasks from the queue); "ok" otherwise, an empty queue included."""
    from django_tasks_db.models import DBTaskResult

    cutoff = timezone.now() - timedelta(seconds=settings.WORKER_STALE_AFTER)
    try:
        stale = (
            DBTaskResult.objects.ready()
            .alias(waiting_since=waiting_since())
            .filter(waiting_since__lte=cutoff)
            .exists()
        )
    except Exception as error:
        logger.warning("Readiness: the task queue cannot be read: %s", error)
        return ERROR
    if stale:
        logger.warning(
            "Readiness: a task has waited more than %s seconds for a worker",
            settings.WORKER_STALE_AFTER,
        )
        return STALE
    return OK


def readiness() -> dict[str, str]:
    """{"database": "ok", "storage": "ok", "workers": "ok"}; anything else is a part not ready."""
    return {
        "database": database_status(),
        "storage": storage_status(),
        "workers": workers_status(),
    }


def is_ready(statuses: dict[str, str]) -> bool:
    return all(status == OK for status in statuses.values())
