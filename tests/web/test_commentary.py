"""The consultant's part of a report: the organisation's branding (who signs, the marking, a
checked logo) and the commentary (an executive paragraph and a note per section), a draft until
published, frozen when published, a draft again after a new submission."""

from __future__ import annotations

import io
import re
import struct
import zlib

import docx
import pdfplumber
import pytest
from PIL import Image

from assessment.models import AssessmentEvent, ReportCommentary
from assessment.services.assessments import assessment_reopen, assessment_submit
from core.models import OrganizationEvent, ReportBranding, Role
from tests.factories import MembershipFactory, UserFactory
from tests.web.helpers import answer_everything_via_services

pytestmark = pytest.mark.django_db

EXECUTIVE = "The platform team carries the fraud models; automate the pipeline first."


@pytest.fixture
def submitted(alice, draft):
    answer_everything_via_services(alice, draft, "1")
    assessment_submit(assessment=draft, by=alice)
    draft.refresh_from_db()
    return draft


def png(width: int = 120, height: int = 40, fmt: str = "PNG") -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (31, 78, 121)).save(out, format=fmt)
    return out.getvalue()


def png_header(width: int, height: int) -> bytes:
    """A PNG of a few bytes that declares huge dimensions: a decompression bomb's header."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


def upload(data: bytes, name: str = "logo.png") -> io.BytesIO:
    file = io.BytesIO(data)
    file.name = name
    return file


def pdf_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    with pdfplumber.open(io.BytesIO(content)) as document:
        return "\n".join(page.extract_text() or "" for page in document.pages)


def save_commentary(client, assessment, action="save", **notes):
    assessment.refresh_from_db()
    data = {"executive": EXECUTIVE, "action": action, "result_version": assessment.result_version}
    data |= {f"note_{anchor}": text for anchor, text in notes.items()}
    return client.post(f"/assessments/{assessment.pk}/commentary/", data)


def test_a_draft_shows_on_the_page_and_in_the_pdf_marked_draft(alice_client, submitted):
    response = save_commentary(alice_client, submitted, roadmap="Start with the registry.")
    assert response.status_code == 302

    page = alice_client.get(f"/assessments/{submitted.pk}/report/").content.decode()
    assert EXECUTIVE in page
    assert "Start with the registry." in page
    assert "The commentary is a draft" in page
    text = pdf_text(alice_client.get(f"/assessments/{submitted.pk}/report.pdf"))
    first_page = text.split("Page 1 of")[0]
    assert EXECUTIVE.split(";")[0] in first_page.replace("\n", " ")
    assert "Draft" in text
    assert "Start with the registry." in text
    kinds = list(submitted.events.values_list("kind", flat=True))
    assert kinds[-1] == AssessmentEvent.Kind.COMMENTARY_SAVED


def test_publishing_freezes_the_words_and_the_branding(alice, alice_client, submitted):
    alice_client.post(
        "/orgs/acme/branding/",
        {"prepared_by": "Jane Doe", "firm": "Northwind", "confidentiality": "Confidential"},
    )
    save_commentary(alice_client, submitted, action="publish")
    record = ReportCommentary.objects.get(assessment=submitted)
    assert record.is_published
    assert record.published_by == alice

    # Later changes to the branding do not reach the published report...
    alice_client.post("/orgs/acme/branding/", {"prepared_by": "Someone Else", "firm": ""})
    page = alice_client.get(f"/assessments/{submitted.pk}/report/").content.decode()
    assert "In the words of Jane Doe" in page
    assert "Someone Else" not in page
    assert "The commentary is a draft" not in page
    text = pdf_text(alice_client.get(f"/assessments/{submitted.pk}/report.pdf"))
    assert "Prepared by Jane Doe, Northwind" in text
    assert "Confidential" in text
    assert "Draft" not in text
    # ...and the words cannot be changed until the publication is withdrawn.
    alice_client.post(
        f"/assessments/{submitted.pk}/commentary/",
        {"executive": "Changed", "action": "save", "result_version": submitted.result_version},
    )
    assert ReportCommentary.objects.get(assessment=submitted).executive == EXECUTIVE

    alice_client.post(f"/assessments/{submitted.pk}/commentary/withdraw/")
    record.refresh_from_db()
    assert not record.is_published
    assert record.frozen is None
    page = alice_client.get(f"/assessments/{submitted.pk}/report/").content.decode()
    assert "In the words of Someone Else" in page  # a draft follows the live branding


def test_a_new_submission_makes_a_published_commentary_a_draft_again(
    alice, alice_client, submitted
):
    save_commentary(alice_client, submitted, action="publish")
    assessment_reopen(assessment=submitted, by=alice, reason="one answer was wrong")
    assert ReportCommentary.objects.get(assessment=submitted).is_published  # still, while open
    assessment_submit(assessment=submitted, by=alice)

    record = ReportCommentary.objects.get(assessment=submitted)
    assert not record.is_published
    assert record.executive == EXECUTIVE  # the words are kept, to be re-read
    withdrawn = submitted.events.get(kind=AssessmentEvent.Kind.COMMENTARY_WITHDRAWN)
    assert withdrawn.detail == "the assessment was submitted again"


def test_the_pdf_is_rendered_again_when_the_commentary_changes(alice_client, submitted):
    first = pdf_text(alice_client.get(f"/assessments/{submitted.pk}/report.pdf"))
    save_commentary(alice_client, submitted)
    second = pdf_text(alice_client.get(f"/assessments/{submitted.pk}/report.pdf"))
    assert EXECUTIVE.split(";")[0] not in first.replace("\n", " ")
    assert EXECUTIVE.split(";")[0] in second.replace("\n", " ")


def test_an_executive_paragraph_too_long_for_the_first_page_is_refused(alice_client, submitted):
    response = alice_client.post(
        f"/assessments/{submitted.pk}/commentary/",
        {"executive": "x" * 701, "action": "save", "result_version": submitted.result_version},
    )
    assert response.status_code == 200
    assert (
        "Executive paragraph: 701 characters; at most 700. Shorten it: nothing was saved."
        in response.content.decode()
    )
    assert not ReportCommentary.objects.exists()


def test_only_owners_and_consultants_sign_reports(client, submitted):
    member = UserFactory.create(username="mo")
    MembershipFactory.create(
        user=member, organization=submitted.team.organization, role=Role.MEMBER
    )
    client.force_login(member)
    assert client.get(f"/assessments/{submitted.pk}/commentary/").status_code == 403
    assert save_commentary(client, submitted).status_code == 403
    assert client.post("/orgs/acme/branding/", {"prepared_by": "Mo"}).status_code == 403
    assert not ReportCommentary.objects.exists()
    assert not ReportBranding.objects.exists()
    # The report page offers them no commentary link.
    page = client.get(f"/assessments/{submitted.pk}/report/").content.decode()
    assert "/commentary/" not in page


def test_a_logo_is_re_encoded_and_printed(alice_client, submitted):
    jpeg = png(300, 100, fmt="JPEG")
    response = alice_client.post(
        "/orgs/acme/branding/",
        {"prepared_by": "Jane Doe", "logo": upload(jpeg, "logo.jpg")},
    )
    assert response.status_code == 302
    stored = bytes(ReportBranding.objects.get().logo)
    assert stored.startswith(b"\x89PNG\r\n\x1a\n")
    assert stored != jpeg
    assert Image.open(io.BytesIO(stored)).size == (300, 100)
    event = OrganizationEvent.objects.get(kind=OrganizationEvent.Kind.BRANDING_CHANGED)
    assert event.detail == "prepared by Jane Doe, firm none, marking none, new logo"

    pdf = alice_client.get(f"/assessments/{submitted.pk}/report.pdf")
    content = b"".join(pdf.streaming_content) if pdf.streaming else pdf.content
    with pdfplumber.open(io.BytesIO(content)) as document:
        images = document.pages[0].images
    assert len(images) == 1
    assert images[0]["srcsize"] == (300, 100)

    alice_client.post("/orgs/acme/branding/", {"prepared_by": "Jane Doe", "remove_logo": "on"})
    assert bytes(ReportBranding.objects.get().logo) == b""


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.svg", "not a PNG or JPEG image"),
        (b"GIF89a" + bytes(40), "logo.gif", "not a PNG or JPEG image"),
        (png()[:60], "cut.png", "not a PNG or JPEG image"),
        (png(5000, 20), "wide.png", "5000 \u00d7 20 pixels; at most 4000 \u00d7 4000"),
        (png(8, 8), "tiny.png", "8 \u00d7 8 pixels; at least 16 on each side"),
        (bytes(1024 * 1024 + 1), "big.png", "1024 KB; at most 1024 KB"),
        (png_header(20000, 20000), "bomb.png", "far too many pixels"),
    ],
)
def test_a_file_that_is_not_a_usable_logo_is_refused_in_words(
    alice_client, submitted, data, name, message
):
    response = alice_client.post(
        "/orgs/acme/branding/", {"prepared_by": "Jane", "logo": upload(data, name)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ReportBranding.objects.exists()  # nothing saved, not even the name


def test_the_word_copy_downloads_with_the_commentary(alice_client, submitted):
    save_commentary(alice_client, submitted)
    response = alice_client.get(f"/assessments/{submitted.pk}/report.docx")

    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert response["Content-Disposition"] == (
        'attachment; filename="mlops-maturity-fraud-detection-2026-q4.docx"'
    )
    document = docx.Document(io.BytesIO(response.content))
    texts = [paragraph.text for paragraph in document.paragraphs]
    assert EXECUTIVE in texts
    assert "Executive summary" in texts
    assert "Appendix: every question and answer" in texts


def test_words_written_about_figures_since_replaced_are_kept_but_not_saved(
    alice, alice_client, submitted
):
    seen = submitted.result_version
    assessment_reopen(assessment=submitted, by=alice, reason="one answer was wrong")
    assessment_submit(assessment=submitted, by=alice)  # while the consultant was writing

    response = alice_client.post(
        f"/assessments/{submitted.pk}/commentary/",
        {"executive": EXECUTIVE, "action": "publish", "result_version": seen},
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "submitted again while you were writing" in body
    assert EXECUTIVE in body  # nothing lost: the words are on the page to save again
    assert f'name="result_version" value="{seen + 1}"' in body
    assert not ReportCommentary.objects.exists()


def test_a_post_without_the_figures_it_was_written_for_is_refused(alice_client, submitted):
    response = alice_client.post(f"/assessments/{submitted.pk}/commentary/", {"action": "publish"})
    assert response.status_code == 200
    assert not ReportCommentary.objects.exists()


def test_a_share_link_never_shows_a_draft(alice_client, submitted):
    from django.test import Client

    save_commentary(alice_client, submitted, roadmap="Unreviewed words.")
    response = alice_client.post(f"/assessments/{submitted.pk}/shares/", {"days": 7, "note": "CTO"})
    link = re.search(r'value="http://testserver(/share/[^"]+)"', response.content.decode())
    assert link is not None
    stranger = Client()
    page = stranger.get(link.group(1)).content.decode()
    text = pdf_text(stranger.get(link.group(1) + "report.pdf"))
    for shown in (page, text):
        assert EXECUTIVE.split(";")[0] not in shown.replace("\n", " ")
        assert "Unreviewed words." not in shown
        assert "Draft" not in shown
    # Once published, the link shows the words.
    save_commentary(alice_client, submitted, action="publish", roadmap="Reviewed words.")
    assert "Reviewed words." in stranger.get(link.group(1)).content.decode()
    assert "Reviewed words." in pdf_text(stranger.get(link.group(1) + "report.pdf"))
