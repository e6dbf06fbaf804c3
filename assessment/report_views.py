"""The maturity report of a submitted assessment: a web page and a PDF download.

Thin views over `assessment.reports`: they check access, read what the report needs from the
database and hand plain data to the pure builder. The read helpers are public because
`render_report` uses them too.
"""

from __future__ import annotations

import hashlib

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.timezone import localdate
from django.views.decorators.http import require_GET

from assessment import selectors
from assessment.models import Assessment, AssessmentStatus, Respondent
from assessment.reports.cache import PdfKey, report_pdf_cache
from assessment.reports.context import ANSWER_LABELS
from assessment.reports.pdf import report_pdf
from assessment.reports.report import (
    Cover,
    Disagreement,
    Previous,
    ReportContext,
    TeamAnswer,
    build_report,
)
from assessment.scoring.results import Result
from assessment.scoring.types import AnswerValue, Bank

# Bump when the print template or stylesheet changes what a PDF looks like, so cached PDFs of
# already submitted assessments are rendered again.
REPORT_LAYOUT_VERSION = "3"  # 2: "Where the team disagreed"; 3: the trend chart


@require_GET
def assessment_report(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment, membership = selectors.assessment_for_user(request.user, assessment_id)
    if assessment.result is None:
        return redirect("assessment_review", assessment.pk)
    report = assessment_report_context(assessment)
    return render(
        request,
        "reports/report.html",
        {"assessment": assessment, "membership": membership, "report": report, "view": report.view},
    )


@require_GET
def assessment_report_pdf(request: HttpRequest, assessment_id: int) -> HttpResponse:
    assessment, _ = selectors.assessment_for_user(request.user, assessment_id)
    if assessment.result is None:
        return redirect("assessment_review", assessment.pk)
    content = assessment_report_pdf_bytes(assessment)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(assessment)}"'
    # A client's maturity report: browsers may keep it, shared caches and proxies may not.
    response["Cache-Control"] = "private"
    return response


# --- reads shared with the render_report command ----------------------------------------------


def previous_submitted_assessment(assessment: Assessment) -> Assessment | None:
    """The same team's latest submitted assessment started before this one, if any. Ordered by
    creation, not submission: reopening and resubmitting last quarter's assessment must not make
    it "later" than this quarter's."""
    return (
        Assessment.objects.filter(
            team_id=assessment.team_id,
            status=AssessmentStatus.SUBMITTED,
            result__isnull=False,
            created_at__lt=assessment.created_at,
        )
        .exclude(pk=assessment.pk)
        .order_by("-created_at", "-pk")
        .first()
    )


def assessment_report_context(assessment: Assessment) -> ReportContext:
    """The report of an assessment that has a result (submitted, or reopened since)."""
    if assessment.result is None:
        raise ValueError(f"assessment {assessment.pk} has no result to report on")
    previous = previous_submitted_assessment(assessment)
    respondents = [
        selectors.display_name(r.user)
        for r in Respondent.objects.filter(assessment=assessment)
        .select_related("user")
        .order_by("-is_lead", "created_at", "pk")
    ]
    submitted_by = assessment.submitted_by
    team = assessment.team
    cover = Cover(
        organisation=team.organization.name,
        team=team.name,
        label=assessment.label,
        date=localdate(assessment.submitted_at) if assessment.submitted_at else None,
        respondents=tuple(respondents),
        author=selectors.display_name(submitted_by) if submitted_by else team.organization.name,
    )
    bank = assessment.bank.bank()
    return build_report(
        bank,
        Result.from_dict(assessment.result),
        cover,
        Previous(
            label=previous.label,
            date=localdate(previous.submitted_at) if previous.submitted_at else None,
            result=Result.from_dict(previous.result),
        )
        if previous is not None
        else None,
        team_disagreements(assessment, bank),
        tuple(selectors.trend_points(team_history(assessment))),
    )


def team_history(assessment: Assessment) -> list[Assessment]:
    """The team's submitted assessments up to and including this one, oldest first."""
    return list(
        Assessment.objects.filter(
            team_id=assessment.team_id,
            status=AssessmentStatus.SUBMITTED,
            created_at__lte=assessment.created_at,
        )
        .exclude(summary=None)
        .order_by("created_at", "pk")
        .only("id", "label", "summary", "result_version", "submitted_at")
    )


def team_disagreements(assessment: Assessment, bank: Bank) -> tuple[Disagreement, ...] | None:
    """The flagged questions of a team assessment and how the lead settled them; None for an
    assessment answered by one person. Read from the snapshot taken at submission, so a reopened
    assessment's report keeps showing what was settled then. Anonymous unless the lead chose
    names."""
    records = assessment.team_snapshot
    if records is None:
        records = selectors.team_disagreement_records(assessment, bank)
    if records is None:
        return None

    def who(person: dict) -> str:
        name = person["name"] if assessment.name_respondents else f"Respondent {person['number']}"
        return f"{name} ({person['role']})" if person["role"] else name

    return tuple(
        Disagreement(
            code=record["code"],
            statement=bank.question(record["code"]).statement,
            answers=tuple(
                TeamAnswer(
                    who=who(person),
                    answer=ANSWER_LABELS[AnswerValue(person["value"])],
                    note=person["note"],
                )
                for person in record["answers"]
            ),
            final=ANSWER_LABELS[AnswerValue(record["final"])] if record["final"] else "Not settled",
            why=record["why"],
        )
        for record in records
    )


def assessment_pdf_key(assessment: Assessment) -> PdfKey:
    """The cache key of an assessment's PDF: its result version, the layout version and the
    previous assessment it is compared with (whose own resubmission changes the PDF too)."""
    previous = previous_submitted_assessment(assessment)
    compared = _submission(previous) if previous is not None else "none"
    # The trend chart shows every earlier submission: any resubmission among them changes it.
    history = ",".join(_submission(a) for a in team_history(assessment))
    return PdfKey(
        assessment_id=assessment.pk,
        result_version=assessment.result_version,
        # The submission's time as well as its number: ids and versions repeat when a database
        # is recreated beside an existing MEDIA_ROOT, and a stale PDF must never be served.
        variant=(
            f"layout={REPORT_LAYOUT_VERSION};this={_submission(assessment)};previous={compared};"
            f"history={hashlib.sha256(history.encode()).hexdigest()[:16]}"
        ),
    )


def _submission(assessment: Assessment) -> str:
    submitted = assessment.submitted_at.isoformat() if assessment.submitted_at else "never"
    return f"{assessment.pk}.{assessment.result_version}@{submitted}"


def assessment_report_pdf_bytes(assessment: Assessment) -> bytes:
    """The PDF, from the cache when it was rendered before; rendered once otherwise."""
    return report_pdf_cache().get_or_render(
        assessment_pdf_key(assessment),
        lambda: report_pdf(assessment_report_context(assessment)).content,
    )


def report_filename(assessment: Assessment) -> str:
    stem = slugify(f"{assessment.team.name} {assessment.label}") or f"assessment-{assessment.pk}"
    return f"mlops-maturity-{stem}.pdf"
