"""The report as an editable Word document, for consultants who finish it in their own template.

Pure Python (python-docx, no Django). It reads the same `ReportContext` as the page and the PDF and
writes the same words in the same order (templates/reports/print.html and `_<section>.html`).
Only Word's built-in styles are used, so the text keeps its structure when it is pasted into
another template and restyled there. The charts are SVG: they stay in the PDF.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Protocol

import docx
from docx.document import Document
from docx.image import exceptions as image_errors
from docx.image.image import Image
from docx.oxml import OxmlElement
from docx.shared import Cm
from docx.styles.style import ParagraphStyle
from docx.table import _Row
from docx.text.paragraph import Paragraph

from assessment.reports.prose import NBSP, clipped, rounded
from assessment.reports.report import (
    APPENDIX,
    CHARTS,
    DISAGREEMENTS,
    FINDINGS,
    GRID,
    METHOD,
    PLAN,
    PROGRESS,
    ROADMAP,
    ROLES,
    SUMMARY,
    ReportContext,
)
from assessment.reports.result_view import CellView, PhaseView, RecommendationView
from assessment.reports.sections.roadmap import RoadmapItem

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LOGO_MAX_WIDTH = Cm(4)
CORE_PROPERTY_LIMIT = 255  # python-docx refuses a longer title, subject or keyword list
NOTHING_OPEN = "No practice is open up to the target levels"
RAISE_TARGET = "Raise a phase's target to see what comes next."
CHARTS_SENTENCE = (
    "The charts of the levels and scores are drawn in the PDF version of this report; the grid "
    "above gives the same figures."
)

# What XML 1.0 forbids: C0 controls other than tab, newline and carriage return, lone surrogates
# and U+FFFE/U+FFFF. User text may hold any of them, and lxml would refuse the whole document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LOGO_URI = re.compile(r"data:image/(?:png|jpeg);base64,([A-Za-z0-9+/=\s]+)", re.IGNORECASE)
_BAD_IMAGE = (
    image_errors.UnrecognizedImageError,
    image_errors.UnexpectedEndOfFileError,
    image_errors.InvalidImageStreamError,
)
_SAME_PAGE = (SUMMARY[0], CHARTS[0])
_BLANK_LINE = re.compile(r"\n\s*\n")

Cell = str | Sequence[str]  # a table cell: one line, or lines that each get a paragraph


class _Container(Protocol):
    """The document body, a table cell or a page header: whatever takes paragraphs."""

    def add_paragraph(
        self, text: str = "", style: str | ParagraphStyle | None = None
    ) -> Paragraph: ...


def _xml_safe(text: str) -> str:
    """`text` without the characters XML 1.0 forbids."""
    return _NOT_XML.sub("", text)


def report_docx(report: ReportContext) -> bytes:
    """The whole report as .docx bytes, in the PDF's order, without its contents and charts."""
    document = docx.Document()
    _set_properties(document, report)
    _page_header(document, report)
    _title_block(document, report)
    for section in report.sections:
        heading = _heading(document, section.title, 1)
        # As in the PDF: the summary shares the first page, the charts follow the grid.
        heading.paragraph_format.page_break_before = section.anchor not in _SAME_PAGE
        if section.anchor == SUMMARY[0]:
            _section_note(document, report.executive_label, report.commentary.executive)
        note = report.commentary.by_section.get(section.anchor, "")
        _section_note(document, report.note_label, note)
        # A lookup that fails loudly: a section the PDF gains must not vanish from Word silently.
        _SECTIONS[section.anchor](document, report)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# --- Building blocks ---------------------------------------------------------------------------


def _run(paragraph: Paragraph, text: str, *, bold: bool = False) -> Paragraph:
    if text:
        paragraph.add_run(_xml_safe(text)).bold = bold or None  # None: as the style says
    return paragraph


def _heading(document: Document, text: str, level: int) -> Paragraph:
    """Word's "Title" (level 0) or "Heading <level>" style."""
    return _para(document, text, f"Heading {level}" if level else "Title")


def _para(
    where: _Container, text: str = "", style: str = "Normal", *, bold: bool = False
) -> Paragraph:
    return _run(where.add_paragraph(style=style), text, bold=bold)


def _head_and_text(
    where: _Container, head: str, text: str, style: str = "Normal", *, own_line: bool = False
) -> Paragraph:
    """A paragraph that starts with a bold head, as the PDF's `line-head`; with `own_line`, the
    text starts on the next line (the PDF's head and text in two <p> of one list item)."""
    paragraph = _para(where, head, style, bold=True)
    if text and own_line:
        paragraph.add_run().add_break()
        return _run(paragraph, text)
    return _run(paragraph, f" {text}" if text else "")


def _bullets(document: Document, lines: Iterable[str], style: str = "List Bullet") -> None:
    for line in lines:
        _para(document, line, style)


def _user_text(document: Document, text: str) -> None:
    """Text a person typed: a blank line starts a new paragraph, as it would in Word."""
    for block in _BLANK_LINE.split(text.strip()):
        if block.strip():
            _para(document, block.strip())


def _section_note(document: Document, label: str, note: str) -> None:
    """The consultant's words under the same label as in the PDF, never as the tool's own."""
    if note.strip():
        _para(document, label, bold=True)
        _user_text(document, note)


def _table(document: Document, header: Sequence[Cell], rows: Iterable[Sequence[Cell]]) -> None:
    """A "Table Grid" table whose header row repeats on every page and whose rows never split."""
    table = document.add_table(rows=0, cols=len(header), style="Table Grid")
    for index, cells in enumerate([header, *rows]):
        row = table.add_row()
        _keep_row_together(row, repeat=index == 0)
        for column, (cell, content) in enumerate(zip(row.cells, cells, strict=True)):
            lines = [content] if isinstance(content, str) else list(content)
            bold = index == 0 or column == 0  # the PDF's <th>: column heads and row heads
            _run(cell.paragraphs[0], lines[0] if lines else "", bold=bold)
            for line in lines[1:]:
                _para(cell, line, bold=bold)


def _keep_row_together(row: _Row, *, repeat: bool) -> None:
    # python-docx has no API for these; the schema wants cantSplit before tblHeader.
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))
    if repeat:
        properties.append(OxmlElement("w:tblHeader"))


def _plural(count: int, forms: str = ",s") -> str:
    """Django's `pluralize`: "" or "s", or the given "one,many" forms."""
    one, many = forms.split(",")
    return one if count == 1 else many


def _limit(text: str) -> str:
    return clipped(_xml_safe(text), CORE_PROPERTY_LIMIT)


# --- Around the sections: metadata, page header, title block -----------------------------------


def _set_properties(document: Document, report: ReportContext) -> None:
    properties = document.core_properties
    properties.title = _limit(report.title)
    properties.author = properties.last_modified_by = _limit(report.author)
    properties.subject = _limit(report.description)  # WeasyPrint writes it as the PDF's subject
    properties.keywords = _limit(f"MLOps, maturity, assessment, {report.cover.team}")
    properties.language = report.language
    properties.comments = ""  # python-docx's template says "generated by python-docx"
    properties.created = properties.modified = datetime.now(UTC)


def _page_header(document: Document, report: ReportContext) -> None:
    """The marking ("Draft", the confidentiality) on every page: the document has one section and
    no distinct first page. The PDF's running header (team, label, date) follows it."""
    paragraph = document.sections[0].header.paragraphs[0]
    _run(paragraph, report.marking, bold=True)
    if report.marking and report.header:
        paragraph.add_run().add_break()
    _run(paragraph, report.header)


def _title_block(document: Document, report: ReportContext) -> None:
    """The PDF's masthead: logo, kicker, team, subtitle, facts and the marking."""
    cover, branding = report.cover, report.branding
    _logo(document, branding.logo_data_uri)
    _para(document, cover.title + (" · draft" if report.commentary.draft else ""), bold=True)
    _heading(document, cover.team or cover.label, 0)
    subtitle = [cover.label] if cover.team else []
    subtitle += [cover.organisation] if cover.organisation else []
    _para(document, " · ".join([*subtitle, cover.date or "not dated"]))
    facts = _para(document, branding.prepared_line, bold=True)
    _run(
        facts,
        (" · " if branding.prepared_line else "")
        + f"{cover.respondents_label}: {cover.respondents_short} · {cover.bank_title}, version "
        + f"{cover.bank_version} · scoring engine {cover.engine_version}",
    )
    if branding.confidentiality:
        _para(document, branding.confidentiality, bold=True)


def _logo(document: Document, uri: str) -> None:
    """The consultant's PNG or JPEG logo, at most 4 cm wide; anything else is left out."""
    match = _LOGO_URI.fullmatch(uri.strip())
    if match is None:
        return
    try:
        blob = base64.b64decode("".join(match.group(1).split()), validate=True)
        natural = Image.from_blob(blob).width
    except (binascii.Error, *_BAD_IMAGE):
        return  # the branding form validates logos: a bad one here is no reason to fail
    document.add_picture(io.BytesIO(blob), width=min(natural, LOGO_MAX_WIDTH))


# --- The sections, as templates/reports/_<anchor>.html ------------------------------------------


def _summary(document: Document, report: ReportContext) -> None:
    """The page a CTO reads alone (the reasoning is in the findings)."""
    summary, view = report.summary, report.view
    if summary.regressed:
        _para(document, summary.change_sentence, bold=True)
    _para(document, f"Overall: {summary.overall_label}", bold=True)
    if view.index is not None:
        _para(document, f"Maturity index {rounded(view.index, 1)} of {view.levels_count}")
    _para(document, summary.overall_meaning)
    _para(document, "Each phase at each level", bold=True)
    header = ["Phase", *(f"Level {number}" for number, _ in view.levels)]
    _table(document, header, ([p.name, *map(_glance_cell, p.cells)] for p in view.phases))
    if view.capped:
        reach = f"the phases reach {view.uncapped_label}."
        _para(document, f"Held down by the security and governance gate: {reach}", bold=True)
        _bullets(
            document,
            (
                g.missing[:1].upper()
                + g.missing[1:]
                + (": not even level 0" if g.caps_at is None else f": at most level {g.caps_at}")
                for g in view.binding_gate
            ),
        )
    elif summary.gate_sentence or view.index is not None:
        gate = summary.gate_sentence or (
            "Every security and governance practice the gate asks for is in place."
        )
        _head_and_text(document, "Gate.", gate)
    if summary.change_sentence and not summary.regressed:
        _head_and_text(document, "Since last time.", summary.change_sentence)
    if summary.risks:
        _heading(document, "The biggest risks", 2)
        for risk in summary.risks:
            _head_and_text(document, f"{risk.title} is missing.", risk.note, "List Bullet")
    if view.plan:
        _first_month(document, report)
    else:
        _top_actions(document, report)


def _glance_cell(cell: CellView) -> str:
    if cell.percent is None:
        return "n/a"
    share = (
        f"{cell.in_place}/{cell.applicable}"
        if cell.all_in_place
        else f"{rounded(cell.percent, 0)}{NBSP}%"
    )
    return f"{share} {'met' if cell.met else 'open'}"


def _first_month(document: Document, report: ReportContext) -> None:
    summary = report.summary
    if not summary.first_month:
        _para(document, f"{NOTHING_OPEN}, so there is nothing to schedule. {RAISE_TARGET}")
        return
    _heading(document, "The first 30 days", 2)
    for rec in summary.glance_actions:
        why = (
            " · security and governance gate"
            if rec.gate
            else " · blocks the next level"
            if rec.blocking
            else " · quick win"
            if rec.effort == "S"
            else ""
        )
        person = f" ({rec.person})" if rec.person else ""
        _action(document, rec, f"· {rec.owner_name}{person}{why}")
    more = f"{summary.glance_more} more in the first 30 days; " if summary.glance_more else ""
    _para(
        document,
        f"{more}{len(report.view.recommendations)} actions in all, each with its first step, in "
        "the roadmap that follows.",
    )


def _top_actions(document: Document, report: ReportContext) -> None:
    """Results scored before the plan existed: the first actions in the engine's order."""
    summary = report.summary
    _heading(document, "Most important actions", 2)
    if not summary.actions:
        _para(document, f"{NOTHING_OPEN}. {RAISE_TARGET}")
        return
    for rec in summary.actions:
        critical = " · critical" if rec.critical else ""
        _action(
            document, rec, f"· {rec.phase_name}, level {rec.level}{critical} · {rec.owner_name}"
        )
    if summary.more_actions:
        _para(document, f"{summary.more_actions} more in the roadmap, in the same order.")


def _action(document: Document, rec: RecommendationView, meta: str) -> None:
    # Words, never a code: a practice without a title is named by its recommendation.
    _head_and_text(document, rec.title or rec.text, meta, "List Number")


def _findings(document: Document, report: ReportContext) -> None:
    """The reasoning behind the executive summary."""
    summary = report.summary
    _para(document, f"{summary.overall_sentence} {summary.evidence_sentence}")
    if summary.index_sentence or summary.gate_sentence:
        _para(document, f"{summary.index_sentence} {summary.gate_sentence}".strip())
    if summary.strengths:
        _heading(document, "Strengths", 2)
        _bullets(document, summary.strengths)
    _heading(document, "Each phase", 2)
    for phase in summary.phases:
        head = f"{phase.name}: {phase.label}"
        _head_and_text(document, head, phase.sentence, "List Bullet", own_line=True)
    _heading(document, "Roles", 2)
    _bullets(document, summary.role_sentences)
    if summary.not_applicable:
        _heading(document, f"Marked not applicable ({len(summary.not_applicable)})", 2)
        _para(
            document,
            "These practices are left out of their level's share of points. Each is listed with "
            "the team's reason, so a reader can judge it; a level met only thanks to them is "
            "flagged above and in the grid.",
        )
        for na in summary.not_applicable:
            _head_and_text(document, na.title, f"({na.phase_name}): {na.reason}", "List Bullet")


def _grid(document: Document, report: ReportContext) -> None:
    view, threshold = report.view, report.method.threshold
    rule = (
        "Level 0 is met when every one of its practices is in place, by hand or automated (the "
        "cell counts them); the higher levels need at least "
        f"{threshold} of the available points and every critical practice automated"
        if view.index is not None
        else f"A cell is met with at least {threshold} of the available points and every "
        "critical practice in place"
    )
    _para(
        document,
        "A phase reaches a level when that level's cell, and every cell below it, is met. "
        f"{rule}. Each cell says whether it is met, so the grid reads the same in black and white.",
    )
    _para(document, "Share of points and status of each phase at each level", bold=True)
    header = ["Phase", "Level reached", *([f"Level {n}", name] for n, name in view.levels)]
    _table(
        document, header, ([p.name, _reached(p), *map(_grid_cell, p.cells)] for p in view.phases)
    )


def _reached(phase: PhaseView) -> list[str]:
    if phase.evidenced_label == phase.label:
        return [phase.label]
    return [phase.label, f"With evidence only: {phase.evidenced_label}"]


def _grid_cell(cell: CellView) -> list[str]:
    """The lines of one grid cell, word for word as templates/reports/_grid.html."""
    status = "Met" if cell.met else "Not met"
    if cell.percent is None:
        lines = ["—", "No applicable question"]
    elif cell.all_in_place:
        lines = [f"{cell.in_place} of {cell.applicable}", f"in place · {status}"]
    else:
        lines = [f"{rounded(cell.percent, 0)}{NBSP}%", status]
    if cell.critical_failures:
        lines.append(f"Critical open: {', '.join(cell.critical_failures)}")
    if cell.depends_on_na:
        lines.append(f"Met only through {cell.na} N/A")
    elif cell.low_confidence:
        lines.append(f"Low confidence: {cell.na} of {cell.questions} N/A")
    return lines


def _charts(document: Document, _report: ReportContext) -> None:
    _para(document, CHARTS_SENTENCE)


def _progress(document: Document, report: ReportContext) -> None:
    progress = report.progress
    if progress is None:
        return
    submitted = f", submitted {progress.previous_date}" if progress.previous_date else ""
    _para(document, f"Compared with {progress.previous_label}{submitted}. {progress.sentence}")
    if progress.note:
        _para(document, progress.note)
    then = progress.previous_label
    _para(document, "Level per phase then and now", bold=True)
    moves = [*progress.phases, progress.overall]
    _table(
        document,
        ["Phase", then, "Now", "Change"],
        ([m.name, m.before, m.after, m.change] for m in moves),
    )
    if progress.followups:
        _heading(document, f"Actions done since {then}", 2)
        _para(document, f"{progress.followup_sentence} {progress.followup_rule}")
        for followup in progress.followups:
            paragraph = _head_and_text(
                document, followup.title, f"· {followup.verdict}", "List Bullet"
            )
            paragraph.add_run().add_break()
            _run(paragraph, followup.practices_text)
    _heading(document, "Cells that moved", 2)
    if progress.cells:
        _para(document, "Phase and level cells whose share of points or status changed", bold=True)
        _table(
            document,
            ["Cell", then, "Now", "Change"],
            ([f"{c.phase}, level {c.level}", c.before, c.after, c.change] for c in progress.cells),
        )
    else:
        _para(document, "No cell changed its share of points or its status.")
    _heading(document, "Answers that changed", 2)
    changes = [
        ("Improved", progress.improved, progress.improved_text),
        ("Regressed", progress.regressed, progress.regressed_text),
        ("Changed without a score difference", progress.other, progress.other_text),
    ]
    for head, moved, text in changes:
        if moved:
            _para(document, f"{head} ({len(moved)})", bold=True)
            _para(document, text)
    if not any(moved for _, moved, _ in changes):
        _para(document, "No answer changed.")


def _disagreements(document: Document, report: ReportContext) -> None:
    found = report.disagreements or ()
    if not found:
        _para(
            document,
            "Several people answered this assessment on their own, and their answers never "
            "differed by half a point or more: the team sees its practices the same way.",
        )
        return
    _para(
        document,
        f"Several people answered this assessment on their own. On {len(found)} "
        f"question{_plural(len(found))} their answers were half a point or more apart, or they "
        "disagreed on whether the practice applies at all. These are often the most useful "
        "findings: the same practice looks different from different seats. Each was discussed "
        "and settled by the assessment's lead; only the settled answers were scored.",
    )
    for d in found:
        _head_and_text(document, d.code, d.statement)
        _bullets(
            document,
            (f"{a.who}: {a.answer}" + (f" (“{a.note}”)" if a.note else "") for a in d.answers),
        )
        _run(
            _run(_para(document, "Settled as "), d.final, bold=True), f": {d.why}" if d.why else ""
        )


def _roles(document: Document, report: ReportContext) -> None:
    method = report.method
    _para(
        document,
        "Each practice has an owning role, which answers for it, and may have contributing roles "
        "(counted half). A role's gap is the share of its practices within reach of the targets "
        "that are not fully in place, weighted by how much harm their absence could do. A role "
        f"needs attention when that gap reaches {method.gap_for_action}, when it owns an action "
        "of the first 30 days, or when it answers for a missing gate practice. Where nobody "
        "holds a role, the report names someone already in the team to take it over, unless "
        "the team is large enough and the work heavy enough to add the role."
        if report.view.plan
        else "Each practice has an owning role (weight "
        f"{method.owner_weight}) and may have contributing roles (weight "
        f"{method.contributor_weight}). A role's gap is the weighted share of its applicable "
        f"practices that are not fully in place. From a gap of {method.gap_for_action}, the "
        "report asks to add the role when nobody holds it, and to strengthen it when someone does.",
    )
    _para(
        document,
        "Every role: whether the team has it, its gap, the verdict and how many of its practices "
        "are open",
        bold=True,
    )
    _table(
        document,
        ["Role", "In the team", "Gap", "Verdict", "Open practices", "First 30 days"],
        (
            [r.name, r.presence_label, r.gap, r.action_label, r.open_summary, _count(r.first_month)]
            for r in report.roles
        ),
    )
    for role in (r for r in report.roles if r.needs_action):
        _heading(document, f"{role.name}: {role.action_label.lower()}", 2)
        _para(document, role.sentence)


def _count(items: Sequence[str]) -> str:
    return str(len(items)) if items else "—"


def _roadmap(document: Document, report: ReportContext) -> None:
    plan = bool(report.view.plan)
    if not report.roadmap:
        _para(
            document,
            "No practice is open up to the target levels, so there is nothing to schedule. "
            "Raising a phase's target in the next assessment will list what the following level "
            "needs.",
        )
        return
    _para(
        document,
        "The actions in the order to take them, as a plan of about five a month: first what "
        "blocks the next level (the security and governance gate, then each phase's critical "
        "practices), then the practices whose absence would hurt most, then the best value for "
        "the effort, and never an action before what it depends on. Each names the role that "
        "answers for it and a first step that can start this week."
        if plan
        else "Every practice that is not fully in place, up to each phase's target level, "
        "grouped by the level it counts towards. Foundations of the weaker phases and critical "
        "practices come first. Each item names the role that owns it and a first step that can "
        "start this week.",
    )
    for group in report.roadmap:
        _heading(document, group.title, 2)
        _para(document, group.intro)
        for item in group.items:
            _roadmap_item(document, item, plan=plan)


def _roadmap_item(document: Document, item: RoadmapItem, *, plan: bool) -> None:
    # Numbered in the text, as in the PDF: the numbers run on across the groups.
    rec = item.rec
    _para(document, f"{item.number}. {rec.text}", bold=True).paragraph_format.keep_with_next = True
    parts = [f"{rec.title} ({rec.code})" if rec.title else rec.code]
    parts.append(f"{rec.phase_name}, level {rec.level}")
    parts += ["gate"] if rec.gate else ["critical"] if rec.critical else []
    parts.append(f"owner: {rec.owner_name}" + (f" ({rec.person})" if rec.person else ""))
    parts += [f"risk {rec.risk}", f"effort: {rec.effort_words}"] if plan else []
    parts.append(f"now: {rec.answer.lower()}")
    parts += [] if item.unlocks else ["level already reached"]
    lines = [" · ".join(parts)]
    if rec.needed_for:
        lines.append(f"Needed first for: {'; '.join(rec.needed_for)}.")
    lines.append(f"First step: {rec.first_step}")
    for line in lines:
        paragraph = _para(document, line)
        paragraph.paragraph_format.left_indent = Cm(0.6)
        paragraph.paragraph_format.keep_with_next = line is not lines[-1]


def _plan(document: Document, report: ReportContext) -> None:
    """The team's actions as of the day the report was produced, as templates/reports/_plan.html."""
    plan = report.plan
    if plan is None:
        return
    _para(document, plan.intro)
    if plan.empty:
        _para(document, plan.empty)
        return
    _para(document, plan.counts, bold=True)
    if plan.open:
        _para(document, "Open actions, by due date", bold=True)
        _table(
            document,
            ["Action", "Practices", "Owner", "Due", "Status"],
            ([r.title, r.practices, r.owner, r.due, r.status] for r in plan.open),
        )
    _heading(document, plan.done_title, 2)
    if plan.done:
        _para(document, f"{plan.done_title}, most recent first", bold=True)
        _table(
            document,
            ["Action", "Practices", "Owner", "Done on"],
            ([r.title, r.practices, r.owner, r.done] for r in plan.done),
        )
    else:
        _para(document, plan.none_done)


def _method(document: Document, report: ReportContext) -> None:
    m = report.method
    _para(
        document,
        f"The figures in this report come from {m.bank_title} ({m.bank_key}, {m.questions} "
        f"questions), scored by version {m.engine_version} of the scoring engine. The result was "
        "frozen when the assessment was submitted, so the report can be produced again at any "
        f"time with the same figures. {report.cover.respondents_label}: "
        f"{report.cover.respondents}.",
    )
    _heading(document, "Answers, cells and levels", 2)
    _bullets(document, _method_rules(m.threshold))
    _heading(document, "Not applicable and unknown answers", 2)
    na = len(m.not_applicable)
    _para(
        document,
        "A practice answered “Not applicable” leaves its cell: it counts neither for nor against. "
        + (
            f"{na} practice{_plural(na)} {_plural(na, 'was,were')} marked so:"
            if na
            else "No practice was marked not applicable."
        ),
    )
    _bullets(document, (f"{i.code}: {i.reason or 'no reason given'}" for i in m.not_applicable))
    unknown, unanswered = len(m.unknown), len(m.unanswered)
    _para(
        document,
        "“Don't know” scores 0: a practice nobody can vouch for is not one the team can rely on. "
        + (
            f"{unknown} answer{_plural(unknown)} {_plural(unknown, 'was,were')} “don't know”: "
            f"{', '.join(m.unknown)}."
            if unknown
            else "No answer was “don't know”."
        )
        + (
            f" {unanswered} question{_plural(unanswered)} had no answer and "
            f"{_plural(unanswered, 'was,were')} counted the same way: {', '.join(m.unanswered)}."
            if unanswered
            else ""
        ),
    )
    _heading(document, "Evidence", 2)
    missing = len(m.without_evidence)
    _para(
        document,
        "Every level is computed twice. The claimed view takes the answers as given; the "
        "evidenced view counts a practice answered fully in place (“Institutionalised” or "
        "“Automated”) without evidence (a link or a short description) as “Done manually”. "
        "Where the two differ, the claimed level rests on practices nobody has pointed to. "
        + (
            f"{missing} answer{_plural(missing)} of that kind had no evidence: "
            f"{', '.join(m.without_evidence)}."
            if missing
            else "Every such answer came with evidence."
        ),
    )
    _para(document, "Claimed level and level with evidence only, per phase", bold=True)
    same = " (same)"
    rows = [
        [r.phase, r.claimed, r.evidenced + ("" if r.differs else same)] for r in m.evidence_rows
    ]
    overall_same = same if m.overall_claimed == m.overall_evidenced else ""
    rows.append(["Overall", m.overall_claimed, m.overall_evidenced + overall_same])
    _table(document, ["Phase", "Claimed level", "With evidence only"], rows)
    _heading(document, "Low-confidence cells", 2)
    _para(
        document,
        f"A cell where more than {m.low_confidence_share} of the questions are not applicable is "
        "flagged as low confidence: its share of points rests on few answers, so it can pass or "
        "fail on a single one. "
        + (
            "Flagged in this assessment:"
            if m.low_confidence
            else "No cell is flagged in this assessment."
        ),
    )
    _bullets(
        document,
        (
            f"{c.phase}, level {c.level} ({c.level_name}): {c.na} of {c.questions} questions not "
            "applicable."
            for c in m.low_confidence
        ),
    )


def _method_rules(threshold: str) -> tuple[str, ...]:
    return (
        "Each practice is answered “Not in place” (0 points), “Done manually” (0.5: documented "
        "and repeatable), “Institutionalised” for a level-0 practice or “Automated” above it (1), "
        "“Don't know” (0) or, where the bank allows it, “Not applicable” with a reason.",
        "A cell, one phase at one level, is met when its applicable questions collect at least "
        f"{threshold} of their points and every critical practice is in place: done at least "
        "manually at level 0, automated from level 1 up.",
        "A phase is at the highest level whose cell, and every cell below it, is met. A phase "
        "whose level 0 cell is not met is “not yet level 0”.",
        "The overall level is the lowest phase level, so a strong phase cannot hide a missing "
        "foundation in another.",
        "Recommendations are the applicable practices scoring below 1, up to each phase's target "
        "level: the level the team chose, or else the next level.",
    )


def _appendix(document: Document, report: ReportContext) -> None:
    _para(
        document,
        "Every question of the bank with the answer that was scored, and the evidence, notes and "
        "reasons given with it. Critical practices are marked. A practice answered fully in "
        "place (“Institutionalised” or “Automated”) without evidence counts as done manually in "
        "the evidenced view; it is marked so.",
    )
    for phase in report.appendix:
        _heading(document, phase.name, 2)
        for level in phase.levels:
            _heading(document, f"Level {level.number}: {level.name}", 3)
            for row in level.rows:
                head = " · ".join([row.code, *(["critical"] if row.critical else []), row.answer])
                downgraded = " (no evidence: counted as manual)" if row.downgraded else ""
                _para(document, head + downgraded, bold=True).paragraph_format.keep_with_next = True
                _para(document, row.statement)
                for label, text in (
                    ("Why not applicable", row.reason),
                    ("Evidence", row.evidence),
                    ("Note", row.note),
                ):
                    if text:
                        _para(document, f"{label}: {text}")


_SECTIONS: dict[str, Callable[[Document, ReportContext], None]] = {
    SUMMARY[0]: _summary,
    FINDINGS[0]: _findings,
    GRID[0]: _grid,
    CHARTS[0]: _charts,
    PROGRESS[0]: _progress,
    DISAGREEMENTS[0]: _disagreements,
    ROLES[0]: _roles,
    ROADMAP[0]: _roadmap,
    PLAN[0]: _plan,
    METHOD[0]: _method,
    APPENDIX[0]: _appendix,
}
