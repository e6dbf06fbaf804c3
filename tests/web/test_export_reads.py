"""An organisation export reads the database a fixed number of times, however many teams and
assessments it holds: answers, report sources and progress are read and written by chunk, not
per assessment (issue 20: 13 queries per assessment before, 7 with the PDFs cached)."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from types import SimpleNamespace
from typing import TYPE_CHECKING

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from assessment.models import ExportJob, QuestionBank
from assessment.services.actions import action_create, action_update
from assessment.services.assessments import (
    assessment_set_composition,
    assessment_start,
    assessment_submit,
)
from assessment.services.commentary import commentary_save
from core.models import Organization, Role
from tests.factories import MembershipFactory, OrganizationFactory, TeamFactory, UserFactory
from tests.queries import statement_kind
from tests.web.helpers import answer_everything_via_services

if TYPE_CHECKING:
    from django.contrib.auth.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def stand_in_renderer(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every PDF rendered as a few bytes (the layout takes a second a report and is not what is
    counted here); the cache around it is the real one. Returns the ids rendered."""
    from assessment.services import reports

    rendered: list[int] = []

    def context(sources):
        rendered.append(sources.assessment.pk)
        return sources

    monkeypatch.setattr(reports, "report_context", context)
    monkeypatch.setattr(
        reports, "report_pdf", lambda s: SimpleNamespace(content=b"%%PDF %d" % s.assessment.pk)
    )
    return rendered


def client_organization(
    slug: str, bank: QuestionBank, *, teams: int, quarters: int
) -> tuple[Organization, User]:
    """`teams` teams of `quarters` submitted assessments each, then one draft each (which has
    no report); every team with actions (some done between quarters), and a commentary on its
    first quarter (published on the first team)."""
    organization = OrganizationFactory.create(slug=slug, name=slug.title())
    lead = UserFactory.create(username=f"lead-{slug}")
    MembershipFactory.create(user=lead, organization=organization, role=Role.CONSULTANT)
    composition = {role.code: "present" for role in bank.bank().roles}
    for t in range(teams):
        team = TeamFactory.create(organization=organization, name=f"Team {t}")
        for q in range(quarters):
            assessment = assessment_start(
                team=team, bank=bank, label=f"Quarter {q}", targets={}, by=lead
            )
            assessment_set_composition(assessment=assessment, composition=composition, by=lead)
            answer_everything_via_services(lead, assessment, ("0", "0.5", "1")[q % 3])
            assessment_submit(assessment=assessment, by=lead)
            if q == 0:
                commentary_save(
                    assessment=assessment,
                    executive=f"Words on {team.name}",
                    notes={},
                    seen_version=assessment.result_version,
                    by=lead,
                    publish=t == 0,
                )
            done = action_create(team=team, by=lead, title=f"Step {q}", practices=[])
            action_update(action=done, by=lead, status="done")
            action_create(
                team=team, by=lead, title=f"Next {q}", practices=[], due_on=timezone.localdate()
            )
        assessment_start(
            team=team, bank=bank, label="Next quarter", targets={}, by=lead
        )  # a draft: its CSV and JSON, no report
    return organization, lead


def export_queries(organization: Organization, lead: User) -> tuple[Counter[str], ExportJob]:
    """The statements of one export task, run in this process as the worker runs it, counted
    by kind: reads, the job's own updates, and renderings queued for other workers."""
    from assessment.services import exports

    job = ExportJob.objects.create(organization=organization, requested_by=lead)
    with CaptureQueriesContext(connection) as queries:
        exports.export_organization.call(job.pk)
    job.refresh_from_db()
    return Counter(statement_kind(q["sql"]) for q in queries.captured_queries), job


@pytest.mark.django_db(transaction=True)  # the worker closes its connection, as in production
def test_an_export_reads_as_often_for_twelve_reports_as_for_two(
    mlops_bank, media, stand_in_renderer, monkeypatch
):
    from assessment.models import Assessment
    from assessment.services import exports

    # Progress is saved once a second; a test this quick would save it a varying number of
    # times: once at the end here, as a fast export does.
    monkeypatch.setattr(exports, "EXPORT_BEAT_SECONDS", 3600.0)
    small = client_organization("small", mlops_bank, teams=1, quarters=2)
    large = client_organization("large", mlops_bank, teams=4, quarters=3)

    small_first, small_job = export_queries(*small)
    large_first, large_job = export_queries(*large)
    assert (small_job.status, small_job.done_steps) == ("done", 2 * 3 + 2)
    assert (large_job.status, large_job.done_steps) == ("done", 12 * 3 + 4 * 2)
    # Every report rendered once, the drafts' none.
    reported = Assessment.objects.filter(result__isnull=False).values_list("pk", flat=True)
    assert sorted(stand_in_renderer) == sorted(reported)

    # Again, every PDF now in the cache: nothing is rendered.
    small_cached, _ = export_queries(*small)
    large_cached, _ = export_queries(*large)
    assert len(stand_in_renderer) == 14
    # The same reads for 12 reports of 4 teams as for 2 of 1: the job, its assessments, the
    # manifest (organisation, teams, actions, assessments, commentaries, ...), then for each
    # chunk of 200 its answers and its reports' sources.
    assert small_cached["read"] == large_cached["read"] == 15
    # Progress: started, named, once a second (here: once, at the end), checked before the
    # save, done.
    assert small_cached["progress"] == large_cached["progress"] == 5
    # One queued rendering per four reports besides the first: 1 for 1, 3 for 11.
    assert (small_cached["queued"], large_cached["queued"]) == (1, 3)
    assert set(small_cached) | set(large_cached) == {"read", "progress", "queued"}
    # Rendering reads nothing more here (the stand-in reads no respondents), so a cold export
    # reads as often as a warm one: the cache key costs no query of its own.
    assert (small_first, large_first) == (small_cached, large_cached)


@pytest.mark.django_db(transaction=True)
def test_the_reports_in_an_export_are_those_each_report_page_would_cache(
    mlops_bank, media, stand_in_renderer
):
    """The batched reads give each report the sources it has on its own: after an export, the
    report of every assessment is served from the cache, not rendered again."""
    from assessment.models import Assessment
    from assessment.services.reports import report_pdf_bytes

    organization, lead = client_organization("keys", mlops_bank, teams=2, quarters=3)
    _, job = export_queries(organization, lead)
    assert job.status == "done"
    rendered = len(stand_in_renderer)
    reported = Assessment.objects.filter(team__organization=organization, result__isnull=False)
    for assessment in reported.select_related("team__organization", "bank"):
        assert report_pdf_bytes(assessment) == b"%%PDF %d" % assessment.pk
    assert len(stand_in_renderer) == rendered == 6


@pytest.mark.django_db(transaction=True)
def test_a_long_export_saves_its_progress_as_it_goes(
    mlops_bank, media, stand_in_renderer, monkeypatch
):
    """With a beat due at every file (as when each report takes a second to render), the page
    sees the count grow assessment by assessment, and the heartbeat with it."""
    from assessment.services import exports

    monkeypatch.setattr(exports, "EXPORT_BEAT_SECONDS", 0.0)
    organization, lead = client_organization("slow", mlops_bank, teams=1, quarters=2)
    seen: list[int] = []
    advance = exports._advance

    def watched(job, steps, **fields):
        advance(job, steps, **fields)
        seen.append(ExportJob.objects.get(pk=job.pk).done_steps)

    monkeypatch.setattr(exports, "_advance", watched)
    started = timezone.now() - timedelta(seconds=1)
    _, job = export_queries(organization, lead)
    assert job.status == "done"
    # Named (0), then after each of the two reported quarters (3 files each) and the draft (2).
    assert seen[:4] == [0, 3, 6, 8]
    assert job.heartbeat_at > started
