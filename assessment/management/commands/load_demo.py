from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessment.services.demo import CONSULTANT_USERNAME, DEMO_PASSWORD, DEMO_USERNAME, demo_load


class Command(BaseCommand):
    help = "Create (or refresh) the demo organisation, team, user and assessments. Idempotent."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.DEBUG:
            # The demo's users share a published password: never on a real deployment.
            raise CommandError(
                "load_demo creates users with the published demo password: it runs only with "
                "DEBUG=1 (development). Create your organisation from the pages instead."
            )
        summary = demo_load()
        for line in summary:
            self.stdout.write(line)
        self.stdout.write("")
        self.stdout.write(f"Demo login: username {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r}")
        self.stdout.write(
            f"Consultant with two client organisations: username {CONSULTANT_USERNAME!r}, "
            f"same password"
        )
