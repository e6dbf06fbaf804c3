"""The reminders sent by the background worker (`manage.py db_worker`) every hour, when
`REMINDERS_IN_WORKER` is on: an alternative to running `manage.py send_reminders` from cron.

There is no scheduler in django-tasks: each run queues the next one an hour later, and
`manage.py schedule_reminders` queues the first. One queued run at most: a run, or the command,
queues another only when none is queued, then keeps the earliest of those queued, so two that
raced (two workers, the command beside a run) leave one chain, never two. Sending is idempotent
anyway (`reminders.py`): a duplicate run would only find nothing left to send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult, DBTaskResultQuerySet

from assessment.services.reminders import reminders_send

EVERY = timedelta(hours=1)


@task()
def send_reminders_hourly() -> dict[str, int]:
    """Queue the next run, then send what is due. Stops (queues nothing) once
    REMINDERS_IN_WORKER is off, which is how the hourly runs are turned off."""
    if not settings.REMINDERS_IN_WORKER:
        return {"sent": 0, "failed": 0}
    now = timezone.now()
    # First, so that a failure below (the database, a template) never ends the chain.
    reminders_schedule(at=now + EVERY)
    report = reminders_send(now=now)
    # Failures are logged by reminders_send, and retried at the next run.
    return {"sent": len(report.sent), "failed": len(report.failed)}


@dataclass(frozen=True)
class Scheduled:
    at: datetime | None  # when the queued run is due; None once a worker has already taken it
    queued: bool  # whether this call queued it (False: one was queued already)


def reminders_schedule(*, at: datetime) -> Scheduled:
    """Queue a run at `at` unless one is queued, and leave exactly one queued."""
    queued = not _queued().exists()
    if queued:
        send_reminders_hourly.using(run_after=at).enqueue()
    # Two callers at once may both have found none queued: each keeps the same one, the
    # earliest (the order is total), and removes the others. A run a worker has started is no
    # longer READY, so it is never removed.
    keep = _queued().first()
    if keep is not None:
        _queued().exclude(pk=keep.pk).delete()
    return Scheduled(at=keep.run_after if keep is not None else None, queued=queued)


def _queued() -> DBTaskResultQuerySet:
    """The runs queued and not started, the earliest first."""
    return DBTaskResult.objects.filter(
        task_path=send_reminders_hourly.module_path, status=TaskResultStatus.READY
    ).order_by("run_after", "enqueued_at", "pk")
