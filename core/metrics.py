"""Prometheus metrics (prometheus-client), served at /metrics to operators (core/views/health.py).

Several gunicorn workers each count their own requests. With PROMETHEUS_MULTIPROC_DIR set (an
empty folder, before the processes start), every process writes its counters there and a scrape,
whichever worker answers it, adds them all up; without it, each process serves its own counts
(fine for one process, such as runserver). See docs/deploy.md.

The task queue is read from the database at scrape time, with one query.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from datetime import datetime

from django.db import DatabaseError
from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import Greatest
from django.utils import timezone
from prometheus_client import (
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST, generate_latest
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

PREFIX = "maturity"
MULTIPROCESS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"
CONTENT_TYPE = CONTENT_TYPE_LATEST

# The methods counted under their own name; anything else a client invents is "other", so a
# stranger cannot grow the number of series.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
STATIC = "static"

# No `_created` series beside each counter: the multi-process mode has none either, and they
# would double the number of series for nothing a dashboard uses.
disable_created_metrics()

HTTP_REQUESTS = Counter(
    f"{PREFIX}_http_requests",
    "HTTP requests answered, by method, route (the URL's name) and status class.",
    ["method", "route", "status"],
)
HTTP_LATENCY = Histogram(
    f"{PREFIX}_http_request_duration_seconds",
    "Time to answer an HTTP request, by route (the URL's name).",
    ["route"],
    # Pages take milliseconds; a PDF report rendered afresh takes seconds.
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
PDF_RENDERS = Counter(f"{PREFIX}_pdf_renders", "PDF documents rendered (reports, portfolios).")
PDF_CACHE = Counter(
    f"{PREFIX}_pdf_cache_requests",
    "PDFs asked of the rendered-PDF cache: found (hit) or to be rendered (miss).",
    ["result"],
)
# Both series exist from the start, at 0, so rates and ratios have something to work on.
for _result in ("hit", "miss"):
    PDF_CACHE.labels(result=_result)


def status_class(status_code: int) -> str:
    return f"{status_code // 100}xx"


def http_request_observed(*, method: str, route: str, status_code: int, seconds: float) -> None:
    """Count one answered request. `route` is a URL name, never a path (ids would make a series
    per object)."""
    method = method if method in KNOWN_METHODS else "other"
    HTTP_REQUESTS.labels(method=method, route=route, status=status_class(status_code)).inc()
    HTTP_LATENCY.labels(route=route).observe(seconds)


def pdf_rendered() -> None:
    PDF_RENDERS.inc()


def pdf_cache_hit() -> None:
    PDF_CACHE.labels(result="hit").inc()


def pdf_cache_miss() -> None:
    PDF_CACHE.labels(result="miss").inc()


def waiting_since() -> Case:
    """When a ready task became ready: when it was queued, or, for one queued to run later, when
    that time came."""
    from django_tasks_db.models import get_date_max

    return Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest("enqueued_at", "run_after"),
    )


def task_queue() -> tuple[int, datetime | None]:
    """How many tasks are ready and waiting for a worker, and since when the oldest has waited
    (None when there are none): one query."""
    from django_tasks_db.models import DBTaskResult

    found = DBTaskResult.objects.ready().aggregate(depth=Count("pk"), oldest=Min(waiting_since()))
    return found["depth"], found["oldest"]


class TaskQueueCollector(Collector):
    """The database queue of django-tasks, read when Prometheus scrapes."""

    def describe(self) -> list[GaugeMetricFamily]:
        return list(self._families())

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            depth, oldest = task_queue()
        except DatabaseError as error:
            logger.warning("Task queue not measured: %s", error)
            return
        wait = (timezone.now() - oldest).total_seconds() if oldest is not None else 0.0
        yield from self._families(depth=depth, wait=max(wait, 0.0))

    @staticmethod
    def _families(
        *, depth: float | None = None, wait: float | None = None
    ) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily(
            f"{PREFIX}_task_queue_depth",
            "Background tasks ready to run and waiting for a worker.",
            value=depth,
        )
        yield GaugeMetricFamily(
            f"{PREFIX}_task_queue_oldest_wait_seconds",
            "How long the oldest ready task has waited for a worker (0 when none waits).",
            value=wait,
        )


_task_queue_collector = TaskQueueCollector()


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROCESS_DIR_VARIABLE) or None


def registry() -> CollectorRegistry:
    """What a scrape reads: every process's counters from PROMETHEUS_MULTIPROC_DIR, or this
    process's own; and the task queue."""
    path = multiprocess_dir()
    if path is None:
        return REGISTRY
    scraped = CollectorRegistry()
    multiprocess.MultiProcessCollector(scraped, path=path)
    scraped.register(_task_queue_collector)
    return scraped


def exposition() -> bytes:
    """The metrics in Prometheus's text format."""
    return generate_latest(registry())


# One process: the queue is read with the process's own metrics. (With PROMETHEUS_MULTIPROC_DIR,
# each scrape's registry gets it instead: the default registry is not what is scraped.)
if multiprocess_dir() is None:
    REGISTRY.register(_task_queue_collector)
