"""The organisation dashboard with 200 teams x 20 submitted assessments, against a minimal page.

Goal: the dashboard within 3x the time of a minimal logged-in page. Run: `make bench`.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

TEAMS, ASSESSMENTS_PER_TEAM, RUNS = 200, 20, 15
GOAL_RATIO = 3.0

workdir = tempfile.mkdtemp(prefix="bench-dashboard-")
os.environ["DATABASE_URL"] = (
    os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{workdir}/db.sqlite3"
)
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from assessment.banks.loader import BUNDLED_BANKS_DIR  # noqa: E402
from assessment.models import Assessment, AssessmentStatus, QuestionBank  # noqa: E402
from assessment.services.standings import team_standing_refresh  # noqa: E402
from core.models import Membership, Organization, Role, Team  # noqa: E402
from tests.factories import UserFactory  # noqa: E402


def build() -> tuple[Organization, User]:
    call_command("migrate", verbosity=0)
    call_command("load_question_bank", str(BUNDLED_BANKS_DIR), stdout=open(os.devnull, "w"))  # noqa: SIM115
    bank = QuestionBank.objects.get(slug="mlops-maturity", version="2.0")
    user = UserFactory.create(username="bench")
    organization = Organization.objects.create(name="Big client", slug="big-client")
    Membership.objects.create(user=user, organization=organization, role=Role.CONSULTANT)
    teams = Team.objects.bulk_create(
        Team(organization=organization, name=f"Team {n:03d}") for n in range(TEAMS)
    )
    start = datetime(2022, 1, 1, tzinfo=UTC)
    Assessment.objects.bulk_create(
        Assessment(
            team=team,
            bank=bank,
            label=f"Quarter {q}",
            created_by=user,
            status=AssessmentStatus.SUBMITTED,
            submitted_at=start + timedelta(days=91 * q + t),
            summary={
                "overall": q % 3 - 1 if q % 3 else None,
                "phases": {
                    p: {"level": q % 3, "percent": float(40 + q * 2)}
                    for p in ("design", "development", "operations")
                },
            },
        )
        for t, team in enumerate(teams)
        for q in range(ASSESSMENTS_PER_TEAM)
    )
    for team in teams:
        team_standing_refresh(team.pk)
    return organization, user


def timed(client: Client, path: str) -> tuple[float, int]:
    durations = []
    queries = 0
    for _ in range(RUNS):
        reset_queries()
        began = time.perf_counter()
        response = client.get(path)
        durations.append(time.perf_counter() - began)
        assert response.status_code == 200, (path, response.status_code)
        queries = len(connection.queries)
    return statistics.median(durations), queries


def main() -> None:
    organization, user = build()
    client = Client()
    client.force_login(user)
    with override_settings(DEBUG=True, SECURE_SSL_REDIRECT=False, ALLOWED_HOSTS=["testserver"]):
        client.get("/")  # warm caches (bank parsing, templates)
        dashboard, dashboard_queries = timed(client, f"/orgs/{organization.slug}/")
        minimal, minimal_queries = timed(client, "/orgs/big-client/members/")
    ratio = dashboard / minimal
    print(f"dashboard: {TEAMS} teams x {ASSESSMENTS_PER_TEAM} submitted assessments")
    print(f"  median {dashboard * 1000:.1f} ms over {RUNS} requests, {dashboard_queries} queries")
    print(
        f"minimal logged-in page (members list): median {minimal * 1000:.1f} ms, "
        f"{minimal_queries} queries"
    )
    verdict = "PASS" if ratio <= GOAL_RATIO else "MISS"
    print(f"ratio dashboard / minimal page: {ratio:.2f}x (goal <= {GOAL_RATIO:g}x): {verdict}")


if __name__ == "__main__":
    main()
