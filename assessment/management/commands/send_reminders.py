from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from assessment.services.reminders import reminders_send

EXAMPLE = "2027-01-10T09:00:00+00:00"


def parse_moment(value: str) -> datetime:
    """An ISO 8601 date and time; one without an offset is read in the site's time zone."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(
            f"--now must be an ISO 8601 date and time such as {EXAMPLE}; got {value!r}"
        ) from None
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


class Command(BaseCommand):
    help = (
        "Send the reminder e-mails due now: actions due soon or overdue, teams due for a "
        "reassessment (docs/deploy.md). Safe to run again, or twice at once: nothing is sent "
        "twice, and a message the mail server refused is tried again at the next run."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            default="",
            metavar="DATETIME",
            help=f"act as if it were this moment, e.g. {EXAMPLE} (default: now)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="list what would be sent; send and record nothing",
        )

    def handle(self, *args: Any, now: str, dry_run: bool, **options: Any) -> None:
        moment = parse_moment(now) if now else timezone.now()
        report = reminders_send(now=moment, dry_run=dry_run)
        verb = "would send" if dry_run else "sent"
        for message in report.sent:
            self.stdout.write(f"{verb} {message.describe()}")
        for message in report.taken:
            self.stdout.write(f"skipped {message.describe()}: another run sent it")
        for line in report.unaddressed:
            self.stdout.write(f"not sent {line}")
        for message, error in report.failed:
            self.stderr.write(f"failed {message.describe()}: {error}")
        if report.sent and not settings.SITE_URL:
            self.stdout.write("SITE_URL is not set: the e-mails give page paths, not links.")
        count = len(report.sent)
        if dry_run:
            self.stdout.write(
                f"Dry run: {count} reminder{_s(count)} would be sent; nothing was sent or recorded."
            )
            return
        self.stdout.write(f"{count} reminder{_s(count)} sent, {len(report.failed)} failed.")
        if report.failed:
            failed = len(report.failed)
            raise CommandError(
                f"{failed} reminder{_s(failed)} could not be sent (the mail server refused or "
                "could not be reached); the next run tries again"
            )


def _s(count: int) -> str:
    return "" if count == 1 else "s"
