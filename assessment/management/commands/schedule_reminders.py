from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assessment.services.reminder_task import reminders_schedule


class Command(BaseCommand):
    help = (
        "With REMINDERS_IN_WORKER=1, queue the background worker's first reminder run (it then "
        "runs every hour) unless one is queued already. Safe to run at every deployment."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.REMINDERS_IN_WORKER:
            raise CommandError(
                "REMINDERS_IN_WORKER is off: set REMINDERS_IN_WORKER=1 for the worker to send "
                "reminders, or run `manage.py send_reminders` from cron (docs/deploy.md)"
            )
        scheduled = reminders_schedule(at=timezone.now())
        when = f"{scheduled.at:%Y-%m-%d %H:%M %Z}" if scheduled.at else "now (a worker took it)"
        if scheduled.queued:
            self.stdout.write(
                f"Queued: the worker sends the reminders due at {when}, then every hour."
            )
        else:
            self.stdout.write(f"Already queued: the worker's next reminder run is at {when}.")
