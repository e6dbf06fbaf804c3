"""Two app instances as separate processes, as two hosts behind a load balancer: each a gunicorn
server with its own MEDIA_ROOT and its own `db_worker`, sharing one PostgreSQL database, one
bucket (moto's S3 server) and one Redis cache, with production settings (DEBUG=0).

- a PDF rendered through A is served by B without rendering again;
- an export built by B's worker is downloaded through A;
- a worker killed (SIGKILL) mid-export on A is recovered: once its heartbeat is older than
  EXPORT_STALE_AFTER, an export requested through B gives up the dead job and B's worker builds
  it afresh, downloadable through A.

Needs PostgreSQL (DATABASE_URL: a dedicated database is created beside it and dropped), Redis
(a redis-server of its own, or the one on 127.0.0.1:6379) and moto[server]; skipped without them.
"""

from __future__ import annotations

import contextlib
import http.client
import io
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

import pytest
import redis

from tests.factories import PASSWORD
from tests.hosts.conftest import REGION, Bucket

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parents[2]
HOST = "127.0.0.1"
REDIS_PORT = 6379  # a Redis already running, used only when redis-server cannot be started
REDIS_DATABASE = 11  # one of its sixteen, for this test alone
STALE_AFTER = 3  # seconds: EXPORT_STALE_AFTER of both instances
TIMEOUT = 60  # seconds any one step may take before the test gives up

# Made in the shared database before the instances start (see DATA_SCRIPT): Acme has two
# submitted assessments, Globex five (a slower export, to kill its worker in the middle).
DATA_SCRIPT = f"""
import json
from allauth.account.models import EmailAddress
from django.contrib.auth.models import User
from assessment.models import QuestionBank
from core.models import Role
from tests.factories import MembershipFactory, TeamFactory
from tests.reports.helpers import realistic_input, submitted_assessment

bank = QuestionBank.objects.get(slug="mlops-maturity", version="2.0")
alice = User.objects.create_user("alice", "alice@example.com", {PASSWORD!r})
EmailAddress.objects.create(user=alice, email=alice.email, verified=True, primary=True)
made = {{}}
for slug, team_name, count in (("acme", "Fraud detection", 2), ("globex", "Search ranking", 5)):
    team = TeamFactory.create(
        name=team_name, organization__name=slug.title(), organization__slug=slug
    )
    MembershipFactory.create(user=alice, organization=team.organization, role=Role.OWNER)
    made[slug] = [
        submitted_assessment(
            team=team, bank=bank, by=alice, label=f"2026 Q{{quarter}}",
            given=realistic_input(bank.bank(), seed=quarter),
        ).pk
        for quarter in range(1, count + 1)
    ]
print(json.dumps(made))
"""


def _skip_unless_ready() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("two instances share PostgreSQL (run with DATABASE_URL=postgres://...)")
    pytest.importorskip("gunicorn")
    return url


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, port)) == 0


@contextlib.contextmanager
def _redis(folder: Path) -> Iterator[str]:
    """The CACHE_URL both instances share: a Redis server of the test's own when redis-server is
    installed, else the one on port 6379 if it answers; skipped without either."""
    binary = shutil.which("redis-server")
    if binary is None:
        if not _answers(REDIS_PORT):
            pytest.skip(f"two instances share a Redis cache: no redis-server, none on {REDIS_PORT}")
        yield f"redis://{HOST}:{REDIS_PORT}/{REDIS_DATABASE}"
        return
    port = _free_port()
    with (folder / "redis.log").open("ab") as log:
        server = subprocess.Popen(
            [binary, "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"],
            cwd=folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + TIMEOUT
        while not _answers(port):
            assert server.poll() is None, (folder / "redis.log").read_text()
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield f"redis://{HOST}:{port}/0"
    finally:
        _stop(server)


# --- the processes ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, f"manage.py {args[0]} failed:\n{result.stdout}{result.stderr}"
    return result.stdout


@dataclass
class Instance:
    """One host: its web server, its worker when running, its own MEDIA_ROOT."""

    name: str
    env: dict[str, str]
    media_root: Path
    logs: Path
    port: int = field(default_factory=_free_port)
    server: subprocess.Popen[bytes] | None = None
    worker: subprocess.Popen[bytes] | None = None

    def _start(self, what: str, command: list[str]) -> subprocess.Popen[bytes]:
        with (self.logs / f"{self.name}-{what}.log").open("ab") as log:
            return subprocess.Popen(
                command,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def log(self, what: str) -> str:
        path = self.logs / f"{self.name}-{what}.log"
        return path.read_text(errors="replace")[-4000:] if path.exists() else ""

    def start_server(self) -> None:
        self.server = self._start(
            "server",
            [
                sys.executable,
                "-m",
                "gunicorn",
                "core.wsgi:application",
                "--bind",
                f"{HOST}:{self.port}",
                "--workers",
                "1",
                "--threads",
                "4",
                "--timeout",
                str(TIMEOUT),
            ],
        )

    def wait_until_serving(self) -> None:
        assert self.server is not None
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            assert self.server.poll() is None, f"{self.name} exited:\n{self.log('server')}"
            with contextlib.suppress(OSError):
                connection = http.client.HTTPConnection(HOST, self.port, timeout=5)
                connection.request("GET", "/healthz")
                if connection.getresponse().status == 200:
                    return
            time.sleep(0.1)
        pytest.fail(f"{self.name} did not answer /healthz:\n{self.log('server')}")

    @contextlib.contextmanager
    def running_worker(self) -> Iterator[subprocess.Popen[bytes]]:
        """Its `db_worker`, for the length of the block (unless killed in it)."""
        self.worker = self._start(
            "worker",
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-startup-delay",
                "--no-reload",
                "--interval",
                "0.2",
                "--worker-id",
                f"host-{self.name}",
            ],
        )
        try:
            yield self.worker
        finally:
            _stop(self.worker)
            self.worker = None


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


# --- a browser ----------------------------------------------------------------------------------


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes


class Browser:
    """One person's browser, signed in once, reaching both instances (the load balancer may
    send any request to either). Cookies are kept by hand: with DEBUG=0 they are marked Secure,
    which a cookie jar would not send over the tests' plain HTTP."""

    def __init__(self) -> None:
        self.cookies: dict[str, str] = {}

    def request(
        self, instance: Instance, method: str, path: str, form: dict[str, str] | None = None
    ) -> Response:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if method == "POST":
            form = {**(form or {}), "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")}
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(HOST, instance.port, timeout=TIMEOUT)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Response(response.status, response.headers, content)

    def get(self, instance: Instance, path: str) -> Response:
        return self.request(instance, "GET", path)

    def post(self, instance: Instance, path: str) -> Response:
        return self.request(instance, "POST", path, {})

    def sign_in(self, instance: Instance, login: str, password: str) -> None:
        """Through the real sign-in form, with its CSRF token."""
        assert self.get(instance, "/login/").status == 200
        signed_in = self.request(
            instance, "POST", "/login/", {"login": login, "password": password}
        )
        assert signed_in.status == 302, signed_in.body.decode(errors="replace")[:2000]
        assert "sessionid" in self.cookies


# --- the shared database, bucket and cache ------------------------------------------------------


def _admin_url(url: str, database: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{database}"))


@dataclass
class Cluster:
    a: Instance
    b: Instance
    database_url: str
    cache_url: str
    bucket: Bucket
    assessments: dict[str, list[int]]
    browser: Browser

    def query(self, sql: str, *params: object) -> tuple[Any, ...]:
        import psycopg

        with psycopg.connect(self.database_url, autocommit=True) as connection:
            row = connection.execute(sql, params).fetchone()
        assert row is not None, sql
        return tuple(row)

    def job(self, job_id: int) -> dict[str, Any]:
        status, done, total, file_name, error, heartbeat = self.query(
            "SELECT status, done_steps, total_steps, file_name, error, heartbeat_at "
            "FROM assessment_exportjob WHERE id = %s",
            job_id,
        )
        return {
            "status": status,
            "done_steps": done,
            "total_steps": total,
            "file_name": file_name,
            "error": error,
            "heartbeat_at": heartbeat,
        }

    def built_by(self, job_id: int) -> list[str]:
        """The workers that ran the export task of `job_id` (django-tasks records each)."""
        (workers,) = self.query(
            "SELECT worker_ids FROM django_tasks_database_dbtaskresult "
            "WHERE task_path LIKE %s AND args_kwargs -> 'args' = %s::jsonb",
            "%.export_organization",
            json.dumps([job_id]),
        )
        return list(workers)

    def wait_for(self, what: str, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            if ready():
                return
            time.sleep(0.05)
        pytest.fail(
            f"timed out waiting until {what}:\n"
            + "\n".join(
                f"--- {i.name} {w}:\n{i.log(w)}" for i in (self.a, self.b) for w in ("worker",)
            )
        )

    def request_export(self, instance: Instance, slug: str) -> int:
        response = self.browser.post(instance, f"/orgs/{slug}/exports/")
        assert response.status == 302, response.body[:2000]
        location = response.headers["Location"]
        assert location.startswith(f"/orgs/{slug}/exports/"), location
        return int(location.rstrip("/").rsplit("/", 1)[1])

    def download(self, instance: Instance, slug: str, job_id: int) -> zipfile.ZipFile:
        response = self.browser.get(instance, f"/orgs/{slug}/exports/{job_id}/download/")
        assert response.status == 200, response.body[:2000]
        assert response.headers["Content-Type"] == "application/zip"
        archive = zipfile.ZipFile(io.BytesIO(response.body))
        assert archive.testzip() is None  # every member's CRC checks out
        return archive


@pytest.fixture(scope="module")
def cluster(s3_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cluster]:
    url = _skip_unless_ready()
    import boto3  # type: ignore[import-untyped]  # boto3 ships no types (boto3-stubs does)
    import psycopg
    from psycopg import sql

    folder = tmp_path_factory.mktemp("two-instances")
    database = f"maturity_hosts_{uuid.uuid4().hex[:12]}"
    admin = _admin_url(url, "postgres")
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
    database_url = _admin_url(url, database)

    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name=REGION)
    bucket = Bucket(
        name=f"maturity-{uuid.uuid4().hex[:16]}", endpoint_url=s3_endpoint, client=client
    )
    client.create_bucket(Bucket=bucket.name)
    client.put_bucket_versioning(Bucket=bucket.name, VersioningConfiguration={"Status": "Enabled"})

    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("STORAGE_", "DJANGO_", "PROMETHEUS_"))
        and name not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "CACHE_URL", "MEDIA_ROOT"}
    }
    shared = {
        **inherited,  # the AWS_* credentials for moto among them (tests/hosts/conftest.py)
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "tests.hosts.instance_settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_HSTS_PRELOAD": "0",
        "DATABASE_URL": database_url,
        "STORAGE_BUCKET": bucket.name,
        "STORAGE_ENDPOINT_URL": s3_endpoint,
        "STORAGE_REGION": REGION,
        "EXPORT_STALE_AFTER": str(STALE_AFTER),
        "LOG_LEVEL": "WARNING",
        "LOG_FORMAT": "text",
    }
    instances: list[Instance] = []
    for name in ("a", "b"):
        media = folder / f"media-{name}"
        media.mkdir()
        instances.append(Instance(name, {**shared, "MEDIA_ROOT": str(media)}, media, folder))
    a, b = instances
    stack = contextlib.ExitStack()
    try:
        cache_url = stack.enter_context(_redis(folder))
        for instance in instances:
            instance.env["CACHE_URL"] = cache_url
        # The release job: once, from one place.
        _manage(a.env, "migrate", "--noinput")
        _manage(a.env, "load_question_bank", "fixtures/question_banks")
        made = json.loads(_manage(a.env, "shell", "-c", DATA_SCRIPT).strip().splitlines()[-1])
        # Submitting queued renderings of the earlier reports for the workers: dropped, so the
        # tests start from a cold cache and an export takes long enough to be killed midway.
        with psycopg.connect(database_url, autocommit=True) as connection:
            connection.execute(
                "DELETE FROM django_tasks_database_dbtaskresult WHERE task_path LIKE %s",
                ["%.report_pdf_warm"],
            )
        for instance in instances:
            instance.start_server()
        for instance in instances:
            instance.wait_until_serving()
        browser = Browser()
        browser.sign_in(a, "alice", PASSWORD)
        yield Cluster(a, b, database_url, cache_url, bucket, made, browser)
    finally:
        for instance in instances:
            _stop(instance.worker)
            _stop(instance.server)
        stack.close()
        with psycopg.connect(admin, autocommit=True) as connection:
            drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            connection.execute(drop.format(sql.Identifier(database)))


def local_files(instance: Instance) -> list[Path]:
    return [path for path in instance.media_root.rglob("*") if path.is_file()]


# --- the tests ----------------------------------------------------------------------------------


def test_a_pdf_rendered_through_a_is_served_by_b_without_rendering_again(
    cluster: Cluster,
) -> None:
    path = f"/assessments/{cluster.assessments['acme'][0]}/report.pdf"
    from_a = cluster.browser.get(cluster.a, path)
    assert from_a.status == 200, from_a.body[:2000]
    assert from_a.body.startswith(b"%PDF-")
    (saved,) = cluster.bucket.versions("reports/")

    from_b = cluster.browser.get(cluster.b, path)

    assert from_b.status == 200
    assert from_b.body == from_a.body
    # A render on B would have saved the PDF again: a second version of the object (the bucket
    # keeps them all), whatever its bytes or the clock said.
    assert cluster.bucket.versions("reports/") == [saved]
    assert cluster.bucket.read(saved["Key"]) == from_a.body
    # The session signed in on A is good on B: sessions live in the shared database. The sign-in
    # was counted in the shared cache (allauth's rate limits), where B counts too.
    keys: int = redis.Redis.from_url(cluster.cache_url).dbsize()  # type: ignore[assignment]
    assert keys > 0
    assert local_files(cluster.a) == local_files(cluster.b) == []


def test_an_export_built_by_bs_worker_is_downloaded_through_a(cluster: Cluster) -> None:
    with cluster.b.running_worker():
        job_id = cluster.request_export(cluster.a, "acme")
        cluster.wait_for("the export is done", lambda: cluster.job(job_id)["status"] == "done")
    job = cluster.job(job_id)
    assert cluster.built_by(job_id) == ["host-b"]
    assert cluster.bucket.keys("exports/acme-") == [f"exports/{job['file_name']}"]

    archive = cluster.download(cluster.a, "acme", job_id)

    assert sorted(archive.namelist()) == [
        f"fraud-detection-2026-q{q}/{name}"
        for q in (1, 2)
        for name in (
            f"fraud-detection-2026-q{q}.csv",
            f"fraud-detection-2026-q{q}.json",
            f"mlops-maturity-fraud-detection-2026-q{q}.pdf",
        )
    ] + ["organization.json"]
    for name in archive.namelist():
        if name.endswith(".pdf"):
            assert archive.read(name).startswith(b"%PDF-")
    assert json.loads(archive.read("fraud-detection-2026-q2/fraud-detection-2026-q2.json"))
    assert local_files(cluster.a) == local_files(cluster.b) == []


def test_a_worker_killed_mid_export_on_a_is_recovered_through_b(cluster: Cluster) -> None:
    with cluster.a.running_worker() as worker_a:
        dead_id = cluster.request_export(cluster.a, "globex")
        cluster.wait_for(
            "A's worker is part-way through the export",
            lambda: cluster.job(dead_id)["done_steps"] > 0,
        )
        worker_a.kill()  # SIGKILL: no clean-up of any kind
        worker_a.wait(timeout=TIMEOUT)
    dead = cluster.job(dead_id)
    assert dead["status"] == "running"
    assert 0 < dead["done_steps"] < dead["total_steps"] == 15
    # Nothing of the unfinished ZIP reached the bucket: it was in A's temporary file.
    assert cluster.bucket.keys("exports/globex-") == []
    stale_at = dead["heartbeat_at"] + timedelta(seconds=STALE_AFTER)
    cluster.wait_for("the dead job's heartbeat is stale", lambda: datetime.now(UTC) > stale_at)

    with cluster.b.running_worker():
        fresh_id = cluster.request_export(cluster.b, "globex")
        assert fresh_id != dead_id
        dead = cluster.job(dead_id)
        assert (dead["status"], dead["error"]) == (
            "failed",
            "stopped: the worker stopped responding",
        )
        cluster.wait_for(
            "the new export is done", lambda: cluster.job(fresh_id)["status"] == "done"
        )
    fresh = cluster.job(fresh_id)
    assert cluster.built_by(fresh_id) == ["host-b"]
    assert cluster.bucket.keys("exports/globex-") == [f"exports/{fresh['file_name']}"]

    archive = cluster.download(cluster.a, "globex", fresh_id)

    names = [name for name in archive.namelist() if name != "organization.json"]
    assert len(names) == 15
    assert {name.split("/")[0] for name in names} == {
        f"search-ranking-2026-q{q}" for q in range(1, 6)
    }
    assert sum(name.endswith(".pdf") for name in names) == 5
    assert local_files(cluster.a) == local_files(cluster.b) == []
