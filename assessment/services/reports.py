"""Rendered report PDFs: from the cache when the same report was rendered before, and rendered
ahead of need by any free worker when an organisation export will want many."""

from __future__ import annotations

from django_tasks import task

from assessment.models import Assessment
from assessment.pdf.cache import report_pdf_cache
from assessment.pdf.render import report_pdf
from assessment.selectors.assessments import assessment_by_id
from assessment.selectors.report import report_context, report_sources


def report_pdf_bytes(assessment: Assessment, *, shared: bool = False) -> bytes:
    """The PDF of an assessment that has a result; rendered once per submission it shows.
    `shared`: as read through a share link, without a draft commentary."""
    sources = report_sources(assessment, shared=shared)
    return report_pdf_cache().get_or_render(
        sources.pdf_key, lambda: report_pdf(report_context(sources)).content
    )


@task()
def report_pdf_warm(assessment_id: int) -> None:
    """Render one assessment's report into the cache (the storage every host shares). An
    organisation export queues one per report, so every free worker, on any host, renders in
    parallel while the export's own worker writes the files; it then finds the PDFs cached, or
    renders the few not done yet itself. A report already cached costs a lookup."""
    assessment = assessment_by_id(assessment_id)
    if assessment is not None and assessment.result is not None:
        report_pdf_bytes(assessment)
