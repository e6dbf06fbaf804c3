"""The portfolio report as a PDF, through the team report's renderer (render.py): the same
static-files-only fetcher, fonts, print stylesheet, lock and tagged PDF/UA output.

The print template links its own small stylesheet (css/portfolio.css) on top of print.css; the
renderer's fetcher serves it from the static folders like any other resource.
"""

from __future__ import annotations

import hashlib

from django.template.loader import render_to_string

from assessment.pdf.cache import PdfCache, PdfKey
from assessment.pdf.render import render_pdf
from assessment.reports.portfolio import PortfolioContext

PORTFOLIO_TEMPLATE = "reports/portfolio_print.html"
CACHE_FOLDER = "portfolios"


def portfolio_html(portfolio: PortfolioContext) -> str:
    return render_to_string(PORTFOLIO_TEMPLATE, {"portfolio": portfolio})


def portfolio_pdf_bytes(organization_id: int, portfolio: PortfolioContext) -> bytes:
    """The portfolio's PDF, rendered once per content: its print HTML (cheap to build) is the
    key, so any submission, renamed team or new day changes it, and asking again costs a file
    read, not a second of the renderer that every report download shares. Kept under
    `portfolios/<organisation>/`, where each new one replaces the organisation's last."""
    html = portfolio_html(portfolio)
    key = PdfKey(
        assessment_id=organization_id,
        result_version=0,
        variant=hashlib.sha256(html.encode("utf-8")).hexdigest(),
    )
    return portfolio_pdf_cache().get_or_render(key, lambda: render_pdf(html).content)


_PORTFOLIOS = PdfCache(CACHE_FOLDER)


def portfolio_pdf_cache() -> PdfCache:
    return _PORTFOLIOS
