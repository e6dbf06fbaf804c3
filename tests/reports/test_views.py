"""The report page and the PDF download: access, content, caching, progress between quarters."""

from __future__ import annotations

import io
import re

import pypdf
import pytest
from django.core.files.storage import default_storage

from assessment.models import Assessment
from assessment.pdf import render as pdf
from assessment.pdf.cache import report_pdf_cache
from assessment.selectors.report import report_sources
from assessment.services.assessments import assessment_reopen, assessment_start, assessment_submit
from core.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.reports.helpers import realistic_input, submitted_assessment
from tests.web.helpers import answer_everything_via_services

pytestmark = pytest.mark.django_db

SECTION_HEADINGS = (
    "Executive summary",
    "Phase and level grid",
    "Levels and scores at a glance",
    "Role gaps",
    "Roadmap",
    "How this was scored",
    "Appendix: every question and answer",
)


@pytest.fixture
def q4(acme_team, alice, mlops_bank):
    """Alice's team, submitted for 2026 Q4 (its first assessment)."""
    return submitted_assessment(
        team=acme_team,
        bank=mlops_bank,
        by=alice,
        label="2026 Q4",
        given=realistic_input(mlops_bank.bank(), seed=11),
    )


def report_url(assessment: Assessment) -> str:
    return f"/assessments/{assessment.pk}/report/"


def pdf_url(assessment: Assessment) -> str:
    return f"/assessments/{assessment.pk}/report.pdf"


# --- access ------------------------------------------------------------------------------------


def test_another_organisations_user_gets_404_on_both_urls(client, q4, bob, globex_team):
    client.force_login(bob)

    assert client.get(report_url(q4)).status_code == 404
    assert client.get(pdf_url(q4)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, q4):
    for url in (report_url(q4), pdf_url(q4)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_a_viewer_of_the_organisation_can_read_both(client, q4, acme_team):
    """Vic only views Acme's assessments: reading the report is what viewers are for."""
    vic = UserFactory.create(username="vic")
    MembershipFactory.create(user=vic, organization=acme_team.organization, role=Role.VIEWER)
    client.force_login(vic)

    assert client.get(report_url(q4)).status_code == 200
    response = client.get(pdf_url(q4))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_a_draft_has_no_report_yet(alice_client, draft):
    for url in (report_url(draft), pdf_url(draft)):
        response = alice_client.get(url)
        assert response.status_code == 302
        assert response["Location"] == f"/assessments/{draft.pk}/review/"


def test_the_report_only_answers_get(alice_client, q4):
    assert alice_client.post(report_url(q4)).status_code == 405
    assert alice_client.post(pdf_url(q4)).status_code == 405


# --- the page ----------------------------------------------------------------------------------


def test_the_page_shows_every_section_with_inline_charts(alice_client, q4):
    response = alice_client.get(report_url(q4))
    body = response.content.decode()

    for heading in SECTION_HEADINGS:
        assert f">{heading}</h2>" in body, heading
    assert "Progress since" not in body  # the team's first assessment
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 2
    report = response.context["report"]
    for phase in report.view.phases:
        assert f"{phase.name}: {phase.label}" in body
    assert f'href="/assessments/{q4.pk}/report.pdf"' in body
    codes = re.findall(r'<p class="answer-head">([A-Z]{3}-\d-\d\d)', body)
    assert len(codes) == len(q4.bank.bank().questions) == 74


def test_the_page_works_under_the_content_security_policy(alice_client, q4):
    response = alice_client.get(report_url(q4))
    body = response.content.decode()

    policy = response["Content-Security-Policy"]
    assert "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert not re.search(r"<style[\s>]", body)
    assert not re.search(r"\sstyle=", body)
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)  # only scripts from files
    assert '<link rel="stylesheet" href="/static/css/report.css">' in body


def test_user_text_is_escaped_on_the_page(alice_client, acme_team, alice, mlops_bank):
    given = realistic_input(mlops_bank.bank(), seed=11)
    code = mlops_bank.bank().questions[0].code
    given.answers[code] = type(given.answers[code])(
        given.answers[code].value, note='<img src=x onerror="alert(1)">'
    )
    assessment = submitted_assessment(
        team=acme_team, bank=mlops_bank, by=alice, label="Q<b>1</b>", given=given
    )

    body = alice_client.get(report_url(assessment)).content.decode()

    assert "<img src=x" not in body
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in body
    assert "Q<b>1</b>" not in body


def test_a_team_with_nothing_left_to_do_gets_a_report_that_says_so(alice_client, draft, alice):
    answer_everything_via_services(alice, draft, "1")
    assessment_submit(assessment=draft, by=alice)

    body = alice_client.get(report_url(draft)).content.decode()

    assert "Overall: Level 2 \u2013 CI/CD pipeline automation" in body
    assert "No practice is open up to the target levels" in body
    assert "nothing to schedule" in body
    assert (
        "Every role&#x27;s practices in reach are largely in place, and none owns an action of "
        "the first 30 days." in body
    )
    # Nobody attached evidence, so every "automated" counts as done by hand in the evidenced view:
    # level 0 holds (by hand is enough there), level 1 does not.
    assert "the overall level would be Level 0 \u2013 Manual process" in body


# --- the PDF -----------------------------------------------------------------------------------


def test_the_pdf_is_a_named_attachment_with_the_reports_title(alice_client, q4):
    response = alice_client.get(pdf_url(q4))

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="mlops-maturity-fraud-detection-2026-q4.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    reader = pypdf.PdfReader(io.BytesIO(response.content))
    assert reader.metadata is not None
    assert reader.metadata.title == "MLOps maturity report: Fraud detection, 2026 Q4"
    assert reader.metadata.author == "alice"


def test_the_pdf_is_served_when_its_cache_folder_cannot_be_made(
    alice_client, q4, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "reports").write_bytes(b"a file where the cache folder should be")

    response = alice_client.get(pdf_url(q4))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_a_second_download_serves_the_cached_pdf_without_rendering(alice_client, q4):
    before = pdf.render_count()

    first = alice_client.get(pdf_url(q4)).content
    second = alice_client.get(pdf_url(q4)).content

    assert pdf.render_count() == before + 1
    assert first == second
    assert report_pdf_cache().get(report_sources(q4).pdf_key) == first


def test_a_resubmission_renders_a_new_pdf(alice_client, q4, alice):
    alice_client.get(pdf_url(q4))
    assessment_reopen(assessment=q4, by=alice)
    assessment_submit(assessment=q4, by=alice)
    before = pdf.render_count()

    alice_client.get(pdf_url(q4))

    assert pdf.render_count() == before + 1
    assert q4.result_version == 2
    _, cached = default_storage.listdir(f"reports/{q4.pk}")
    assert [name.split("-")[0] for name in cached] == ["2"]


# --- progress since the previous assessment -----------------------------------------------------


def test_progress_appears_with_an_earlier_submitted_assessment(alice_client, q4, acme_team, alice):
    bank = q4.bank.bank()
    later = submitted_assessment(
        team=acme_team,
        bank=q4.bank,
        by=alice,
        label="2027 Q1",
        given=realistic_input(bank, seed=11, lift=0.6),
    )

    response = alice_client.get(report_url(later))
    body = response.content.decode()
    progress = response.context["report"].progress
    assert q4.result is not None
    assert later.result is not None

    assert ">Progress since 2026 Q4</h2>" in body
    # Each phase's row starts from the previous result's level and ends at this one's.
    assert [(m.before, m.after) for m in progress.phases] == [
        (q4.result["phases"][code]["label"], later.result["phases"][code]["label"])
        for code in later.result["phases"]
    ]
    assert progress.overall.before == q4.result["overall"]["label"]
    assert progress.overall.after == later.result["overall"]["label"]
    assert progress.improved
    assert not progress.regressed
    # The earlier assessment's own report has no progress section: nothing came before it.
    assert "Progress since" not in alice_client.get(report_url(q4)).content.decode()


def test_a_draft_or_another_teams_assessment_is_not_a_previous_one(
    alice_client, q4, acme_team, alice, mlops_bank
):
    other_team = type(acme_team).objects.create(
        organization=acme_team.organization, name="Search ranking"
    )
    submitted_assessment(
        team=other_team,
        bank=mlops_bank,
        by=alice,
        label="Other team",
        given=realistic_input(mlops_bank.bank(), seed=2),
    )
    assessment_start(team=acme_team, bank=mlops_bank, label="Draft", targets={}, by=alice)
    later = submitted_assessment(
        team=acme_team,
        bank=mlops_bank,
        by=alice,
        label="2027 Q1",
        given=realistic_input(mlops_bank.bank(), seed=3),
    )

    progress = alice_client.get(report_url(later)).context["report"].progress

    assert progress.previous_label == "2026 Q4"


def test_the_pdf_includes_progress_and_changes_when_the_previous_one_is_resubmitted(
    alice_client, q4, acme_team, alice
):
    later = submitted_assessment(
        team=acme_team,
        bank=q4.bank,
        by=alice,
        label="2027 Q1",
        given=realistic_input(q4.bank.bank(), seed=11, lift=0.6),
    )
    text = " ".join(
        page.extract_text()
        for page in pypdf.PdfReader(io.BytesIO(alice_client.get(pdf_url(later)).content)).pages
    )
    assert "Progress since 2026 Q4" in text
    key = report_sources(later).pdf_key

    assessment_reopen(assessment=q4, by=alice)
    assessment_submit(assessment=q4, by=alice)

    assert report_sources(later).pdf_key != key  # the comparison changed, so the PDF must too
