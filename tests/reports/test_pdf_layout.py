"""The printed report's layout, read back from the PDF itself with pdfplumber: nothing past the
margins, no heading alone at the foot of a page, no page under a third full except a section's
last, an executive summary that fits its one page, and no question code in the summary's prose."""

from __future__ import annotations

import io
import re
from datetime import date
from html.parser import HTMLParser

import pdfplumber
import pytest

from assessment.pdf import render as pdf
from assessment.pdf.portfolio import portfolio_html
from assessment.reports.portfolio import Submission, TeamRecord, build_portfolio
from assessment.reports.report import ReportContext, build_report
from assessment.reports.sections.commentary import (
    EXECUTIVE_MAX_BREAKS,
    EXECUTIVE_MAX_LENGTH,
    Branding,
    Commentary,
)
from assessment.reports.sections.cover import Cover
from assessment.reports.sections.progress import Previous
from assessment.scoring.engine import score
from tests.reports.helpers import ACME_COVER, bundled_bank, realistic_input

# A4 with the print stylesheet's margins: text stops at 544.3 pt on every page.
RIGHT_EDGE = 544.5
MM = 72 / 25.4
HEADER_BOTTOM = 62  # the running header sits at 51.5 to 59.5 pt
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


# The text block of a page after the first: from below the running header to above the footer.
BODY_TOP, BODY_BOTTOM = 24 * MM, 842 - 20 * MM


def is_heading(word: dict) -> bool:
    """Headings are the only semi-bold text set larger than the body (9.5 pt)."""
    return "Bold" in word["fontname"] and word["size"] > 10


def opens_a_section(page: pdfplumber.page.Page) -> bool:
    """A page whose first line is a section's title (h2, 17 pt)."""
    words = sorted(body_words(page), key=lambda w: (round(w["top"]), w["x0"]))
    return bool(words) and words[0]["size"] > 15


def filled_share(page: pdfplumber.page.Page) -> float:
    """How far down the text block the page's content reaches, from 0 to 1."""
    bottoms = [w["bottom"] for w in body_words(page)]
    bottoms += [r["bottom"] for r in page.rects if r["bottom"] < BODY_BOTTOM]
    lowest = max(bottoms, default=BODY_TOP)
    return (lowest - BODY_TOP) / (BODY_BOTTOM - BODY_TOP)


def body_words(page: pdfplumber.page.Page) -> list[dict]:
    """The words between the running header and the page number."""
    height = page.height
    words = page.extract_words(extra_attrs=["fontname", "size"])
    return [w for w in words if w["top"] > HEADER_BOTTOM and w["bottom"] < height - 40]


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
    stranded = []
    for number, page in enumerate(document.pages, start=1):
        words = sorted(body_words(page), key=lambda w: (round(w["top"]), w["x0"]))
        if not words:
            continue
        last_line = [w for w in words if round(w["top"]) == round(words[-1]["top"])]
        if all(is_heading(w) for w in last_line):
            stranded.append((number, " ".join(w["text"] for w in last_line)))
    assert stranded == []


def test_the_summary_pages_name_practices_in_words(document: pdfplumber.PDF) -> None:
    # The first page, which a CTO reads alone, and the findings behind it.
    pages = [page.extract_text() or "" for page in document.pages]
    assert "Executive summary" in pages[0]
    start = next(i for i, text in enumerate(pages) if "Findings in detail" in text.split("\n")[1])
    end = next(
        i for i, text in enumerate(pages[start + 1 :], start + 1) if "Phase and level grid" in text
    )
    summary = "\n".join([pages[0], *pages[start:end]])
    assert CODE.findall(summary) == []


def test_no_page_is_under_a_third_full_but_a_sections_last(document: pdfplumber.PDF) -> None:
    pages = document.pages
    sparse = {
        number: round(filled_share(page), 2)
        for number, page in enumerate(pages, start=1)
        if number < len(pages)  # the report's last page ends its last section
        and not opens_a_section(pages[number])  # the next page starts a new section
        and filled_share(page) < 1 / 3
    }
    assert sparse == {}


def worst_case_summary() -> ReportContext:
    """Everything the first page can hold at its longest: a long team and organisation name, a
    regression, the consultant's longest paragraph, three risks and a full first month (five
    actions: the plan's most for a team that has no gate practice left to block it)."""
    bank = bundled_bank()
    before = score(bank, realistic_input(bank, seed=3, lift=0.6))
    after = score(bank, realistic_input(bank, seed=3))
    cover = Cover(
        organisation="Northwind Financial Services and Insurance Holdings International " * 2,
        team="Customer lifetime value and churn propensity modelling platform team " * 2,
        label="2026 Q4 full assessment with the new platform in scope",
        date=None,
        respondents=tuple(f"Respondent number {i} with a long name" for i in range(12)),
    )
    branding = Branding(
        prepared_by="Alexandra Konstantinopoulou-Fitzgerald",
        firm="Northwind Machine Learning Operations Advisory Partners LLP",
        confidentiality=(
            "Strictly confidential: prepared for the board of Northwind Holdings only, "
            "not for circ."
        ),
    )
    # Seven short paragraphs: every line break the form allows, each costing a line.
    commentary = Commentary(
        executive="\n".join(
            ["Wording chosen to fill the paragraph. " * 2] * 6
            + ["Wording chosen to fill the paragraph. " * 6]
        )
    )
    assert commentary.executive.count("\n") == EXECUTIVE_MAX_BREAKS
    assert len(commentary.executive) >= EXECUTIVE_MAX_LENGTH - 100
    return build_report(
        bank,
        after,
        cover,
        Previous("2026 Q3", None, before),
        branding=branding,
        commentary=commentary,
    )


def test_the_executive_summary_fits_one_page_at_its_longest() -> None:
    report = worst_case_summary()
    assert report.summary.regressed
    assert len(report.summary.glance_actions) == 5
    first, second = pdfplumber.open(io.BytesIO(pdf.report_pdf(report).content)).pages[:2]
    assert "Executive summary" in (first.extract_text() or "")
    # The contents open page 2: nothing of the summary ran over.
    assert (second.extract_text() or "").split("\n")[1] == "Contents"


class _Tags(HTMLParser):
    """The element names of an HTML document, outside SVG (which WeasyPrint draws itself)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self.in_svg = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag == "svg":
            self.in_svg += 1
        if not self.in_svg:
            self.names.add(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.in_svg -= 1


# Elements that need no user-agent rule: inline by default, or drawn as images.
INLINE = {"a", "span", "strong", "b", "em", "i", "small", "br", "img", "svg"}


def test_the_cut_down_user_agent_stylesheet_covers_every_element_printed() -> None:
    sheet = (pdf.static_roots()[0] / pdf.USER_AGENT_STYLESHEET).read_text()
    styled = set(re.findall(r"(?<![\w.#:-])([a-z][a-z0-9]*)(?=[\s,{)])", sheet))
    bank = bundled_bank()
    teams = [
        TeamRecord(
            f"Team {seed}",
            (Submission("2026 Q3", date(2026, 9, 1), bank.key, 0),),
            score(bank, realistic_input(bank, seed=seed)),
        )
        for seed in range(3)
    ]
    parser = _Tags()
    parser.feed(pdf.print_html(worst_case_summary()))
    parser.feed(portfolio_html(build_portfolio(bank, "Acme", teams, date(2026, 10, 1))))
    assert len(parser.names) > 30
    assert parser.names - styled - INLINE == set()
