"""Running on several hosts: logs with request ids, Prometheus metrics, readiness."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

METRICS_TOKEN = "a-long-enough-metrics-token"


def queued_task(
    *, waited: timedelta = timedelta(0), run_after: datetime | None = None, status: str = "READY"
) -> DBTaskResult:
    """A task in django-tasks' database queue, queued `waited` ago (to run at once, or at
    `run_after`), as `enqueue()` would have left it."""
    result = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="assessment.services.reminder_task.send_reminders_hourly",
        backend_name="default",
        queue_name="default",
        run_after=run_after or get_date_max(),
        status=status,
    )
    # `enqueued_at` is set on creation whatever is passed: move it back afterwards.
    DBTaskResult.objects.filter(pk=result.pk).update(enqueued_at=timezone.now() - waited)
    return result
