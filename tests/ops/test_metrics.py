"""/metrics: Prometheus's text format, for operators only (a bearer token or staff), counting
requests by route name, never by path, and reading the task queue at scrape time."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from assessment.pdf.cache import PdfCache, PdfKey
from core import metrics
from tests.core.test_settings import ROOT, run_python
from tests.factories import UserFactory
from tests.ops import METRICS_TOKEN, queued_task

pytestmark = pytest.mark.django_db

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def token(settings) -> str:
    settings.METRICS_TOKEN = METRICS_TOKEN
    return METRICS_TOKEN


@pytest.fixture
def scrape(client, token):
    def scrape() -> Samples:
        response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        return parse(response.content.decode())

    return scrape


def test_the_token_holder_reads_the_metrics(client, token):
    response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=")
    assert "no-store" in response["Cache-Control"]
    names = {family.name for family in text_string_to_metric_families(response.text)}
    assert {
        "maturity_http_requests",
        "maturity_http_request_duration_seconds",
        "maturity_pdf_renders",
        "maturity_pdf_cache_requests",
        "maturity_task_queue_depth",
        "maturity_task_queue_oldest_wait_seconds",
    } <= names


def test_a_signed_in_staff_member_reads_them_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    client.force_login(UserFactory.create(username="operator", is_staff=True))
    assert client.get("/metrics").status_code == 200


@pytest.mark.parametrize(
    "authorization",
    [
        None,
        "Bearer wrong-token-of-some-length",
        f"Bearer {METRICS_TOKEN}x",
        f"Basic {METRICS_TOKEN}",
        METRICS_TOKEN,
        "Bearer ",
    ],
)
def test_anyone_else_gets_404_as_if_it_did_not_exist(client, token, authorization):
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/metrics", headers=headers)
    assert response.status_code == 404
    assert response.content == client.get("/no/such/page").content
    # Other methods too: neither a 405 nor a CSRF 403 tells that something is there.
    assert client.post("/metrics", headers=headers).status_code == 404


def test_a_signed_in_member_who_is_not_staff_gets_404(client, token):
    client.force_login(UserFactory.create(username="member"))
    assert client.get("/metrics").status_code == 404


def test_without_a_token_configured_no_token_opens_them(client, settings):
    settings.METRICS_TOKEN = ""
    for authorization in ["Bearer ", "Bearer anything", f"Bearer {METRICS_TOKEN}"]:
        assert client.get("/metrics", headers={"Authorization": authorization}).status_code == 404


def test_a_wrong_token_is_refused_even_to_staff(client, token):
    client.force_login(UserFactory.create(username="operator", is_staff=True))
    assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 404


def test_requests_are_counted_by_route_name_never_by_path(scrape, alice_client, acme_team, client):
    before = scrape()
    page = alice_client.get(f"/teams/{acme_team.pk}/")
    assert page.status_code == 200
    assert alice_client.get(f"/teams/{acme_team.pk + 1000}/").status_code == 404
    assert client.get("/no/such/page/").status_code == 404
    after = scrape()

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    requests = "maturity_http_requests_total"
    assert moved(requests, method="GET", route="team_detail", status="2xx") == 1
    assert moved(requests, method="GET", route="team_detail", status="4xx") == 1
    assert moved(requests, method="GET", route="unmatched", status="4xx") == 1
    assert moved("maturity_http_request_duration_seconds_count", route="team_detail") == 2
    # The previous scrape is counted too, under its own name.
    assert moved(requests, method="GET", route="metrics", status="2xx") == 1
    routes = {dict(labels).get("route") for _, labels in after}
    assert not any("/" in route or str(acme_team.pk) in route for route in routes if route)


def test_invented_methods_are_counted_together(scrape, client):
    before = scrape()
    client.generic("BREW", "/healthz")
    client.generic("PROPFIND", "/healthz")
    after = scrape()
    labels = {"method": "other", "route": "healthz", "status": "4xx"}
    name = "maturity_http_requests_total"
    assert value(after, name, **labels) - value(before, name, **labels) == 2
    assert not any(dict(labels).get("method") in {"BREW", "PROPFIND"} for _, labels in after)


def test_static_files_are_one_route(scrape, client):
    before = scrape()
    client.get("/static/no-such-file.css")
    after = scrape()
    labels = {"method": "GET", "route": "static", "status": "4xx"}
    name = "maturity_http_requests_total"
    assert value(after, name, **labels) - value(before, name, **labels) == 1


def test_the_queue_depth_counts_the_ready_tasks_only(scrape):
    assert value(scrape(), "maturity_task_queue_depth") == 0
    assert value(scrape(), "maturity_task_queue_oldest_wait_seconds") == 0
    queued_task(waited=timedelta(minutes=2))
    queued_task()
    queued_task(run_after=timezone.now() + timedelta(hours=1))  # not due yet
    queued_task(status="RUNNING")
    queued_task(status="SUCCESSFUL", waited=timedelta(days=1))
    samples = scrape()
    assert value(samples, "maturity_task_queue_depth") == 2
    assert 120 <= value(samples, "maturity_task_queue_oldest_wait_seconds") < 180


def test_the_pdf_cache_counts_hits_and_misses(tmp_path):
    cache = PdfCache(tmp_path)
    key = PdfKey(assessment_id=1, result_version=1)

    def count(result: str) -> float | None:
        return REGISTRY.get_sample_value("maturity_pdf_cache_requests_total", {"result": result})

    hits, misses = count("hit"), count("miss")
    # Both exist from the start, at 0.
    assert hits is not None
    assert misses is not None
    for _ in range(3):
        assert cache.get_or_render(key, lambda: b"%PDF-1.7") == b"%PDF-1.7"
    assert count("miss") == misses + 1
    assert count("hit") == hits + 2


def test_pdf_renders_are_counted(scrape):
    before = value(scrape(), "maturity_pdf_renders_total")
    metrics.pdf_rendered()
    assert value(scrape(), "maturity_pdf_renders_total") == before + 1


def test_a_scrape_survives_an_unreadable_queue(monkeypatch, scrape):
    from django.db import DatabaseError

    def broken() -> tuple[int, None]:
        raise DatabaseError("the database went away")

    monkeypatch.setattr(metrics, "task_queue", broken)
    samples = scrape()
    assert ("maturity_task_queue_depth", frozenset()) not in samples


COUNT_IN_A_WORKER = """
import sys
from core import metrics
for _ in range(int(sys.argv[1])):
    metrics.pdf_rendered()
metrics.http_request_observed(method="GET", route="home", status_code=200, seconds=0.02)
"""


def test_several_processes_add_up_in_one_scrape(tmp_path, monkeypatch):
    """Two worker processes count in PROMETHEUS_MULTIPROC_DIR; a scrape, from any process,
    reads the sum (and the queue, from the database)."""
    folder = tmp_path / "metrics"
    folder.mkdir()
    environment = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(folder)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", COUNT_IN_A_WORKER, str(count)], cwd=ROOT, env=environment
        )
        for count in (3, 4)
    ]
    assert [worker.wait(timeout=60) for worker in workers] == [0, 0]
    assert len(list(Path(folder).glob("counter_*.db"))) == 2

    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))
    queued_task()
    samples = parse(metrics.exposition().decode())
    assert value(samples, "maturity_pdf_renders_total") == 7
    labels = {"method": "GET", "route": "home", "status": "2xx"}
    assert value(samples, "maturity_http_requests_total", **labels) == 2
    assert value(samples, "maturity_http_request_duration_seconds_count", route="home") == 2
    assert value(samples, "maturity_task_queue_depth") == 1


def test_a_missing_metrics_folder_stops_start_up(tmp_path):
    result = run_python(
        "import django; django.setup()",
        DEBUG="1",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path / "missing"),
    )
    assert result.returncode != 0
    assert "PROMETHEUS_MULTIPROC_DIR must name an existing folder" in result.stderr


def test_a_short_metrics_token_stops_start_up():
    result = run_python("import django; django.setup()", DEBUG="1", METRICS_TOKEN="secret")
    assert result.returncode != 0
    assert "METRICS_TOKEN must be at least 16 characters long" in result.stderr


def test_metrics_are_served_over_plain_http_for_the_scraper(client, token, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/metrics", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
