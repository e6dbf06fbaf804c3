"""The PDF itself, rendered for real by WeasyPrint and read back with pypdf."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pypdf
import pytest
from django.conf import settings
from pypdf.generic import DictionaryObject

from assessment.pdf import render as pdf
from assessment.pdf.render import RefusedURL, StaticFilesFetcher
from assessment.reports.report import ReportContext, build_report
from assessment.reports.sections.progress import Previous
from assessment.scoring.engine import score
from tests.reports.helpers import ACME_COVER, bundled_bank, realistic_input

STATIC = Path(settings.BASE_DIR) / "static"


@pytest.fixture(scope="module")
def report() -> ReportContext:
    """The realistic team of the bench, with last quarter's result for the progress section."""
    bank = bundled_bank()
    previous = score(bank, realistic_input(bank, seed=7))
    current = score(bank, realistic_input(bank, seed=7, lift=0.4))
    return build_report(bank, current, ACME_COVER, Previous("2026 Q3", None, previous))


@pytest.fixture(scope="module")
def reader(report: ReportContext) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf.report_pdf(report).content))


@pytest.fixture(scope="module")
def text(reader: pypdf.PdfReader) -> str:
    """The whole document's text, whitespace (and non-breaking spaces) folded to one space."""
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def dictionary(value: object) -> DictionaryObject:
    """A PDF dictionary: pypdf types the values a dictionary holds only as PdfObject."""
    assert isinstance(value, DictionaryObject), value
    return value


def test_every_section_heading_is_printed(report: ReportContext, text: str) -> None:
    titles = [section.title for section in report.sections]

    # The page a CTO reads alone, then the plan, then the detail.
    assert titles == [
        "Executive summary",
        "Roadmap",
        "Findings in detail",
        "Phase and level grid",
        "Levels and scores at a glance",
        "Progress since 2026 Q3",
        "Role gaps",
        "How this was scored",
        "Appendix: every question and answer",
    ]
    for title in titles:
        # Once in the contents on page 2, once as the heading itself.
        assert text.count(title) >= 2, title


def test_the_cover_names_team_organisation_bank_and_respondents(text: str) -> None:
    cover = text[: text.index("Contents")]

    for fact in (
        "MLOPS MATURITY REPORT",
        "Fraud detection",
        "2026 Q4 · Acme Analytics",
        "MLOps maturity assessment, version 2.0",
        "Dana Okafor (lead), Sam Lee",
        "20 November 2026",
    ):
        assert fact in cover, fact


def test_the_printed_levels_are_those_of_the_result(report: ReportContext, text: str) -> None:
    view = report.view

    assert f"Overall: {view.overall_label}" in text
    for phase in view.phases:
        assert f"{phase.name}: {phase.label}" in text
    # The grid prints each cell's percent and status, row by row.
    start = text.index("Share of points and status")
    grid = text[start : text.index("Levels and scores", start)]
    for phase in view.phases:
        for cell in phase.cells:
            status = "MET" if cell.met else "NOT MET"
            if cell.all_in_place:  # level 0: practices in place, all of them needed
                shown = f"{cell.in_place} of {cell.applicable} IN PLACE · {status}"
            else:
                shown = f"{cell.percent:.0f} % {status}"
            assert shown in grid, (phase.name, cell.level)


def test_every_question_appears_in_the_appendix_with_its_answer(
    report: ReportContext, text: str
) -> None:
    appendix = text[text.rindex("Appendix: every question and answer") :]

    rows = [row for phase in report.appendix for level in phase.levels for row in level.rows]
    assert len(rows) == 74  # every question of bank 2.0
    for row in rows:
        assert re.search(rf"{row.code}( · critical)? · {re.escape(row.answer)}", appendix), row.code
    reasons = [row for row in rows if row.reason]
    assert reasons, "the realistic team marks some practices not applicable"
    assert "Why not applicable: We score in nightly batches" in appendix


def test_the_progress_section_shows_the_level_changes(report: ReportContext, text: str) -> None:
    progress = text[text.rindex("Progress since 2026 Q3") : text.rindex("Role gaps")]

    assert report.progress is not None
    assert report.progress.sentence.split(".")[0] in progress
    for move in report.progress.phases:
        assert f"{move.name} {move.before} {move.after} {move.change}" in progress


def test_the_metadata_carries_title_author_subject_and_language(
    report: ReportContext, reader: pypdf.PdfReader
) -> None:
    metadata = reader.metadata

    assert metadata is not None
    assert metadata.title == "MLOps maturity report: Fraud detection, 2026 Q4"
    assert metadata.author == "Dana Okafor"
    assert metadata.subject is not None
    assert metadata.subject.startswith("MLOps maturity of Fraud detection (Acme Analytics)")
    catalog = dictionary(reader.trailer["/Root"])
    assert str(catalog["/Lang"]) == "en"
    assert bool(dictionary(catalog["/ViewerPreferences"])["/DisplayDocTitle"])


def test_the_pdf_is_tagged_for_accessibility(reader: pypdf.PdfReader) -> None:
    catalog = dictionary(reader.trailer["/Root"])

    assert bool(dictionary(catalog["/MarkInfo"])["/Marked"])
    assert "/StructTreeRoot" in catalog


def test_headings_become_bookmarks(reader: pypdf.PdfReader) -> None:
    top_level = [item.title for item in reader.outline if not isinstance(item, list)]

    assert top_level[0] == "Executive summary"
    assert top_level[-1] == "Appendix: every question and answer"
    assert "Roadmap" in top_level


def test_the_page_count_is_sane_and_pages_are_numbered(reader: pypdf.PdfReader) -> None:
    pages = len(reader.pages)

    assert 8 <= pages <= 24
    second = reader.pages[1].extract_text()
    assert f"Page 2 of {pages}" in second
    assert "Fraud detection · 2026 Q4 · 20 November 2026" in second
    first = reader.pages[0].extract_text()
    assert f"Page 1 of {pages}" in first  # the first page is the executive summary
    assert "Fraud detection · 2026 Q4 · 20 November 2026" not in first  # and has no header


def test_the_shipped_font_is_embedded(reader: pypdf.PdfReader) -> None:
    fonts = set()
    for page in reader.pages[:3]:
        resources = dictionary(page["/Resources"])
        for font in dictionary(resources["/Font"]).values():
            fonts.add(str(dictionary(font.get_object())["/BaseFont"]))

    assert fonts
    assert all("Source-Sans-3" in name for name in fonts), fonts


def test_rendering_counts_each_pdf(report: ReportContext) -> None:
    before = pdf.render_count()

    pdf.render_pdf("<html lang='en'><title>x</title><p>One page.</p></html>")

    assert pdf.render_count() == before + 1


# --- the URL fetcher ---------------------------------------------------------------------------


@pytest.fixture
def fetcher() -> StaticFilesFetcher:
    return StaticFilesFetcher([STATIC])


def test_the_fetcher_serves_a_static_file(fetcher: StaticFilesFetcher) -> None:
    url = (STATIC / "css" / "fonts.css").as_uri()  # imported by print.css

    response = fetcher.fetch(url)

    assert response.content_type == "text/css"
    assert b"@font-face" in response.read()


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/logo.png",
        "https://example.com/font.woff2",
        "ftp://example.com/x",
        "data:text/plain,hello",
        "file:///etc/passwd",
        f"file://{STATIC}/../manage.py",
        f"file://{STATIC}/../db.sqlite3",
        f"file://{STATIC}/%2e%2e/manage.py",
        f"file://attacker.example{STATIC}/css/print.css",
        "css/print.css",
    ],
)
def test_the_fetcher_refuses_the_network_and_files_outside_static(
    fetcher: StaticFilesFetcher, url: str
) -> None:
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)


def test_the_fetcher_refuses_a_symbolic_link_out_of_static(tmp_path: Path) -> None:
    root = tmp_path / "static"
    root.mkdir()
    secret = tmp_path / "secret.txt"
    secret.write_text("not for the PDF")
    (root / "link.txt").symlink_to(secret)

    with pytest.raises(RefusedURL):
        StaticFilesFetcher([root]).fetch((root / "link.txt").as_uri())


def test_a_document_pointing_outside_static_renders_without_it(caplog) -> None:
    html = (
        "<html lang='en'><title>x</title>"
        "<img src='http://127.0.0.1:9/tracker.png' alt=''>"
        "<img src='file:///etc/passwd' alt=''><p>Still rendered.</p></html>"
    )

    rendered = pdf.render_pdf(html)

    assert rendered.pages == 1
    refused = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refused) == 2
