"""Rendered report PDFs: from the cache when the same report was rendered before."""

from __future__ import annotations

from assessment.models import Assessment
from assessment.pdf.cache import report_pdf_cache
from assessment.pdf.render import report_pdf
from assessment.selectors.report import report_context, report_sources


def report_pdf_bytes(assessment: Assessment, *, shared: bool = False) -> bytes:
    """The PDF of an assessment that has a result; rendered once per submission it shows.
    `shared`: as read through a share link, without a draft commentary."""
    sources = report_sources(assessment, shared=shared)
    return report_pdf_cache().get_or_render(
        sources.pdf_key, lambda: report_pdf(report_context(sources)).content
    )
