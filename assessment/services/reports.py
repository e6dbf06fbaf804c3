"""Rendered report PDFs: from the cache when the same report was rendered before, and rendered
ahead of need by any free worker when an organisation export will want many."""

from __future__ import annotations

from django_tasks import task

from assessment.models import Assessment
from assessment.pdf.cache import report_pdf_cache
from assessment.pdf.render import report_pdf
from assessment.selectors.assessments import assessments_by_ids
from assessment.selectors.report import (
    ReportSources,
    report_context,
    report_sources,
    report_sources_of,
)


def report_pdf_bytes(assessment: Assessment, *, shared: bool = False) -> bytes:
    """The PDF of an assessment that has a result; rendered once per submission it shows.
    `shared`: as read through a share link, without a draft commentary."""
    return cached_report_pdf(report_sources(assessment, shared=shared))


def cached_report_pdf(sources: ReportSources) -> bytes:
    """The PDF of the report read from `sources`: from the cache, or rendered and kept."""
    return report_pdf_cache().get_or_render(
        sources.pdf_key, lambda: report_pdf(report_context(sources)).content
    )


@task()
def report_pdf_warm(*assessment_ids: int) -> None:
    """Render these assessments' reports into the cache (the storage every host shares), in
    this order. An organisation export queues its reports a few per task, so every free worker,
    on any host, renders in parallel while the export's own worker writes the files; it then
    finds the PDFs cached, or renders the few not done yet itself. A report already cached
    costs a lookup."""
    reported = [a for a in assessments_by_ids(assessment_ids) if a.result is not None]
    sources = report_sources_of(reported)
    for assessment in reported:
        cached_report_pdf(sources[assessment.pk])
