"""The printed report's layout, read back from the PDF itself with pdfplumber: nothing past the
margins, no heading alone at the foot of a page, no question code in the summary's prose."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest

from assessment.pdf import render as pdf
from assessment.reports.report import ReportContext, build_report
from assessment.reports.sections.progress import Previous
from assessment.scoring.engine import score
from tests.reports.helpers import ACME_COVER, bundled_bank, realistic_input

# A4 with the print stylesheet's margins: text stops at 544.3 pt on every page.
RIGHT_EDGE = 544.5
CODE = re.compile(r"\b[A-Z]{3}-\d-\d\d\b")


@pytest.fixture(scope="module")
def document() -> pdfplumber.PDF:
    bank = bundled_bank()
    previous = score(bank, realistic_input(bank, seed=7))
    current = score(bank, realistic_input(bank, seed=7, lift=0.4))
    report: ReportContext = build_report(
        bank, current, ACME_COVER, Previous("2026 Q3", None, previous)
    )
    return pdfplumber.open(io.BytesIO(pdf.report_pdf(report).content))


def body_words(page: pdfplumber.page.Page) -> list[dict]:
    """The words between the running header and the page number."""
    height = page.height
    words = page.extract_words(extra_attrs=["fontname", "size"])
    return [w for w in words if w["top"] > 50 and w["bottom"] < height - 40]


def rightmost(page: pdfplumber.page.Page) -> float:
    """The furthest right any word or ruled line reaches (a table's rules span its full width,
    so a table wider than the text block shows even when its last column is short)."""
    xs = [w["x1"] for w in page.extract_words()]
    xs += [line["x1"] for line in page.lines if line["x1"] - line["x0"] > 20]
    return max(xs, default=0.0)


def test_nothing_runs_past_the_right_margin(document: pdfplumber.PDF) -> None:
    too_wide = {
        number: round(rightmost(page), 1)
        for number, page in enumerate(document.pages, start=1)
        if rightmost(page) > RIGHT_EDGE
    }
    assert too_wide == {}


def test_no_page_ends_with_a_heading(document: pdfplumber.PDF) -> None:
    # Headings are the only semi-bold text set larger than the body (9.5 pt).
    stranded = []
    for number, page in enumerate(document.pages, start=1):
        words = sorted(body_words(page), key=lambda w: (round(w["top"]), w["x0"]))
        if not words:
            continue
        last_line = [w for w in words if round(w["top"]) == round(words[-1]["top"])]
        if all("Bold" in w["fontname"] and w["size"] > 10 for w in last_line):
            stranded.append((number, " ".join(w["text"] for w in last_line)))
    assert stranded == []


def test_the_summary_pages_name_practices_in_words(document: pdfplumber.PDF) -> None:
    # From the executive summary to the next section: the pages a CTO reads.
    pages = [page.extract_text() or "" for page in document.pages]
    start = next(i for i, text in enumerate(pages) if "Executive summary" in text.split("\n")[1])
    end = next(
        i for i, text in enumerate(pages[start + 1 :], start + 1) if "Phase and level grid" in text
    )
    summary = "\n".join(pages[start:end])
    assert CODE.findall(summary) == []
