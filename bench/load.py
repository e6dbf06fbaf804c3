"""Load benchmark of a production-like server: gunicorn with 4 workers on PostgreSQL, DEBUG off.

`--instances 2` runs two app instances instead (2 workers each, the same 4 in all), as two hosts
behind a load balancer would: separate local disks, one database, one S3 bucket (moto in server
mode, started here) and one Redis cache when one answers on 127.0.0.1:6379; each connection
talks to one instance, alternately. `--storage s3` puts a single instance on the bucket too, to
tell the bucket's cost from the second instance's.

Creates the database (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/maturity_load) if
missing, prepares the demo data and a 20-respondent team assessment, starts gunicorn, then drives
each page with --connections concurrent clients (one process each, plain HTTP, logged in as the
demo user) for --duration seconds, alone and then mixed. Prints requests/s, p50/p99 latency,
errors, bytes per response and the ratio to /healthz; exits 1 if any request failed (a 5xx, an
unexpected status or a connection error). Drops the database it created. Run: `make bench-load`.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import multiprocessing
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/maturity_load"
USERNAME, PASSWORD = "demo", "demo-maturity-2026"  # the demo login (assessment/services/demo.py)
HOST = "127.0.0.1"
WORKERS = 4  # in all: split between the instances
BUCKET = "bench-load"
REDIS = ("127.0.0.1", 6379)


@dataclass(frozen=True)
class Scenario:
    name: str
    method: str
    path: str
    expect: int = 200
    login: bool = True
    form: dict[str, str] | None = None  # POST body; answers rotate per request (see _post_body)


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests only
    errors: int = 0
    bytes: int = 0

    def add(self, other: Tally) -> None:
        self.latencies += other.latencies
        self.errors += other.errors
        self.bytes += other.bytes


@dataclass(frozen=True)
class Row:
    name: str
    rps: float
    p50: float
    p99: float
    errors: int
    bytes_per_response: int


# --- the database -------------------------------------------------------------------------------


def _admin_url(url: str) -> tuple[str, str]:
    """The server's `postgres` database URL, and the benchmark database's name."""
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name:
        raise SystemExit(f"DATABASE_URL names no database: {url}")
    return urlunsplit(parts._replace(path="/postgres")), name


def database_create(url: str) -> bool:
    """Create the database if missing; True when this run created it (and so drops it)."""
    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return True


def database_drop(url: str) -> None:
    admin, name = _admin_url(url)
    with psycopg.connect(admin, autocommit=True) as conn:
        drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        conn.execute(drop.format(sql.Identifier(name)))


# --- the server ---------------------------------------------------------------------------------


def server_env(
    database_url: str, media_root: str, shared: dict[str, str] | None = None
) -> dict[str, str]:
    """Production settings (core/settings.py), minus what needs TLS: plain HTTP on loopback.
    `shared`: what several instances share besides the database (the bucket, the cache)."""
    return (shared or {}) | {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "core.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        "MEDIA_ROOT": media_root,
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_HSTS_SECONDS": "0",
        "SECURE_HSTS_PRELOAD": "0",
        "LOG_LEVEL": "WARNING",
    }


def shared_services() -> tuple[dict[str, str], object]:
    """A moto S3 server with an empty bucket, and Redis when one answers: the environment that
    points every instance at them, and the moto server (to stop)."""
    import boto3  # type: ignore[import-untyped]
    from moto.server import ThreadedMotoServer

    port = free_port()
    moto = ThreadedMotoServer(ip_address=HOST, port=port, verbose=False)
    moto.start()
    endpoint = f"http://{HOST}:{port}"
    env = {
        "STORAGE_BUCKET": BUCKET,
        "STORAGE_ENDPOINT_URL": endpoint,
        "STORAGE_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
    }
    boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="bench",
        aws_secret_access_key="bench",  # noqa: S106
    ).create_bucket(Bucket=BUCKET)
    try:
        with socket.create_connection(REDIS, timeout=1):
            env["CACHE_URL"] = f"redis://{REDIS[0]}:{REDIS[1]}/13"
    except OSError:
        print("No Redis on 127.0.0.1:6379: each process keeps its own cache.", file=sys.stderr)
    return env, moto


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def prepare(env: dict[str, str]) -> dict[str, object]:
    manage(env, "migrate", "--noinput")
    manage(env, "load_question_bank", "fixtures/question_banks")
    # The demo's published password is fine on this throwaway database; load_demo asks for
    # DEBUG to say so (it refuses on a real server).
    manage(env | {"DEBUG": "1"}, "load_demo")
    manage(env, "collectstatic", "--noinput")
    result = subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "bench" / "load_prepare.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"bench/load_prepare.py failed:\n{result.stdout}{result.stderr}")
    data: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return data


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def server_start(
    env: dict[str, str], port: int, log: Path, workers: int = WORKERS
) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "gunicorn",
                "core.wsgi:application",
                "--workers",
                str(workers),
                "--bind",
                f"{HOST}:{port}",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited ({server.returncode}):\n{log.read_text()}")
        try:
            status, _ = request(port, "GET", "/healthz", {})
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.terminate()
    raise SystemExit(f"gunicorn did not answer /healthz within 30 s:\n{log.read_text()}")


def server_stop(server: subprocess.Popen[bytes]) -> None:
    server.send_signal(signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


# --- the clients --------------------------------------------------------------------------------


def request(
    port: int,
    method: str,
    path: str,
    cookies: dict[str, str],
    body: dict[str, str] | None = None,
    conn: http.client.HTTPConnection | None = None,
) -> tuple[int, bytes]:
    """One request; sets `cookies` from the response's Set-Cookie headers (the Secure flag is a
    browser's concern: this client sends them back over plain HTTP)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection(HOST, port, timeout=60)
    headers = {"Host": HOST}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    payload = None
    if body is not None:
        payload = urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=payload, headers=headers)
        response = conn.getresponse()
        content = response.read()
        for header in response.msg.get_all("Set-Cookie") or []:
            parsed: SimpleCookie = SimpleCookie()
            parsed.load(header)
            for key, morsel in parsed.items():
                cookies[key] = morsel.value
        return response.status, content
    finally:
        if own:
            conn.close()


def login(port: int) -> dict[str, str]:
    cookies: dict[str, str] = {}
    request(port, "GET", "/login/", cookies)
    token = cookies["csrftoken"]
    form = {"login": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token}
    status, _ = request(port, "POST", "/login/", cookies, form)
    if status != 302 or "sessionid" not in cookies:
        raise SystemExit(f"login as {USERNAME!r} failed (status {status})")
    return cookies


def _post_body(scenario: Scenario, cookies: dict[str, str], n: int) -> dict[str, str] | None:
    """The form with every answer set to the n-th value, so each save really writes."""
    if scenario.form is None:
        return None
    value = ("1", "0.5", "0")[n % 3]
    body = {
        key: (value if key.endswith("-value") and not key.startswith("initial-") else v)
        for key, v in scenario.form.items()
    }
    body["csrfmiddlewaretoken"] = cookies["csrftoken"]
    return body


def client(
    port: int, scenarios: list[Scenario], cookies: dict[str, str], offset: int, duration: float
) -> dict[str, Tally]:
    """One connection: requests back to back for `duration`, cycling through `scenarios`."""
    tallies = {s.name: Tally() for s in scenarios}
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    order: Iterator[tuple[int, Scenario]] = enumerate(
        itertools.islice(itertools.cycle(scenarios), offset, None)
    )
    end = time.perf_counter() + duration
    for n, scenario in order:
        start = time.perf_counter()
        if start >= end:
            break
        tally = tallies[scenario.name]
        jar = cookies if scenario.login else {}
        try:
            status, content = request(
                port, scenario.method, scenario.path, jar, _post_body(scenario, jar, n), conn
            )
        except (OSError, http.client.HTTPException):
            tally.errors += 1
            conn.close()
            conn = http.client.HTTPConnection(HOST, port, timeout=60)
            continue
        if status != scenario.expect:
            tally.errors += 1
            continue
        tally.latencies.append(time.perf_counter() - start)
        tally.bytes += len(content)
    conn.close()
    return tallies


def _client_star(args: tuple[int, list[Scenario], dict[str, str], int, float]) -> dict[str, Tally]:
    return client(*args)


def run(
    ports: list[int], scenarios: list[Scenario], sessions: list[dict[str, str]], duration: float
) -> tuple[dict[str, Tally], float]:
    """All connections at once, one process each, each on one instance in turn (as a load
    balancer spreads them); the tallies per scenario and the wall time."""
    jobs = [
        (ports[i % len(ports)], scenarios, dict(s), i, duration) for i, s in enumerate(sessions)
    ]
    with multiprocessing.Pool(len(sessions)) as pool:
        start = time.perf_counter()
        results = pool.map(_client_star, jobs)
        elapsed = time.perf_counter() - start
    totals = {s.name: Tally() for s in scenarios}
    for result in results:
        for name, tally in result.items():
            totals[name].add(tally)
    return totals, elapsed


def row(name: str, tally: Tally, elapsed: float) -> Row:
    latencies = sorted(tally.latencies)
    count = len(latencies)

    def pct(p: float) -> float:
        return latencies[min(count - 1, int(p * count))] * 1000 if count else float("nan")

    return Row(
        name=name,
        rps=count / elapsed,
        p50=pct(0.50),
        p99=pct(0.99),
        errors=tally.errors,
        bytes_per_response=tally.bytes // count if count else 0,
    )


def table(title: str, rows: list[Row], floor: float, *, ratio_last_only: bool = False) -> str:
    """Markdown. In a mixed run the pages share the connections, so only the total's requests/s
    compares with /healthz at the same concurrency."""
    header = "| scenario | req/s | p50 ms | p99 ms | errors | bytes/resp | vs /healthz |"
    lines = [f"### {title}", "", header, "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for i, r in enumerate(rows):
        shown = not ratio_last_only or i == len(rows) - 1
        ratio = f"{r.rps / floor:.3f}" if shown and floor else "–"
        lines.append(
            f"| {r.name} | {r.rps:,.1f} | {r.p50:,.1f} | {r.p99:,.1f} | {r.errors} "
            f"| {r.bytes_per_response:,} | {ratio} |"
        )
    return "\n".join(lines)


def scenarios_for(data: dict[str, object]) -> list[Scenario]:
    draft, submitted, team = data["draft"], data["submitted"], data["team"]
    phase = str(data["phase"])
    questions = data["questions"]
    assert isinstance(questions, list)
    # As the rendered form posts it (tests/web/helpers.py phase_post_data): each answer, and the
    # hidden "initial-" copy of what the page showed.
    form: dict[str, str] = {}
    for code, allow_na in questions:
        for part in ("value", "evidence", "note") + (("reason",) if allow_na else ()):
            form[f"initial-{code}-{part}"] = ""
        form[f"{code}-value"] = "1"
    phase_path = f"/assessments/{draft}/phases/{phase}/"
    return [
        Scenario("GET phase page", "GET", phase_path),
        Scenario("POST phase answers", "POST", phase_path, expect=302, form=form),
        Scenario("GET org dashboard", "GET", "/orgs/acme-analytics/"),
        Scenario("GET result page", "GET", f"/assessments/{submitted}/result/"),
        Scenario("GET report.pdf (cached)", "GET", f"/assessments/{submitted}/report.pdf"),
        Scenario(
            f"GET consensus ({data['respondents']} respondents)",
            "GET",
            f"/assessments/{team}/consensus/",
        ),
    ]


def benchmark(
    ports: list[int], data: dict[str, object], connections: int, duration: float, setup: str
) -> int:
    healthz = Scenario("GET /healthz (floor)", "GET", "/healthz", login=False)
    pages = scenarios_for(data)
    # Sessions live in the database: one made through either instance works on both.
    sessions = [login(ports[i % len(ports)]) for i in range(connections)]
    # Warm up: templates, connections, the PDF's first rendering (through the first instance
    # only: the others find it in the bucket).
    for scenario in pages:
        status, _ = request(
            ports[0],
            scenario.method,
            scenario.path,
            sessions[0],
            _post_body(scenario, sessions[0], 0),
        )
        if status != scenario.expect:
            raise SystemExit(f"{scenario.name}: status {status}, expected {scenario.expect}")
    rows: list[Row] = []
    for scenario in [healthz, *pages]:
        tallies, elapsed = run(ports, [scenario], sessions, duration)
        rows.append(row(scenario.name, tallies[scenario.name], elapsed))
        print(f"  {scenario.name}: {rows[-1].rps:,.1f} req/s", file=sys.stderr, flush=True)
    floor = rows[0].rps
    tallies, elapsed = run(ports, pages, sessions, duration)
    mixed = [row(s.name, tallies[s.name], elapsed) for s in pages]
    total = Tally()
    for tally in tallies.values():
        total.add(tally)
    mixed.append(row("**all (mixed)**", total, elapsed))
    print()
    print(
        f"{setup}, DEBUG=0, PostgreSQL; {connections} connections, "
        f"{duration:g} s per run, {os.cpu_count()} CPUs shared by servers and clients"
    )
    print()
    print(table("Each scenario alone", rows, floor))
    print()
    print(
        table("Mixed: each connection cycles through the pages", mixed, floor, ratio_last_only=True)
    )
    errors = sum(r.errors for r in rows) + mixed[-1].errors
    if errors:
        print(f"\nFAILED: {errors} request(s) errored.")
    return 1 if errors else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--connections", type=int, default=16, help="concurrent clients (16)")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per run (10)")
    parser.add_argument(
        "--instances", type=int, default=1, choices=[1, 2, 4], help="app instances (1)"
    )
    parser.add_argument(
        "--storage",
        choices=["disk", "s3"],
        default=None,
        help="where files go: disk (one instance's default) or s3 (several instances')",
    )
    args = parser.parse_args()
    storage = args.storage or ("s3" if args.instances > 1 else "disk")
    if args.instances > 1 and storage == "disk":
        raise SystemExit("several instances need the bucket: leave --storage out, or say s3")
    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    created = database_create(database_url)
    servers: list[tuple[subprocess.Popen[bytes], Path]] = []
    moto = None
    try:
        with tempfile.TemporaryDirectory(prefix="bench-load-") as workdir:
            shared: dict[str, str] = {}
            if storage == "s3":
                shared, moto = shared_services()
            envs = [
                server_env(database_url, str(Path(workdir) / f"media-{i}"), shared)
                for i in range(args.instances)
            ]
            print("Preparing the database and static files...", file=sys.stderr, flush=True)
            data = prepare(envs[0])
            workers = WORKERS // args.instances
            ports = []
            for i, env in enumerate(envs):
                port, log = free_port(), Path(workdir) / f"gunicorn-{i}.log"
                servers.append((server_start(env, port, log, workers), log))
                ports.append(port)
            setup = (
                f"{args.instances} instance{'s' if args.instances > 1 else ''} of gunicorn "
                f"with {workers} sync workers each, files on "
                + ("an S3 bucket (moto)" if storage == "s3" else "the local disk")
                + (", cache in Redis" if "CACHE_URL" in shared else "")
            )
            print(f"{setup} on ports {ports}; measuring...", file=sys.stderr, flush=True)
            return benchmark(ports, data, args.connections, args.duration, setup)
    finally:
        for server, log in servers:
            server_stop(server)
            if log.exists():
                errors = [line for line in log.read_text().splitlines() if "Error" in line]
                if errors:
                    print(f"\n{log.name}, errors:\n" + "\n".join(errors[-20:]), file=sys.stderr)
        if moto is not None:
            moto.stop()  # type: ignore[attr-defined]
        if created:
            database_drop(database_url)


if __name__ == "__main__":
    sys.exit(main())
