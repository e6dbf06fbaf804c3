"""The report as a Word document: read back with python-docx, value by value."""

from __future__ import annotations

import base64
import io
import re
from dataclasses import replace
from datetime import date

import docx
import pytest
from django.template.defaultfilters import floatformat
from docx.document import Document
from docx.shared import Cm, Emu
from docx.table import Table
from docx.text.paragraph import Paragraph
from PIL import Image

from assessment.reports.docx import DOCX_CONTENT_TYPE, report_docx
from assessment.reports.report import ReportContext, build_report
from assessment.reports.sections.commentary import Branding, Commentary
from assessment.reports.sections.cover import Cover
from assessment.reports.sections.disagreements import Disagreement, TeamAnswer
from assessment.reports.sections.progress import Previous
from assessment.scoring.engine import score
from assessment.scoring.types import Answer, AnswerValue, AssessmentInput, Bank
from tests.reports.helpers import ACME_COVER, bundled_bank, realistic_input
from tests.scoring.tiny_bank import TINY_BANK

# The bank's question codes (assessment/banks/parse.py: "DEV-1-03"), anywhere in a text.
CODE = re.compile(r"\b[A-Z]{2,5}-\d-\d{2}\b")
STYLES = {"Title", "Heading 1", "Heading 2", "Heading 3", "List Bullet", "List Number", "Normal"}
EVIDENCE = "https://wiki.example/proof"
CONFIDENTIAL = "Confidential: prepared for Acme Analytics"
EXECUTIVE = "The team is close to level 1.\n\nMonitoring is where to start."
ROADMAP_NOTE = "Start with the monitoring plan: the rest builds on it."
DISAGREEMENT = Disagreement(
    code="DES-0-02",
    statement="A non-ML baseline is scored before the model is built.",
    answers=(
        TeamAnswer("Respondent 1 (Data scientist)", "Done manually", "we did it once"),
        TeamAnswer("Respondent 2 (ML engineer)", "Not in place", ""),
    ),
    final="Done manually",
    why="one baseline exists, for the main model",
)


def image_uri(width: int, height: int, image_format: str = "PNG") -> str:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (31, 78, 121)).save(out, format=image_format)
    kind = "png" if image_format == "PNG" else "jpeg"
    return f"data:image/{kind};base64,{base64.b64encode(out.getvalue()).decode()}"


def acme_report(
    branding: Branding | None = None,
    commentary: Commentary | None = None,
    cover: Cover = ACME_COVER,
) -> ReportContext:
    """The bundled bank answered by a realistic team, a quarter after its previous assessment,
    answered by two people who disagreed once."""
    bank = bundled_bank()
    previous = Previous("2026 Q3", date(2026, 8, 14), score(bank, realistic_input(bank, seed=3)))
    return build_report(
        bank,
        score(bank, realistic_input(bank, seed=3, lift=0.3)),
        cover,
        previous,
        disagreements=(DISAGREEMENT,),
        branding=branding or Branding(),
        commentary=commentary or Commentary(),
    )


def read(report: ReportContext) -> Document:
    return docx.Document(io.BytesIO(report_docx(report)))


def by_section(document: Document) -> dict[str, list[Paragraph | Table]]:
    """The blocks under each "Heading 1", by its text."""
    sections: dict[str, list[Paragraph | Table]] = {}
    current: list[Paragraph | Table] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph) and block.style and block.style.name == "Heading 1":
            current = sections.setdefault(block.text, [])
        else:
            current.append(block)
    return sections


def paragraphs(blocks: list[Paragraph | Table]) -> list[Paragraph]:
    return [block for block in blocks if isinstance(block, Paragraph)]


def cell_texts(table: Table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


@pytest.fixture(scope="module")
def branded() -> tuple[ReportContext, Document]:
    report = acme_report(
        Branding(
            prepared_by="Jane Doe",
            firm="Northwind Consulting",
            confidentiality=CONFIDENTIAL,
            logo_data_uri=image_uri(12, 8),
        ),
        Commentary(executive=EXECUTIVE, notes=(("roadmap", ROADMAP_NOTE),), draft=True),
    )
    return report, read(report)


def test_the_sections_come_in_the_pdfs_order_after_the_title(
    branded: tuple[ReportContext, Document],
) -> None:
    report, document = branded
    headings = [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 1"]

    assert headings == [section.title for section in report.sections]
    assert "Progress since 2026 Q3" in headings
    assert "Where the team disagreed" in headings
    assert headings[0] == "Executive summary"
    assert headings[-1] == "Appendix: every question and answer"
    styles = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]
    assert [text for style, text in styles if style == "Title"] == ["Fraud detection"]
    assert styles.index(("Title", "Fraud detection")) < styles.index(("Heading 1", headings[0]))


def test_the_title_block_names_the_team_the_consultant_and_the_facts(
    branded: tuple[ReportContext, Document],
) -> None:
    _, document = branded
    texts = [p.text for p in document.paragraphs[:8]]

    assert texts[1] == "MLOps maturity report · draft"
    assert "2026 Q4 · Acme Analytics · 20 November 2026" in texts
    facts = next(t for t in texts if t.startswith("Prepared by"))
    assert facts == (
        "Prepared by Jane Doe, Northwind Consulting · Respondents: Dana Okafor (lead), Sam Lee · "
        "MLOps maturity assessment, version 2.0 · scoring engine 2.0.0"
    )


def test_only_built_in_styles_are_used(branded: tuple[ReportContext, Document]) -> None:
    _, document = branded
    used = {p.style.name for p in document.paragraphs if p.style is not None}

    assert used <= STYLES
    assert {table.style.name for table in document.tables if table.style} == {"Table Grid"}


def test_the_summarys_picture_and_the_grid_are_tables_with_the_pdfs_cell_texts() -> None:
    answers = {
        q.code: Answer(AnswerValue.AUTOMATED, evidence=EVIDENCE) for q in TINY_BANK.questions
    }
    answers["DES-0-01"] = Answer(AnswerValue.NOT_IN_PLACE)
    answers["DEV-1-01"] = Answer(AnswerValue.MANUAL)
    answers["OPS-2-03"] = Answer(AnswerValue.NOT_APPLICABLE, reason="one source only")
    cover = Cover(organisation="Acme", team="Fraud", label="2026 Q4", date=date(2026, 3, 7))
    report = build_report(TINY_BANK, score(TINY_BANK, AssessmentInput(answers=answers)), cover)

    sections = by_section(read(report))
    (glance,) = [block for block in sections["Executive summary"] if isinstance(block, Table)]
    (grid,) = [block for block in sections["Phase and level grid"] if isinstance(block, Table)]

    met, not_met, pct = "Met", "Not met", "\u00a0%"
    assert cell_texts(glance) == [
        ["Phase", "Level 0", "Level 1", "Level 2"],
        ["Design", "2/3 open", f"100{pct} met", f"100{pct} met"],
        ["Development", "2/2 met", f"83{pct} open", f"100{pct} met"],
        ["Operations", "3/3 met", f"100{pct} met", f"100{pct} met"],
    ]
    assert cell_texts(grid) == [
        [
            "Phase",
            "Level reached",
            "Level 0\nManual process",
            "Level 1\nML pipeline automation",
            "Level 2\nCI/CD pipeline automation",
        ],
        [
            "Design",
            "Not yet level 0",
            "2 of 3\nin place · Not met\nCritical open: DES-0-01",
            f"100{pct}\n{met}",
            f"100{pct}\n{met}",
        ],
        [
            "Development",
            "Level 0 – Manual process",
            "2 of 2\nin place · Met",
            f"83{pct}\n{not_met}\nCritical open: DEV-1-01",
            f"100{pct}\n{met}",
        ],
        [
            "Operations",
            "Level 2 – CI/CD pipeline automation",
            "3 of 3\nin place · Met",
            f"100{pct}\n{met}",
            f"100{pct}\n{met}\nMet only through 1 N/A",
        ],
    ]


@pytest.mark.parametrize("percent", [62.5, 0.5, 99.5, 33.333, 83.49])
def test_grid_percentages_round_as_the_pdfs_template_does(percent: float) -> None:
    report = build_report(TINY_BANK, score(TINY_BANK, AssessmentInput(answers={})), ACME_COVER)
    phase = report.view.phases[0]
    cells = (replace(phase.cells[0], percent=percent, all_in_place=False), *phase.cells[1:])
    view = replace(report.view, phases=(replace(phase, cells=cells), *report.view.phases[1:]))

    grid = next(
        b
        for b in by_section(read(replace(report, view=view)))["Phase and level grid"]
        if isinstance(b, Table)
    )

    # The PDF writes {{ cell.percent|floatformat:"0" }}: half up, where f"{x:.0f}" is half even.
    assert grid.rows[1].cells[2].paragraphs[0].text == f"{floatformat(percent, 0)}\u00a0%"


def test_the_appendix_has_one_entry_per_question_in_the_banks_order(
    branded: tuple[ReportContext, Document],
) -> None:
    report, document = branded
    blocks = by_section(document)["Appendix: every question and answer"]

    heads = [p.text for p in paragraphs(blocks) if CODE.match(p.text) and p.runs[0].bold]
    assert [head.split(" · ")[0] for head in heads] == [q.code for q in bundled_bank().questions]
    levels = [p.text for p in paragraphs(blocks) if p.style and p.style.name == "Heading 3"]
    assert len(levels) == len(bundled_bank().phases) * len(bundled_bank().levels)
    assert levels[0] == "Level 0: Manual process"
    row = report.appendix[0].levels[0].rows[0]
    assert heads[0] == f"{row.code}{' · critical' if row.critical else ''} · {row.answer}"


def test_disagreements_show_each_answer_and_the_settlement(
    branded: tuple[ReportContext, Document],
) -> None:
    _, document = branded
    texts = [p.text for p in paragraphs(by_section(document)["Where the team disagreed"])]

    assert "DES-0-02 A non-ML baseline is scored before the model is built." in texts
    assert "Respondent 1 (Data scientist): Done manually (“we did it once”)" in texts
    assert "Respondent 2 (ML engineer): Not in place" in texts
    assert "Settled as Done manually: one baseline exists, for the main model" in texts


def test_every_table_repeats_its_header_row_and_keeps_rows_whole(
    branded: tuple[ReportContext, Document],
) -> None:
    _, document = branded

    assert len(document.tables) >= 5  # glance, grid, progress (2), roles, evidence
    for table in document.tables:
        rows = [row._tr for row in table.rows]
        assert rows[0].xpath("./w:trPr/w:tblHeader")
        assert not any(row.xpath("./w:trPr/w:tblHeader") for row in rows[1:])
        assert all(row.xpath("./w:trPr/w:cantSplit") for row in rows)


def test_the_page_header_carries_the_marking_on_every_page(
    branded: tuple[ReportContext, Document],
) -> None:
    _, document = branded

    (section,) = document.sections  # one section: the header is on every page
    assert not section.different_first_page_header_footer
    assert section.header.paragraphs[0].text == (
        f"Draft · {CONFIDENTIAL}\nFraud detection · 2026 Q4 · 20 November 2026"
    )


def test_the_document_properties_come_from_the_report(
    branded: tuple[ReportContext, Document],
) -> None:
    report, document = branded
    properties = document.core_properties

    assert properties.title == "MLOps maturity report: Fraud detection, 2026 Q4"
    assert properties.author == "Dana Okafor"
    assert properties.subject == report.description
    assert properties.language == "en"
    assert properties.comments == ""


def test_the_consultants_paragraph_opens_the_summary_and_a_note_opens_its_section(
    branded: tuple[ReportContext, Document],
) -> None:
    _, document = branded
    sections = by_section(document)

    # Under the same labels as the PDF, so the consultant's words never read as the tool's.
    summary = [p.text for p in paragraphs(sections["Executive summary"])]
    assert summary[:3] == [
        "In the words of Jane Doe · draft",
        "The team is close to level 1.",
        "Monitoring is where to start.",
    ]
    assert summary[3].startswith("Overall: ")
    roadmap = paragraphs(sections["Roadmap"])
    label = "Note from Jane Doe · draft"
    assert [p.text for p in roadmap[:2]] == [label, ROADMAP_NOTE]
    assert roadmap[0].runs[0].bold
    noted = [title for title, blocks in sections.items() if label in _texts(blocks)]
    assert noted == ["Roadmap"]


def _texts(blocks: list[Paragraph | Table]) -> list[str]:
    return [p.text for p in paragraphs(blocks)]


def test_the_logo_is_placed_at_the_top(branded: tuple[ReportContext, Document]) -> None:
    _, document = branded

    (logo,) = document.inline_shapes
    assert logo.width == Emu(12 * 914400 // 72)  # its own size: 12 px at 72 dpi
    first = document.paragraphs[0]
    assert first._p.xpath(".//pic:pic")


@pytest.mark.parametrize("image_format", ["PNG", "JPEG"])
def test_a_wide_logo_is_scaled_to_four_centimetres(image_format: str) -> None:
    document = read(acme_report(Branding(logo_data_uri=image_uri(2000, 400, image_format))))

    (logo,) = document.inline_shapes
    assert logo.width == Cm(4)
    assert logo.height == Cm(4) // 5


@pytest.mark.parametrize(
    "uri",
    [
        "",
        "https://example.com/logo.png",
        "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",
        "data:image/png;base64,not base64!",
        "data:image/png;base64," + base64.b64encode(b"not a png").decode(),
    ],
)
def test_anything_but_a_png_or_jpeg_logo_is_left_out(uri: str) -> None:
    document = read(acme_report(Branding(logo_data_uri=uri)))

    assert len(document.inline_shapes) == 0


def test_control_characters_in_user_text_are_stripped() -> None:
    cover = replace(
        ACME_COVER,
        organisation="Acme\x1f Analytics",
        team="Fraud\x00 detection\x0b",
        respondents=("Dana\x08 Okafor",),
    )
    report = acme_report(
        Branding(prepared_by="Jane\x1b Doe", confidentiality="Confidential\x0c"),
        Commentary(executive="Keep\x01 going.", notes=(("grid", "Mind\x02 the gap\ud800."),)),
        cover,
    )
    disagreement = replace(DISAGREEMENT, why="settled\x0e in the review")

    document = read(replace(report, disagreements=(disagreement,)))

    texts = [p.text for p in document.paragraphs]
    assert "Fraud detection" in texts
    assert "Keep going." in texts
    assert "Mind the gap." in texts
    assert "Settled as Done manually: settled in the review" in texts
    assert document.sections[0].header.paragraphs[0].text.startswith("Confidential\n")
    assert document.core_properties.title == "MLOps maturity report: Fraud detection, 2026 Q4"
    assert not any(re.search("[\x00-\x08\x0b\x0c\x0e-\x1f]", text) for text in texts)


def test_long_names_fit_the_document_properties() -> None:
    cover = replace(ACME_COVER, team="Fraud detection " * 12, organisation="Acme " * 40)

    properties = read(acme_report(cover=cover)).core_properties

    # Cut at a word, within python-docx's limit of 255 characters.
    assert 240 <= len(properties.subject) <= 255
    assert properties.subject.endswith("Acme…")


def untitled(bank: Bank) -> Bank:
    """The bank without practice titles: prose must then fall back on words, not codes."""
    return replace(bank, questions=tuple(replace(q, title="") for q in bank.questions))


@pytest.mark.parametrize(
    "bank", [bundled_bank(), untitled(bundled_bank())], ids=["titled", "untitled"]
)
def test_the_summary_names_no_question_code(bank: Bank) -> None:
    given = realistic_input(bank, seed=5)
    report = build_report(bank, score(bank, given), ACME_COVER)

    summary = by_section(read(report))["Executive summary"]

    texts = [p.text for p in paragraphs(summary)]
    assert any(p.style and p.style.name == "List Number" for p in paragraphs(summary))
    assert [text for text in texts if CODE.search(text)] == []


def test_the_content_type_is_a_word_document() -> None:
    assert DOCX_CONTENT_TYPE == (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
