"""The portfolio report as a PDF, through the team report's renderer (render.py): the same
static-files-only fetcher, fonts, print stylesheet, lock and tagged PDF/UA output.

The print template links its own small stylesheet (css/portfolio.css) on top of print.css; the
renderer's fetcher serves it from the static folders like any other resource.
"""

from __future__ import annotations

from django.template.loader import render_to_string

from assessment.pdf.render import RenderedPdf, render_pdf
from assessment.reports.portfolio import PortfolioContext

PORTFOLIO_TEMPLATE = "reports/portfolio_print.html"


def portfolio_html(portfolio: PortfolioContext) -> str:
    return render_to_string(PORTFOLIO_TEMPLATE, {"portfolio": portfolio})


def portfolio_pdf(portfolio: PortfolioContext) -> RenderedPdf:
    """Rendered on every request: it reads every team's latest result, so any submission in the
    organisation would change it, and a handful of pages renders in about a second."""
    return render_pdf(portfolio_html(portfolio))
