"""How fast the maturity report renders, and what the PDF cache saves.

Run: DEBUG=1 .venv/bin/python bench/bench_report.py   (or `make bench`, which runs every bench_*.py)

Sets up its own throw-away SQLite database and media folder, loads the bundled bank, and submits two
quarters of a realistic team (so the report includes the progress section). Then it prints, each
with its goal and PASS or MISS (a miss never fails the run):

- the full report, database reads to PDF bytes: median of 5 renders (goal < 1 s);
- the floor: WeasyPrint on plain paragraphs of the same page count, in the same font and page
  margins but without the product's stylesheet, and the ratio (goal <= 1.5x): what our layout
  costs beyond WeasyPrint's own. The two are rendered in turns, so that a busy machine slows
  both alike;
- the second download of the same PDF through the view and the cache (goal < 50 ms);
- peak memory of rendering (goal < 300 MB).
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: make the project importable

WORK = Path(tempfile.mkdtemp(prefix="bench-report-"))
# Never the developer's database or media: set before Django reads its settings.
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ["ALLOWED_HOSTS"] = "testserver"
os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("LOG_LEVEL", "WARNING")  # WeasyPrint logs every layout step at INFO
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")

import django  # noqa: E402

django.setup()

from io import StringIO  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from weasyprint import CSS, HTML  # noqa: E402

from assessment.banks.loader import BUNDLED_BANKS_DIR  # noqa: E402
from assessment.models import Assessment, QuestionBank  # noqa: E402
from assessment.pdf import render as pdf  # noqa: E402
from assessment.pdf.cache import report_pdf_cache  # noqa: E402
from assessment.selectors.report import report_context, report_sources  # noqa: E402
from core.models import Membership, Organization, Role, Team  # noqa: E402
from tests.reports.helpers import realistic_input, submitted_assessment  # noqa: E402

T = TypeVar("T")

RUNS = 7
DOWNLOADS = 20
GOAL_RENDER_S = 1.0
GOAL_RATIO = 1.5
GOAL_CACHED_MS = 50.0
GOAL_MEMORY_MB = 300.0
PARAGRAPH = (
    "Every model in production has a named owner, a documented way back to the previous "
    "version, and a dashboard that shows its live quality next to the business KPI it serves. "
) * 3


def verdict(passed: bool) -> str:
    return "PASS" if passed else "MISS"


def setup() -> tuple[User, Assessment]:
    call_command("migrate", verbosity=0)
    call_command("load_question_bank", str(BUNDLED_BANKS_DIR), stdout=StringIO())
    bank = QuestionBank.objects.get(slug="mlops-maturity", version="2.0")
    user = get_user_model().objects.create_user(
        username="dana", first_name="Dana", last_name="Okafor"
    )
    organization = Organization.objects.create(name="Acme Analytics", slug="acme-analytics")
    Membership.objects.create(user=user, organization=organization, role=Role.OWNER)
    team = Team.objects.create(organization=organization, name="Fraud detection")
    submitted_assessment(
        team=team, bank=bank, by=user, label="2026 Q3", given=realistic_input(bank.bank(), seed=7)
    )
    current = submitted_assessment(
        team=team,
        bank=bank,
        by=user,
        label="2026 Q4",
        given=realistic_input(bank.bank(), seed=7, lift=0.4),
        targets={"operations": 2},
    )
    return user, current


def median_seconds(action: Callable[[], T], runs: int = RUNS) -> tuple[float, T]:
    timings: list[float] = []
    result: T | None = None
    for _ in range(runs):
        start = time.perf_counter()
        result = action()
        timings.append(time.perf_counter() - start)
    assert result is not None
    return statistics.median(timings), result


# The floor's only styles: the report's font and page margins (print.css), nothing of its layout.
FLOOR_CSS = """@import url("css/fonts.css");
@page { size: A4; margin: 24mm 18mm 20mm 18mm; }
html { font-family: "Source Sans 3", sans-serif; font-size: 9.5pt; line-height: 1.4; }"""


def floor_pdf(html: str) -> pdf.RenderedPdf:
    """Plain HTML through WeasyPrint as the report goes (fonts, fetcher, PDF/UA), but with
    WeasyPrint's default user-agent stylesheet and the floor's styles instead of ours."""
    base = pdf.path2url(str(pdf.static_roots()[0])) + "/"
    css = CSS(
        string=FLOOR_CSS, base_url=base, url_fetcher=pdf.fetcher(), font_config=pdf.font_config()
    )
    rendered = HTML(string=html, base_url=base, url_fetcher=pdf.fetcher()).render(
        font_config=pdf.font_config(), stylesheets=[css], pdf_variant=pdf.PDF_VARIANT
    )
    return pdf.RenderedPdf(rendered.write_pdf(pdf_variant=pdf.PDF_VARIANT), len(rendered.pages))


def plain_text_html(paragraphs: int) -> str:
    body = "".join(f"<p>{PARAGRAPH}</p>" for _ in range(paragraphs))
    head = "<!doctype html><html lang='en'><head><title>Plain</title></head>"
    return f"{head}<body>{body}</body></html>"


def plain_text_of(pages: int) -> str:
    """Plain paragraphs filling the same number of pages, found by bisection."""
    low, high = 1, 40 * pages
    while low < high:
        middle = (low + high) // 2
        if floor_pdf(plain_text_html(middle)).pages < pages:
            low = middle + 1
        else:
            high = middle
    return plain_text_html(low)


def main() -> int:
    user, assessment = setup()
    print(f"assessment: {assessment.team.name}, {assessment.label} (with the previous quarter)")

    def full_render() -> pdf.RenderedPdf:
        return pdf.report_pdf(report_context(report_sources(assessment)))

    start = time.perf_counter()
    first = full_render()  # loads and registers the fonts, parses the stylesheet
    seconds = time.perf_counter() - start
    print(f"first render in a fresh process: {seconds:.2f} s (fonts and stylesheet loaded once)")

    plain = plain_text_of(first.pages)
    report_times: list[float] = []
    floor_times: list[float] = []
    rendered, plain_rendered = first, floor_pdf(plain)
    for _ in range(RUNS):  # in turns: both see the same machine
        start = time.perf_counter()
        rendered = full_render()
        report_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        plain_rendered = floor_pdf(plain)
        floor_times.append(time.perf_counter() - start)
    report_s, plain_s = statistics.median(report_times), statistics.median(floor_times)
    print(
        f"full report, database to PDF: median {report_s:.3f} s over {RUNS} runs, "
        f"{rendered.pages} pages, {len(rendered.content) // 1024} KB "
        f"(goal < {GOAL_RENDER_S:g} s: {verdict(report_s < GOAL_RENDER_S)})"
    )
    assert rendered.pages == first.pages
    ratio = report_s / plain_s
    print(
        f"floor: plain paragraphs, {plain_rendered.pages} pages, same font and margins, without "
        f"the product's stylesheet: median {plain_s:.3f} s; ratio {ratio:.2f}x "
        f"(goal <= {GOAL_RATIO:g}x: {verdict(ratio <= GOAL_RATIO)})"
    )

    client = Client()
    client.force_login(user)
    url = f"/assessments/{assessment.pk}/report.pdf"
    cache = report_pdf_cache()
    folder = f"{cache.prefix}/{assessment.pk}"
    if cache.storage.exists(folder):
        for cached in cache.storage.listdir(folder)[1]:
            cache.storage.delete(f"{folder}/{cached}")
    renders = pdf.render_count()
    start = time.perf_counter()
    response = client.get(url)
    first_ms = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.status_code
    downloads = []
    for _ in range(DOWNLOADS):
        start = time.perf_counter()
        again = client.get(url)
        downloads.append((time.perf_counter() - start) * 1000)
        assert again.content == response.content
    cached_ms = statistics.median(downloads)
    print(
        f"download through the view: first {first_ms:.0f} ms (renders), then median "
        f"{cached_ms:.1f} ms over {DOWNLOADS} (goal < {GOAL_CACHED_MS:g} ms: "
        f"{verdict(cached_ms < GOAL_CACHED_MS)}); renders: {pdf.render_count() - renders}"
    )

    tracemalloc.start()
    full_render()
    _, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux
    print(
        f"memory: peak resident size of this whole process {rss_mb:.0f} MB "
        f"(goal < {GOAL_MEMORY_MB:g} MB: {verdict(rss_mb < GOAL_MEMORY_MB)}); "
        f"Python allocations during one render peak at {python_peak / 2**20:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
