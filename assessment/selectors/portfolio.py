"""What the portfolio report of an organisation needs from the database: its teams, their
submitted assessments and the full result of each team's latest, in four queries whatever the
number of teams and assessments."""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils.text import slugify
from django.utils.timezone import localdate

from assessment.models import Assessment, AssessmentStatus
from assessment.reports.portfolio import (
    PortfolioContext,
    Submission,
    TeamRecord,
    build_portfolio,
    prevailing_bank_key,
)
from assessment.scoring.results import Result
from assessment.scoring.types import Bank
from assessment.selectors.assessments import stored_result
from assessment.selectors.banks import newest_bank, question_bank
from core.models import Organization, Team

NO_BANK = "No question bank is loaded, so there is nothing to report on."


def organization_portfolio(organization: Organization) -> PortfolioContext:
    teams = portfolio_teams(organization)
    return build_portfolio(portfolio_bank(teams), organization.name, teams, localdate())


def portfolio_teams(organization: Organization) -> list[TeamRecord]:
    """Every team with its submissions, oldest first, and its latest result. Three queries: the
    teams, every submission's few figures (its summary, never its whole result), and the whole
    results of the latest submissions only, which are all the report reads in full."""
    teams = list(
        Team.objects.filter(organization=organization, archived_at__isnull=True)
        .order_by("name")
        .values_list("pk", "name")
    )
    rows = (
        Assessment.objects.filter(
            team__organization=organization,
            status=AssessmentStatus.SUBMITTED,
            submitted_at__isnull=False,
            summary__isnull=False,
        )
        # The dashboard's order (services/standings.py), so both call the same one "latest".
        .order_by("submitted_at", "pk")
        .values_list(
            "pk", "team_id", "label", "submitted_at", "summary", "bank__slug", "bank__version"
        )
    )
    submissions: dict[int, list[Submission]] = {}
    latest_id: dict[int, int] = {}
    for pk, team_id, label, submitted_at, summary, slug, version in rows:
        # Both are set at every submission; the filter above leaves out any row without them.
        assert submitted_at is not None
        assert summary is not None
        submissions.setdefault(team_id, []).append(
            Submission(
                label=label,
                submitted=localdate(submitted_at),
                bank_key=f"{slug}@{version}",
                overall=summary["overall"],
            )
        )
        latest_id[team_id] = pk  # ascending order: the last one seen is the latest
    results = _latest_results(list(latest_id.values()))
    return [
        TeamRecord(
            name=name,
            submissions=tuple(submissions.get(pk, ())),
            latest=results[latest_id[pk]] if pk in latest_id else None,
        )
        for pk, name in teams
    ]


def _latest_results(assessment_ids: list[int]) -> dict[int, Result]:
    latest = Assessment.objects.filter(pk__in=assessment_ids).only("id", "result")
    return {assessment.pk: stored_result(assessment) for assessment in latest}


def portfolio_bank(teams: list[TeamRecord]) -> Bank:
    """The bank most teams' latest results were scored against (one query); with none yet, the
    newest bank, whose phases the empty report still names. 404 when no bank is loaded."""
    key = prevailing_bank_key(teams)
    if key is not None:
        slug, _, version = key.rpartition("@")
        stored = question_bank(slug, version)
        if stored is not None:
            return stored.bank()
    bank = newest_bank()
    if bank is None:
        raise Http404(NO_BANK)
    return bank


def portfolio_filename(organization: Organization, today: date | None = None) -> str:
    day = today or localdate()
    stem = slugify(organization.name) or f"organisation-{organization.pk}"
    return f"mlops-portfolio-{stem}-{day.isoformat()}.pdf"
