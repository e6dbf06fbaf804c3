"""What the maturity report of an assessment needs from the database, gathered once: the cover,
the previous assessment, the team's history and its disagreements; and the key its rendered PDF
is cached under, which depends on the same reads."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.utils.text import slugify
from django.utils.timezone import localdate

from assessment.models import Assessment
from assessment.pdf.cache import PdfKey
from assessment.reports.report import ReportContext, build_report
from assessment.reports.sections.cover import Cover
from assessment.reports.sections.disagreements import build_disagreements
from assessment.reports.sections.progress import Previous
from assessment.scoring.consensus import TeamSnapshot
from assessment.selectors.assessments import (
    previous_submitted_assessment,
    stored_result,
    team_history,
    trend_points,
)
from assessment.selectors.commentary import Signature, report_signature
from assessment.selectors.respondents import respondents, role_holders
from core.selectors import display_name

# Bump when the print template or stylesheet changes what a PDF looks like, so cached PDFs of
# already submitted assessments are rendered again.
REPORT_LAYOUT_VERSION = "10"  # 2: disagreements; 3: the trend chart; 4: level-0 answer words;
# 5: the index, the gate and the N/A list of engine 2; 6, 7: the plan, strengths, risks, roles;
# 8: tables within the margins, role headings kept with their verdict; 9: level 0 in the chart;
# 10: the one-page executive summary, the plan before the detail, branding and commentary


@dataclass(frozen=True)
class ReportSources:
    """The rows a report is built from. Cheap to gather; building the report is not, so the
    PDF's cache key is computed from these alone."""

    assessment: Assessment
    previous: Assessment | None
    history: tuple[Assessment, ...]  # submitted up to and including this one, oldest first
    signature: Signature  # the branding and the consultant's commentary
    shared: bool = False  # read through a share link: its PDF is cached apart

    @property
    def pdf_key(self) -> PdfKey:
        """Its result version, the layout version and every submission it shows (the previous
        one it is compared with, and the trend's): any resubmission among them changes the PDF."""
        compared = _submission(self.previous) if self.previous is not None else "none"
        history = ",".join(_submission(a) for a in self.history)
        return PdfKey(
            assessment_id=self.assessment.pk,
            result_version=self.assessment.result_version,
            audience="shared" if self.shared else "",
            # The submission's time as well as its number: ids and versions repeat when a
            # database is recreated beside an existing MEDIA_ROOT, and a stale PDF must never be
            # served.
            variant=(
                f"layout={REPORT_LAYOUT_VERSION};this={_submission(self.assessment)};"
                f"previous={compared};"
                f"history={hashlib.sha256(history.encode()).hexdigest()[:16]};"
                f"signature={self.signature.fingerprint}"
            ),
        )


def report_sources(assessment: Assessment, *, shared: bool = False) -> ReportSources:
    """For an assessment that has a result (submitted, or reopened since). `shared`: as read
    through a link by someone outside the organisation: a draft commentary is left out."""
    if assessment.result is None:
        raise ValueError(f"assessment {assessment.pk} has no result to report on")
    return ReportSources(
        assessment=assessment,
        previous=previous_submitted_assessment(assessment),
        history=tuple(team_history(assessment)),
        signature=report_signature(assessment, published_only=shared),
        shared=shared,
    )


def report_context(sources: ReportSources) -> ReportContext:
    assessment, previous = sources.assessment, sources.previous
    team = assessment.team
    submitted_by = assessment.submitted_by
    cover = Cover(
        organisation=team.organization.name,
        team=team.name,
        label=assessment.label,
        date=localdate(assessment.submitted_at) if assessment.submitted_at else None,
        respondents=tuple(display_name(r.user) for r in respondents(assessment)),
        author=display_name(submitted_by) if submitted_by else team.organization.name,
        people=tuple(role_holders(assessment).items()),
    )
    bank = assessment.bank.bank()
    # Read from the snapshot taken at submission, so a reopened assessment's report keeps
    # showing what was settled then; None for an assessment answered by one person.
    snapshot = assessment.team_snapshot
    return build_report(
        bank,
        stored_result(assessment),
        cover,
        Previous(
            label=previous.label,
            date=localdate(previous.submitted_at) if previous.submitted_at else None,
            result=stored_result(previous),
        )
        if previous is not None
        else None,
        build_disagreements(
            bank, TeamSnapshot.from_dict(snapshot), named=assessment.name_respondents
        )
        if snapshot is not None
        else None,
        tuple(trend_points(list(sources.history))),
        branding=sources.signature.branding,
        commentary=sources.signature.commentary,
    )


def _submission(assessment: Assessment) -> str:
    submitted = assessment.submitted_at.isoformat() if assessment.submitted_at else "never"
    return f"{assessment.pk}.{assessment.result_version}@{submitted}"


def report_filename(assessment: Assessment) -> str:
    stem = slugify(f"{assessment.team.name} {assessment.label}") or f"assessment-{assessment.pk}"
    return f"mlops-maturity-{stem}.pdf"
