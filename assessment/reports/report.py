"""Everything the maturity report says, as plain data: the web page and the PDF render the same
`ReportContext`, so they cannot disagree.

Pure Python (no Django): the caller hands in the bank, the frozen result, what the cover needs and,
when there is one, the team's previous result; `build_report` returns frozen dataclasses with
every sentence already written. Each section is built in its own module under `sections/`, named
after the template that renders it (`templates/reports/_<section>.html`).
"""

from __future__ import annotations

from dataclasses import dataclass

from assessment.charts.trend import TrendPoint, level_trend_chart
from assessment.reports.prose import clipped, format_date
from assessment.reports.result_view import ResultView, result_view
from assessment.reports.sections.appendix import AppendixPhase, build_appendix
from assessment.reports.sections.charts import Charts, build_charts
from assessment.reports.sections.commentary import (
    NO_BRANDING,
    NO_COMMENTARY,
    Branding,
    Commentary,
)
from assessment.reports.sections.cover import REPORT_TITLE, Cover, CoverView, build_cover
from assessment.reports.sections.disagreements import Disagreement
from assessment.reports.sections.method import Method, build_method
from assessment.reports.sections.plan import Plan, PlanView, build_plan
from assessment.reports.sections.progress import (
    PROGRESS_TITLE,
    Previous,
    ProgressView,
    build_progress,
)
from assessment.reports.sections.roadmap import RoadmapGroup, build_roadmap
from assessment.reports.sections.roles import RoleSection, build_roles
from assessment.reports.sections.summary import Summary, automated_without_evidence, build_summary
from assessment.scoring.results import Result
from assessment.scoring.types import Bank

LANGUAGE = "en"
MIN_TREND_POINTS = 3  # two assessments are a comparison, not yet a trend
HEADER_PART = 45  # characters of the team and of the label in the running header

# Section anchors and headings, in the order the report shows them. Tests assert these texts.
SUMMARY = ("summary", "Executive summary")  # one page a CTO reads alone
FINDINGS = ("findings", "Findings in detail")  # the summary's reasoning, after the plan
GRID = ("grid", "Phase and level grid")
CHARTS = ("charts", "Levels and scores at a glance")
PROGRESS = ("progress", PROGRESS_TITLE)
DISAGREEMENTS = ("disagreements", "Where the team disagreed")
ROLES = ("roles", "Role gaps")
ROADMAP = ("roadmap", "Roadmap")
PLAN = ("plan", "Action plan")  # the team's own actions, as of the day the report is produced
METHOD = ("method", "How this was scored")
APPENDIX = ("appendix", "Appendix: every question and answer")


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str


@dataclass(frozen=True)
class ReportContext:
    title: str  # the document title (PDF metadata, <title>)
    author: str
    language: str
    description: str
    header: str  # the running page header: "Fraud detection · 12 March 2026"
    cover: CoverView
    view: ResultView
    summary: Summary
    charts: Charts
    roles: tuple[RoleSection, ...]
    roadmap: tuple[RoadmapGroup, ...]
    method: Method
    appendix: tuple[AppendixPhase, ...]
    progress: ProgressView | None
    sections: tuple[Section, ...]
    # None for an assessment answered by one person; otherwise the flagged questions (maybe none).
    disagreements: tuple[Disagreement, ...] | None = None
    # The team's levels over its submitted assessments (the same chart as the team page); ""
    # with fewer than three, where the progress table says it all.
    trend_chart: str = ""
    branding: Branding = NO_BRANDING
    commentary: Commentary = NO_COMMENTARY
    # The team's action plan; None when the caller has none to give (an answers file).
    plan: PlanView | None = None

    @property
    def marking(self) -> str:
        """The line at the foot of every page: the confidentiality marking, and "Draft" while
        the commentary is not published."""
        parts = ("Draft" if self.commentary.draft else "", self.branding.confidentiality)
        return " · ".join(part for part in parts if part)

    @property
    def executive_label(self) -> str:
        """What heads the consultant's executive paragraph, so it never reads as the tool's."""
        who = self.branding.prepared_by
        return (f"In the words of {who}" if who else "The assessor's view") + self._draft

    @property
    def note_label(self) -> str:
        """What heads the consultant's note on a section."""
        who = self.branding.prepared_by
        return (f"Note from {who}" if who else "Assessor's note") + self._draft

    @property
    def _draft(self) -> str:
        return " · draft" if self.commentary.draft else ""

    @property
    def section_titles(self) -> dict[str, str]:
        return {section.anchor: section.title for section in self.sections}


def build_report(
    bank: Bank,
    result: Result,
    cover: Cover,
    previous: Previous | None = None,
    disagreements: tuple[Disagreement, ...] | None = None,
    history: tuple[TrendPoint, ...] = (),
    branding: Branding = NO_BRANDING,
    commentary: Commentary = NO_COMMENTARY,
    plan: Plan | None = None,
) -> ReportContext:
    """The whole report for `result` (scored against `bank`), ready for a template. `plan`: the
    team's action plan on the day the report is produced, shown after the roadmap."""
    view = result_view(bank, result, dict(cover.people))
    without_evidence = automated_without_evidence(result)
    progress = build_progress(bank, previous, result) if previous is not None else None
    plan_view = build_plan(bank, plan) if plan is not None else None
    # The page a CTO reads alone, then the plan (what to do, then what the team has taken on),
    # then the detail.
    sections = [Section(*SUMMARY), Section(*ROADMAP)]
    if plan_view is not None:
        sections.append(Section(*PLAN))
    sections += [Section(*FINDINGS), Section(*GRID)]
    sections.append(Section(*CHARTS))
    if progress is not None:
        sections.append(Section(PROGRESS[0], progress.title))
    if disagreements is not None:
        sections.append(Section(*DISAGREEMENTS))
    sections += [Section(*ROLES), Section(*METHOD), Section(*APPENDIX)]

    title = REPORT_TITLE + (f": {cover.team}, {cover.label}" if cover.team else f": {cover.label}")
    date_text = format_date(cover.date)
    return ReportContext(
        title=title,
        author=cover.author or cover.organisation or REPORT_TITLE,
        language=LANGUAGE,
        description=(
            f"MLOps maturity of {cover.team or 'the team'}"
            + (f" ({cover.organisation})" if cover.organisation else "")
            + f": {view.overall_label} overall, scored against {bank.title} {bank.version}."
        ),
        # One line above every page: a long team or label is clipped rather than wrapped.
        header=" · ".join(
            part
            for part in (
                clipped(cover.team, HEADER_PART),
                clipped(cover.label, HEADER_PART),
                date_text,
            )
            if part
        ),
        cover=build_cover(bank, result, cover, date_text),
        view=view,
        summary=build_summary(bank, view, len(without_evidence), result, progress),
        charts=build_charts(view),
        roles=build_roles(bank, result, view),
        roadmap=build_roadmap(view, bank),
        method=build_method(bank, result, view, without_evidence),
        appendix=build_appendix(bank, result),
        progress=progress,
        sections=tuple(sections),
        disagreements=disagreements,
        trend_chart=level_trend_chart(
            history,
            [(p.code, p.name) for p in bank.phases],
            [(lv.number, lv.name) for lv in bank.levels],
            chart_id="report-trend",
        )
        if len(history) >= MIN_TREND_POINTS
        else "",
        branding=branding,
        commentary=commentary,
        plan=plan_view,
    )
