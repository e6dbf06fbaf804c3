"""How an organisation export scales with the client: its reads, and its PDFs across workers.

Run: `make bench-export` (ARGS="--teams 200 --quarters 14 ..." to change the sizes). Needs
PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/maturity_bench_export): the
workers are separate processes sharing it, as on several hosts. Creates that database, fills it
with generated clients (every assessment answered and submitted, each team with actions), and
drops it at the end. Prints:

1. **Reads at scale**: an export of --teams x --quarters assessments with a stand-in for each PDF
   (rendering is measured in part 2), in this process: seconds, queries in all and per
   assessment; against a floor measured in the same run, writing the very same files into a ZIP
   from memory.
2. **Reports across workers**: an export of --pdf-teams x --pdf-quarters real reports, from a
   cold cache, with 1 and then --workers `db_worker` processes; against a floor measured in the
   same run, one report's render time x reports / workers. Then the same export the next day:
   an earlier report's PDF is final once the next assessment is submitted, so only each team's
   latest report is rendered again (simulated by removing those from the cache), and the same
   export again the same day (everything cached).
3. What that means for --teams teams, from the per-report figures of part 2.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    from core.models import Organization

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import database_create, database_drop  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/maturity_bench_export"
VALUES = ("0", "0.5", "1")


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--teams", type=int, default=200)
    parser.add_argument("--quarters", type=int, default=14)
    parser.add_argument("--pdf-teams", type=int, default=12)
    parser.add_argument("--pdf-quarters", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    return parser.parse_args()


def main() -> int:
    args = arguments()
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    try:
        created = database_create(database_url)
    except Exception as error:  # psycopg's errors: no server, refused, no rights
        print(f"bench-export needs PostgreSQL at {database_url}: {error}", file=sys.stderr)
        return 1
    media = Path(tempfile.mkdtemp(prefix="bench-export-"))
    os.environ.update(
        DATABASE_URL=database_url,
        MEDIA_ROOT=str(media),
        DEBUG="1",  # the throwaway database and loopback only; queries are counted
        LOG_LEVEL="WARNING",
        DJANGO_SETTINGS_MODULE="core.settings",
    )
    try:
        return run(args, media)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(media, ignore_errors=True)
        if created:
            database_drop(database_url)


def run(args: argparse.Namespace, media: Path) -> int:
    import django

    django.setup()
    from django.core.management import call_command

    from assessment.banks.loader import BUNDLED_BANKS_DIR

    call_command("migrate", verbosity=0)
    call_command("load_question_bank", str(BUNDLED_BANKS_DIR), stdout=io.StringIO())

    print(f"\n## Reads at scale: {args.teams} teams x {args.quarters} assessments")
    scale = client("scale", args.teams, args.quarters)
    reads_at_scale(scale)

    reports = args.pdf_teams * args.pdf_quarters
    print(f"\n## Reports across workers: {args.pdf_teams} teams x {args.pdf_quarters} = {reports}")
    parallel = client("parallel", args.pdf_teams, args.pdf_quarters)
    per_report = reports_across_workers(parallel, media, args.workers)

    print(f"\n## What that means for {args.teams} teams")
    latest = args.teams * per_report["next day"]
    cold = args.teams * args.quarters * per_report["cold"]
    print(
        f"with {args.workers} workers as measured here: the next day's export (each team's "
        f"latest report rendered again) {latest / 60:.1f} min; a first export with nothing "
        f"cached ({args.teams * args.quarters} reports) {cold / 60:.1f} min, which more workers "
        "divide (another host's worker adds its cores)"
    )
    return 0


# --- generated clients ---------------------------------------------------------------------------


def client(slug: str, teams: int, quarters: int) -> Organization:
    """An organisation of `teams` teams with `quarters` submitted assessments each, one a
    quarter, answered by the team lead; each team with three actions (done, open, overdue)
    and a consultant's commentary on its first assessment. Three assessments are answered and
    submitted through the services; the others are copies of them written in bulk."""
    from datetime import UTC, datetime, timedelta

    from django.contrib.auth.models import User

    from assessment.models import (
        Action,
        Answer,
        Assessment,
        AssessmentStatus,
        QuestionBank,
        ReportCommentary,
        Respondent,
    )
    from assessment.services.answers import AnswerData, answers_save
    from assessment.services.assessments import (
        assessment_set_composition,
        assessment_start,
        assessment_submit,
    )
    from core.models import Membership, Organization, Role, Team

    began = time.perf_counter()
    bank = QuestionBank.objects.get(slug="mlops-maturity", version="2.0")
    lead = User.objects.create_user(username=f"lead-{slug}", first_name="Dana", last_name="Lee")
    organization = Organization.objects.create(name=f"Client {slug}", slug=slug)
    Membership.objects.create(user=lead, organization=organization, role=Role.CONSULTANT)
    all_teams = Team.objects.bulk_create(
        Team(organization=organization, name=f"Team {n:04d}") for n in range(teams)
    )
    # Three real submissions, on the first team: what every other assessment copies.
    composition = {role.code: "present" for role in bank.bank().roles}
    templates = []
    for value in VALUES:
        made = assessment_start(
            team=all_teams[0], bank=bank, label=f"Template {value}", targets={}, by=lead
        )
        assessment_set_composition(assessment=made, composition=composition, by=lead)
        respondent = made.respondents.get(user=lead)
        for phase in bank.bank().phases:
            answers_save(
                assessment=made,
                respondent=respondent,
                changes={
                    q.code: AnswerData(value=value) for q in bank.bank().questions_in(phase.code)
                },
                by=lead,
            )
        assessment_submit(assessment=made, by=lead)
        made.refresh_from_db()
        templates.append((made, list(Answer.objects.filter(respondent__assessment=made))))
    Assessment.objects.filter(pk__in=[t.pk for t, _ in templates]).delete()

    start = datetime(2023, 1, 1, tzinfo=UTC)
    rows = []
    for t, team in enumerate(all_teams):
        for q in range(quarters):
            template = templates[(t + q) % len(templates)][0]
            at = start + timedelta(days=91 * q, hours=t % 24)
            rows.append(
                Assessment(
                    team=team,
                    bank=bank,
                    label=f"Quarter {q + 1}",
                    created_by=lead,
                    status=AssessmentStatus.SUBMITTED,
                    submitted_at=at,
                    submitted_by=lead,
                    composition=template.composition,
                    targets=template.targets,
                    result=template.result,
                    summary=template.summary,
                    engine_version=template.engine_version,
                    result_version=1,
                )
            )
    assessments = Assessment.objects.bulk_create(rows, batch_size=1000)
    # created_at is set on insert: spread it like the quarters, oldest first.
    for index, assessment in enumerate(assessments):
        assessment.created_at = start + timedelta(days=91 * (index % quarters) - 14)
    Assessment.objects.bulk_update(assessments, ["created_at"], batch_size=1000)
    respondents = Respondent.objects.bulk_create(
        (Respondent(assessment=a, user=lead, is_lead=True) for a in assessments), batch_size=1000
    )
    answers = []
    for index, respondent in enumerate(respondents):
        t, q = divmod(index, quarters)
        for answer in templates[(t + q) % len(templates)][1]:
            answers.append(
                Answer(
                    respondent=respondent,
                    question_code=answer.question_code,
                    value=answer.value,
                    updated_by=lead,
                )
            )
        if len(answers) >= 20_000:
            Answer.objects.bulk_create(answers, batch_size=5000)
            answers = []
    Answer.objects.bulk_create(answers, batch_size=5000)
    Action.objects.bulk_create(
        Action(team=team, created_by=lead, updated_by=lead, owner=lead, **fields)
        for team in all_teams
        for fields in (
            {"title": "Track every training run", "practices": ["DEV-1-04"], "status": "done",
             "done_at": start + timedelta(days=91 * (quarters - 1) - 30)},
            {"title": "Monitor drift", "practices": ["OPS-1-02"], "status": "in_progress",
             "due_on": (start + timedelta(days=91 * quarters)).date()},
            {"title": "Write the runbook", "practices": ["OPS-1-05"], "status": "planned"},
        )
    )  # fmt: skip
    ReportCommentary.objects.bulk_create(
        ReportCommentary(assessment=a, executive=f"What {a.team.name} should hear first.", notes={})
        for a in assessments[::quarters]
    )
    count = len(assessments)
    print(
        f"generated {count} assessments, {len(respondents) and count * len(templates[0][1])} "
        f"answers, {3 * teams} actions in {time.perf_counter() - began:.1f} s"
    )
    return organization


# --- part 1 --------------------------------------------------------------------------------------


def reads_at_scale(organization: Organization) -> None:
    from django.core.files.storage import default_storage
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from assessment.models import ExportJob
    from assessment.selectors.exports import export_name
    from assessment.services import exports, reports
    from tests.queries import statement_kind

    # Neither the report's content nor its layout: a second a report, measured in part 2.
    stand_in = type("Rendered", (), {"content": b"%PDF-1.7 stand-in\n" + b"0" * 100_000})()
    real = reports.report_context, reports.report_pdf
    reports.report_context = lambda sources: sources  # type: ignore[assignment,return-value]
    reports.report_pdf = lambda _context: stand_in  # type: ignore[assignment]
    count = _assessments(organization)
    job, seconds = None, 0.0
    try:
        for state in ("nothing cached (each stand-in saved)", "every PDF cached"):
            job = ExportJob.objects.create(
                organization=organization, requested_by=_lead(organization)
            )
            began = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                exports.export_organization.call(job.pk)
            seconds = time.perf_counter() - began
            job.refresh_from_db()
            assert job.status == "done", (job.status, job.error)
            kinds = Counter(statement_kind(q["sql"]) for q in queries.captured_queries)
            print(
                f"export, {state}: {seconds:.1f} s, {1000 * seconds / count:.2f} ms an "
                f"assessment; {len(queries)} queries, {len(queries) / count:.3f} an assessment "
                f"({kinds['read']} reads, {kinds['queued']} renderings queued for other "
                f"workers, {kinds['progress']} progress saves)"
            )
    finally:
        reports.report_context, reports.report_pdf = real
    print("before this change: 13 queries an assessment (7 with the PDFs cached), 40 ms")
    name = export_name(job) if job is not None else None
    assert name is not None
    with default_storage.open(name, "rb") as file:
        archive = file.read()
    floor = zip_floor(archive)
    print(
        f"floor: the same {count * 3 + 1} files ({len(archive) / 1e6:.0f} MB zipped) written "
        f"into a ZIP from memory: {floor:.1f} s; ratio of the cached export {seconds / floor:.2f}x"
    )


def zip_floor(archive: bytes) -> float:
    """Seconds to write the archive's files, already in memory, into a new ZIP on disk."""
    with zipfile.ZipFile(io.BytesIO(archive)) as source:
        files = [(info.filename, source.read(info)) for info in source.infolist()]
    began = time.perf_counter()
    with (
        tempfile.TemporaryFile() as spool,
        zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_DEFLATED) as target,
    ):
        for name, data in files:
            target.writestr(name, data)
    return time.perf_counter() - began


# --- part 2 --------------------------------------------------------------------------------------


def reports_across_workers(
    organization: Organization, media: Path, workers: int
) -> dict[str, float]:
    from assessment.models import Assessment

    reports = _assessments(organization)
    render = render_floor(organization)
    print(f"one report rendered in this process: median {render:.2f} s over 3")
    per_report: dict[str, float] = {}
    cold: dict[int, float] = {}
    for count in sorted({1, workers}):
        shutil.rmtree(media / "reports", ignore_errors=True)
        seconds = cold[count] = export_with_workers(organization, count)
        floor = render * reports / count
        per_report["cold"] = seconds / reports
        print(
            f"cold cache, {count} worker{'s' if count > 1 else ''}: {seconds:.1f} s for "
            f"{reports} reports, {seconds / reports:.2f} s a report; floor (render x reports / "
            f"workers) {floor:.1f} s; ratio {seconds / floor:.2f}x"
        )
    if workers > 1:
        print(f"speed-up with {workers} workers: {cold[1] / cold[workers]:.2f}x")
    # The next day: only each team's latest report has a new key (its plan is read as of today).
    latest = (
        Assessment.objects.filter(team__organization=organization)
        .order_by("team_id", "-created_at")
        .distinct("team_id")
        .values_list("pk", flat=True)
    )
    for pk in latest:
        shutil.rmtree(media / "reports" / str(pk), ignore_errors=True)
    seconds = export_with_workers(organization, workers)
    teams = len(latest)
    per_report["next day"] = seconds / teams
    floor = render * teams / workers
    print(
        f"the next day, {workers} workers: {seconds:.1f} s ({teams} latest reports rendered "
        f"again, the other {reports - teams} cached); floor {floor:.1f} s; ratio "
        f"{seconds / floor:.2f}x"
    )
    seconds = export_with_workers(organization, workers)
    print(f"again the same day, everything cached: {seconds:.1f} s")
    return per_report


def render_floor(organization: Organization) -> float:
    from assessment.models import Assessment
    from assessment.pdf.render import report_pdf
    from assessment.selectors.report import report_context, report_sources

    assessment = (
        Assessment.objects.filter(team__organization=organization)
        .select_related("team__organization", "bank")
        .order_by("-created_at")
        .first()
    )
    assert assessment is not None
    context = report_context(report_sources(assessment))
    report_pdf(context)  # fonts and stylesheet loaded once, as in a worker that has run a while
    times = []
    for _ in range(3):
        began = time.perf_counter()
        report_pdf(report_context(report_sources(assessment)))
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def export_with_workers(organization: Organization, count: int) -> float:
    """Seconds from the request to the finished ZIP, with `count` worker processes."""
    from django_tasks_db.models import DBTaskResult

    from assessment.models import ExportJob
    from assessment.services.exports import organization_export_start

    DBTaskResult.objects.all().delete()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    processes = [
        subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--no-reload", "--interval", "0.1"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(count)
    ]
    try:
        time.sleep(3)  # the workers started and polling, as on a live host
        began = time.perf_counter()
        job = organization_export_start(organization=organization, by=_lead(organization))
        while job.status in ExportJob.ACTIVE:
            time.sleep(0.1)
            job.refresh_from_db()
        seconds = time.perf_counter() - began
        assert job.status == "done", (job.status, job.error)
    finally:
        for process in processes:
            os.killpg(process.pid, signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
    return seconds


def _lead(organization: Organization) -> User:
    from core.models import Membership

    membership = Membership.objects.filter(organization=organization).first()
    assert membership is not None
    return membership.user


def _assessments(organization: Organization) -> int:
    from assessment.models import Assessment

    return Assessment.objects.filter(team__organization=organization).count()


if __name__ == "__main__":
    sys.exit(main())
