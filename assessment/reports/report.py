"""Everything the maturity report says, as plain data: the web page and the PDF render the same
`ReportContext`, so they cannot disagree.

Pure Python (no Django): the caller hands in the bank, the frozen result, what the cover needs and,
when there is one, the team's previous result; `build_report` returns frozen dataclasses with
every sentence already written. It builds on `result_view` (the shared view of a result) and adds
the cover, the executive summary, the charts, role sections, the roadmap, the scoring method, the
appendix and the progress since the previous assessment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from assessment.banks.mapping import continued_codes
from assessment.reports import charts
from assessment.reports.compare import (
    DOWN,
    UP,
    AnswerChange,
    Comparison,
    LevelChange,
    compare_results,
    question_codes,
)
from assessment.reports.context import (
    ANSWER_LABELS,
    PhaseView,
    RecommendationView,
    ResultView,
    result_view,
)
from assessment.reports.trend import TrendPoint, level_trend_chart
from assessment.scoring.engine import GAP_FOR_ACTION, LOW_CONFIDENCE_NA_SHARE, level_label
from assessment.scoring.results import CONTRIBUTOR_WEIGHT, OWNER_WEIGHT, Result, RoleAction
from assessment.scoring.types import AnswerValue, Bank, Presence

REPORT_TITLE = "MLOps maturity report"
LANGUAGE = "en"
MIN_TREND_POINTS = 3  # two assessments are a comparison, not yet a trend
TOP_ACTIONS = 5  # the executive summary lists at most this many actions
NOT_ANSWERED = "Not answered"
NBSP = "\u00a0"

# Section anchors and headings, in the order the report shows them. Tests assert these texts.
SUMMARY = ("summary", "Executive summary")
GRID = ("grid", "Phase and level grid")
CHARTS = ("charts", "Levels and scores at a glance")
PROGRESS = ("progress", "Progress since {label}")
DISAGREEMENTS = ("disagreements", "Where the team disagreed")
ROLES = ("roles", "Role gaps")
ROADMAP = ("roadmap", "Roadmap")
METHOD = ("method", "How this was scored")
APPENDIX = ("appendix", "Appendix: every question and answer")

_URL = re.compile(r"https?://\S+", re.IGNORECASE)


# --- input ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cover:
    """Who and what the report is about; the caller reads it from wherever it keeps it."""

    organisation: str
    team: str
    label: str  # e.g. "2026 Q4"
    date: date | None  # the submission (or rendering) date
    respondents: tuple[str, ...] = ()
    author: str = ""  # for the PDF metadata; the organisation when empty
    source: str = ""  # shown when there are no respondents, e.g. "answers file fraud.yaml"


@dataclass(frozen=True)
class Previous:
    """The team's previous submitted assessment, for the progress section."""

    label: str
    date: date | None
    result: Result


# --- output -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str


@dataclass(frozen=True)
class CoverView:
    title: str
    organisation: str
    team: str
    label: str
    date: str
    bank_title: str
    bank_version: str
    engine_version: str
    respondents: str  # "Alice Smith (lead), Bob Jones", or the source when nobody is named
    respondents_label: str  # "Respondents", or "Source" for an answers file


@dataclass(frozen=True)
class PhaseSummary:
    name: str
    label: str
    sentence: str


@dataclass(frozen=True)
class Summary:
    overall_label: str
    overall_meaning: str  # what the overall level means, from the bank's description
    overall_sentence: str
    evidence_sentence: str
    phases: tuple[PhaseSummary, ...]
    actions: tuple[RecommendationView, ...]
    more_actions: int  # recommendations beyond those listed
    role_sentences: tuple[str, ...]


@dataclass(frozen=True)
class Charts:
    levels: str  # SVG markup, every text escaped
    scores: str


@dataclass(frozen=True)
class RolePracticeRow:
    code: str
    statement: str
    answer: str
    relation: str  # "owner" or "contributor"


@dataclass(frozen=True)
class RoleSection:
    code: str
    name: str
    description: str
    presence: str
    presence_label: str
    gap: str  # "63 %", or "n/a" when no practice is linked to the role
    action: str  # "add", "strengthen", "ok"
    action_label: str
    sentence: str
    practices: int
    open_practices: tuple[RolePracticeRow, ...]

    @property
    def open_summary(self) -> str:
        """The open practices in one line ("3 of 17: DES-0-01, DEV-1-02, OPS-0-03")."""
        if not self.practices:
            return "No practice linked"
        if not self.open_practices:
            return f"None of {self.practices}"
        codes = ", ".join(practice.code for practice in self.open_practices)
        return f"{len(self.open_practices)} of {self.practices}: {codes}"

    @property
    def needs_action(self) -> bool:
        return self.action != RoleAction.OK


@dataclass(frozen=True)
class RoadmapItem:
    number: int
    rec: RecommendationView
    unlocks: bool  # False: the level is already reached and this practice strengthens it


@dataclass(frozen=True)
class RoadmapGroup:
    level: int
    title: str  # "Level 1 – ML pipeline automation"
    intro: str
    items: tuple[RoadmapItem, ...]


@dataclass(frozen=True)
class EvidenceRow:
    phase: str
    claimed: str
    evidenced: str

    @property
    def differs(self) -> bool:
        return self.claimed != self.evidenced


@dataclass(frozen=True)
class LowConfidenceCell:
    phase: str
    level: int
    level_name: str
    na: int
    questions: int


@dataclass(frozen=True)
class CodeReason:
    code: str
    reason: str


@dataclass(frozen=True)
class Method:
    threshold: str  # "80 %"
    low_confidence_share: str  # "20 %"
    gap_for_action: str  # "50 %"
    owner_weight: str
    contributor_weight: str
    bank_title: str
    bank_key: str
    engine_version: str
    questions: int
    not_applicable: tuple[CodeReason, ...]
    unknown: tuple[str, ...]
    unanswered: tuple[str, ...]
    without_evidence: tuple[str, ...]  # "automated" answers with no evidence
    evidence_rows: tuple[EvidenceRow, ...]
    overall_claimed: str
    overall_evidenced: str
    low_confidence: tuple[LowConfidenceCell, ...]


@dataclass(frozen=True)
class AppendixRow:
    code: str
    statement: str
    critical: bool
    owner: str
    answer: str
    value: str  # the answer's code ("0", "0.5", "1", "na", "unknown") or "" when not answered
    evidence: str
    evidence_url: str  # the evidence itself when it is a single http(s) link
    note: str
    reason: str  # why it does not apply, for "na"
    downgraded: bool  # "automated" without evidence: counted as manual in the evidenced view


@dataclass(frozen=True)
class AppendixLevel:
    number: int
    name: str
    rows: tuple[AppendixRow, ...]


@dataclass(frozen=True)
class AppendixPhase:
    code: str
    name: str
    levels: tuple[AppendixLevel, ...]


@dataclass(frozen=True)
class PhaseMove:
    name: str
    before: str
    after: str
    direction: str  # "up", "down", "same"
    change: str  # "Up 1 level", "Down 2 levels", "No change"


@dataclass(frozen=True)
class CellMove:
    phase: str
    level: int
    level_name: str
    before: str  # "55 %, not met"
    after: str
    change: str  # "+20 points, now met"


@dataclass(frozen=True)
class AnswerMove:
    code: str
    statement: str
    before: str
    after: str


@dataclass(frozen=True)
class ProgressView:
    title: str
    previous_label: str
    previous_date: str
    sentence: str
    overall: PhaseMove
    phases: tuple[PhaseMove, ...]
    cells: tuple[CellMove, ...]  # only the cells that moved
    improved: tuple[AnswerMove, ...]
    regressed: tuple[AnswerMove, ...]
    other: tuple[AnswerMove, ...]
    note: str  # how results of different bank versions were matched, when they differ

    # The moves as one line of text each ("DES-0-02 from not in place to automated; …"): plain
    # text prints many times faster than one element per move.
    @property
    def improved_text(self) -> str:
        return _moves_text(self.improved)

    @property
    def regressed_text(self) -> str:
        return _moves_text(self.regressed)

    @property
    def other_text(self) -> str:
        return _moves_text(self.other)


def _moves_text(moves: tuple[AnswerMove, ...]) -> str:
    return "; ".join(
        f"{move.code} from {move.before.lower()} to {move.after.lower()}" for move in moves
    )


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

    @property
    def section_titles(self) -> dict[str, str]:
        return {section.anchor: section.title for section in self.sections}


@dataclass(frozen=True)
class TeamAnswer:
    who: str  # "Respondent 2 (Data scientist)", or the person's name when the lead chose so
    answer: str
    note: str


@dataclass(frozen=True)
class Disagreement:
    """A question the team's answers split on, and how the lead settled it."""

    code: str
    statement: str
    answers: tuple[TeamAnswer, ...]
    final: str
    why: str


# --- building ---------------------------------------------------------------------------------


def build_report(
    bank: Bank,
    result: Result,
    cover: Cover,
    previous: Previous | None = None,
    disagreements: tuple[Disagreement, ...] | None = None,
    history: tuple[TrendPoint, ...] = (),
) -> ReportContext:
    """The whole report for `result` (scored against `bank`), ready for a template."""
    view = result_view(bank, result)
    without_evidence = _automated_without_evidence(result)
    progress = _progress(bank, previous, result) if previous is not None else None
    sections = [Section(*SUMMARY), Section(*GRID), Section(*CHARTS)]
    if progress is not None:
        sections.append(Section(PROGRESS[0], progress.title))
    if disagreements is not None:
        sections.append(Section(*DISAGREEMENTS))
    sections += [Section(*ROLES), Section(*ROADMAP), Section(*METHOD), Section(*APPENDIX)]

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
        header=" · ".join(part for part in (cover.team, cover.label, date_text) if part),
        cover=_cover(bank, result, cover, date_text),
        view=view,
        summary=_summary(bank, view, len(without_evidence)),
        charts=_charts(view),
        roles=_roles(bank, result, view),
        roadmap=_roadmap(view, bank),
        method=_method(bank, result, view, without_evidence),
        appendix=_appendix(bank, result),
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
    )


def format_date(value: date | None) -> str:
    """A date as "7 March 2026": day first, month in words, whatever the server's locale."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def percent_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f}{NBSP}%"


def _share_text(value: float) -> str:
    return f"{value * 100:.0f}{NBSP}%"


def _join(names: list[str]) -> str:
    """Names as a list in prose: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def _in_sentence(label: str) -> str:
    """A level label inside a sentence: "not yet level 0", but "Level 1 – ML pipeline automation"
    keeps its capital, as a name."""
    return label[0].lower() + label[1:] if label.startswith("Not yet") else label


def _first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip(), re.DOTALL)
    return " ".join((match.group(1) if match else text).split())


# --- cover and summary --------------------------------------------------------------------------


def _cover(bank: Bank, result: Result, cover: Cover, date_text: str) -> CoverView:
    if cover.respondents:
        names = [f"{cover.respondents[0]} (lead)", *cover.respondents[1:]]
        respondents, label = ", ".join(names), "Respondents"
    else:
        respondents, label = cover.source or "Not recorded", "Source"
    return CoverView(
        title=REPORT_TITLE,
        organisation=cover.organisation,
        team=cover.team,
        label=cover.label,
        date=date_text,
        bank_title=bank.title,
        bank_version=bank.version,
        engine_version=result.engine_version,
        respondents=respondents,
        respondents_label=label,
    )


def _summary(bank: Bank, view: ResultView, without_evidence: int) -> Summary:
    levels = [number for number, _ in view.levels]
    lowest, top = levels[0], levels[-1]
    overall = view.overall_level
    if overall is None:
        missing = [p.name for p in view.phases if p.level is None]
        meaning = (
            f"Level {lowest} ({bank.level(lowest).name.lower()}) holds the foundations every "
            "other level builds on, and at least one phase does not meet it yet."
        )
        sentence = (
            f"{_join(missing)} {'does' if len(missing) == 1 else 'do'} not yet meet level "
            f"{lowest}. The overall level is the lowest phase level, so these foundations come "
            "before any automation."
        )
    else:
        meaning = _first_sentence(bank.level(overall).description)
        above = [p for p in view.phases if p.level is not None and p.level > overall]
        holding = [p.name for p in view.phases if p.level == overall]
        if overall == top:
            sentence = f"Every phase reaches level {top}, the top of this model."
        elif above:
            sentence = (
                f"The overall level is the lowest phase level: {_join(holding)} "
                f"{'holds' if len(holding) == 1 else 'hold'} it at level {overall}, while "
                + _join([f"{p.name} reaches level {p.level}" for p in above])
                + "."
            )
        else:
            sentence = (
                f"Every phase is at level {overall}; level {overall + 1} needs each of them to "
                "clear its next cell."
            )

    one = without_evidence == 1
    missing = (
        f"{_plural(without_evidence, 'practice')} answered “Automated” "
        f"{'has' if one else 'have'} no evidence attached"
    )
    counted = f"{missing} and {'counts' if one else 'count'} as done manually in that view"
    dropped = [p for p in view.phases if p.evidenced_label != p.label]
    drops = _join([f"{p.name} drops to {_in_sentence(p.evidenced_label)}" for p in dropped])
    if view.overall_evidenced_label != view.overall_label:
        evidence = (
            "Counting only answers backed by evidence, the overall level would be "
            f"{_in_sentence(view.overall_evidenced_label)}, as {drops}: {counted}. Links to the "
            "pipelines, dashboards or runbooks behind them close this difference."
        )
    elif dropped:
        evidence = (
            f"Counting only answers backed by evidence, the overall level holds but {drops}: "
            f"{counted}."
        )
    elif without_evidence:
        evidence = (
            f"The levels hold when only answers backed by evidence count, although {missing}."
        )
    else:
        evidence = "The levels hold when only answers backed by evidence count."

    actions = view.recommendations[:TOP_ACTIONS]
    return Summary(
        overall_label=view.overall_label,
        overall_meaning=meaning,
        overall_sentence=sentence,
        evidence_sentence=evidence,
        phases=tuple(_phase_summary(view, phase, top) for phase in view.phases),
        actions=actions,
        more_actions=len(view.recommendations) - len(actions),
        role_sentences=_role_summary(view),
    )


def _automated_without_evidence(result: Result) -> tuple[str, ...]:
    """Codes answered "automated" with no evidence: the evidenced view counts them as manual."""
    return tuple(
        trace.code
        for phase in result.phases
        for cell in phase.cells
        for trace in cell.answers
        if trace.points == 1.0 and trace.evidenced_points == 0.5
    )


def _phase_summary(view: ResultView, phase: PhaseView, top: int) -> PhaseSummary:
    target = f"level {phase.target}" + ("" if phase.target_given else " (the next level)")
    if phase.level is not None and phase.level >= top:
        return PhaseSummary(phase.name, phase.label, "Top level reached.")
    next_level = 0 if phase.level is None else phase.level + 1
    cell = next(c for c in phase.cells if c.level == next_level)
    if cell.percent is None:
        blocker = f"Level {next_level} has no applicable question"
    else:
        blocker = (
            f"Level {next_level} has {percent_text(cell.percent)} of its points "
            f"(threshold {view.threshold:g}{NBSP}%)"
        )
    if cell.critical_failures:
        codes = _join(list(cell.critical_failures))
        noun = "practice" if len(cell.critical_failures) == 1 else "practices"
        verb = "is" if len(cell.critical_failures) == 1 else "are"
        blocker += f" and critical {noun} {codes} {verb} not yet in place"
    blocker += "."
    if cell.low_confidence:
        blocker += f" Low confidence: {cell.na} of its {cell.questions} questions do not apply."
    reached = phase.level is not None and phase.level >= phase.target
    goal = f" Target {target} reached." if reached else f" Target: {target}."
    return PhaseSummary(phase.name, phase.label, blocker + goal)


def _role_summary(view: ResultView) -> tuple[str, ...]:
    sentences = []
    for role in view.roles_needing_action:
        gap = "n/a" if role.gap is None else _share_text(role.gap)
        count = len(role.open_practices)
        if role.action == RoleAction.ADD:
            who = (
                "the team did not say whether anyone holds it"
                if role.presence == Presence.UNKNOWN
                else "nobody in the team holds it"
            )
            sentences.append(
                f"{role.name}: {who} and {gap} of its practices are missing; add the role, or "
                f"name one person to own its {_plural(count, 'open practice')}."
            )
        else:
            sentences.append(
                f"{role.name}: the role is {role.presence_label.lower()} but {gap} of its "
                f"practices are missing; give it the time and mandate to close its "
                f"{_plural(count, 'open practice')}."
            )
    if not sentences:
        sentences.append(
            f"No role has {_share_text(GAP_FOR_ACTION)} or more of its practices missing."
        )
    return tuple(sentences)


# --- charts ------------------------------------------------------------------------------------


def _charts(view: ResultView) -> Charts:
    return Charts(
        levels=charts.level_chart(
            [charts.PhaseLevels(p.name, p.level, p.target, p.target_given) for p in view.phases],
            view.levels,
        ),
        scores=charts.score_chart(
            [
                charts.PhaseScores(
                    p.name,
                    tuple(charts.CellScore(c.level, c.percent, c.met) for c in p.cells),
                )
                for p in view.phases
            ],
            view.threshold,
        ),
    )


# --- roles and roadmap ---------------------------------------------------------------------------


def _roles(bank: Bank, result: Result, view: ResultView) -> tuple[RoleSection, ...]:
    answers = dict(result.answers)
    sections = []
    for role_view, role in zip(view.roles, result.roles, strict=True):
        owned = {trace.code for trace in role.owned}
        rows = tuple(
            RolePracticeRow(
                code=code,
                statement=bank.question(code).statement,
                answer=ANSWER_LABELS[answers[code].value] if code in answers else NOT_ANSWERED,
                relation="owner" if code in owned else "contributor",
            )
            for code in role.open_practices
        )
        total = len(role.owned) + len(role.contributed)
        gap = "n/a" if role.gap is None else _share_text(role.gap)
        if not total:
            sentence = "No applicable practice in this bank is linked to this role."
        elif role.action == RoleAction.OK:
            sentence = (
                f"{len(rows)} of its {_plural(total, 'practice')} still open; "
                "no change to the team is needed for this role."
            )
        elif role.action == RoleAction.ADD:
            sentence = (
                "Nobody is known to hold this role. Hire or name someone for it, or hand the "
                "practices below to people who have the time, starting with those it owns."
            )
        else:
            sentence = (
                "Someone holds this role, but most of its practices are not in place. Give them "
                "the time and the mandate to close the practices below, starting with those it "
                "owns."
            )
        sections.append(
            RoleSection(
                code=role.code,
                name=role_view.name,
                description=role_view.description,
                presence=role_view.presence,
                presence_label=role_view.presence_label,
                gap=gap,
                action=role_view.action,
                action_label=role_view.action_label,
                sentence=sentence,
                practices=total,
                open_practices=rows,
            )
        )
    return tuple(sections)


def _roadmap(view: ResultView, bank: Bank) -> tuple[RoadmapGroup, ...]:
    phase_levels = {phase.code: phase.level for phase in view.phases}
    order = {phase.name: index for index, phase in enumerate(view.phases)}
    by_level: dict[int, list[RoadmapItem]] = {}
    for number, rec in enumerate(view.recommendations, start=1):
        reached = phase_levels[rec.phase]
        unlocks = reached is None or reached < rec.level
        by_level.setdefault(rec.level, []).append(RoadmapItem(number, rec, unlocks))
    groups = []
    for level, items in sorted(by_level.items()):
        unlocking = sorted({i.rec.phase_name for i in items if i.unlocks}, key=order.get)
        strengthening = sorted({i.rec.phase_name for i in items if not i.unlocks}, key=order.get)
        parts = []
        if unlocking:
            parts.append(f"needed for level {level} in {_join(unlocking)}")
        if strengthening:
            parts.append(
                f"strengthening level {level} where it is already reached ({_join(strengthening)})"
            )
        intro = f"{_plural(len(items), 'practice')}: " + "; ".join(parts) + "."
        groups.append(
            RoadmapGroup(
                level=level,
                title=level_label(bank, level),
                intro=intro[0].upper() + intro[1:],
                items=tuple(items),
            )
        )
    return tuple(groups)


# --- method and appendix -----------------------------------------------------------------------


def _method(
    bank: Bank, result: Result, view: ResultView, without_evidence: tuple[str, ...]
) -> Method:
    answers = dict(result.answers)
    return Method(
        threshold=f"{result.threshold:g}{NBSP}%",
        low_confidence_share=_share_text(float(LOW_CONFIDENCE_NA_SHARE)),
        gap_for_action=_share_text(GAP_FOR_ACTION),
        owner_weight=f"{OWNER_WEIGHT:g}",
        contributor_weight=f"{CONTRIBUTOR_WEIGHT:g}",
        bank_title=bank.title,
        bank_key=result.bank_key,
        engine_version=result.engine_version,
        questions=len(bank.questions),
        not_applicable=tuple(
            CodeReason(code, answer.reason)
            for code, answer in answers.items()
            if answer.value is AnswerValue.NOT_APPLICABLE
        ),
        unknown=result.unknown,
        unanswered=result.unanswered,
        without_evidence=without_evidence,
        evidence_rows=tuple(
            EvidenceRow(phase.name, phase.label, phase.evidenced_label) for phase in view.phases
        ),
        overall_claimed=view.overall_label,
        overall_evidenced=view.overall_evidenced_label,
        low_confidence=tuple(
            LowConfidenceCell(phase.name, cell.level, cell.level_name, cell.na, cell.questions)
            for phase in view.phases
            for cell in phase.cells
            if cell.low_confidence
        ),
    )


def _appendix(bank: Bank, result: Result) -> tuple[AppendixPhase, ...]:
    answers = dict(result.answers)
    traces = {t.code: t for phase in result.phases for cell in phase.cells for t in cell.answers}
    phases = []
    for phase in bank.phases:
        levels = []
        for level in bank.levels:
            rows = []
            for question in bank.questions_in(phase.code, level.number):
                answer = answers.get(question.code)
                trace = traces.get(question.code)
                evidence = answer.evidence.strip() if answer else ""
                rows.append(
                    AppendixRow(
                        code=question.code,
                        statement=question.statement,
                        critical=question.critical,
                        owner=bank.role(question.owner).name,
                        answer=ANSWER_LABELS[answer.value] if answer else NOT_ANSWERED,
                        value=answer.value.value if answer else "",
                        evidence=evidence,
                        evidence_url=evidence if _URL.fullmatch(evidence) else "",
                        note=answer.note.strip() if answer else "",
                        reason=answer.reason.strip() if answer else "",
                        downgraded=bool(
                            trace and trace.points == 1.0 and trace.evidenced_points == 0.5
                        ),
                    )
                )
            levels.append(AppendixLevel(level.number, level.name, tuple(rows)))
        phases.append(AppendixPhase(phase.code, phase.name, tuple(levels)))
    return tuple(phases)


# --- progress ----------------------------------------------------------------------------------


def _progress(bank: Bank, previous: Previous, result: Result) -> ProgressView:
    continued = continued_codes(bank, question_codes(previous.result))
    comparison = compare_results(previous.result, result, continued)
    names = {phase.code: phase.name for phase in bank.phases}

    def level_name(level: int) -> str:
        try:
            return bank.level(level).name
        except KeyError:
            return ""

    def move(name: str, change: LevelChange) -> PhaseMove:
        steps = abs(change.steps)
        if change.direction == UP:
            text = f"Up {_plural(steps, 'level')}"
        elif change.direction == DOWN:
            text = f"Down {_plural(steps, 'level')}"
        else:
            text = "No change"
        return PhaseMove(
            name=name,
            before=level_label(bank, change.before) if _known(bank, change.before) else "",
            after=level_label(bank, change.after),
            direction=change.direction,
            change=text,
        )

    def statement(code: str) -> str:
        try:
            return bank.question(code).statement
        except KeyError:
            return ""

    def answer_text(value: AnswerValue, answered: bool) -> str:
        return ANSWER_LABELS[value] if answered else NOT_ANSWERED

    def answer_move(change: AnswerChange) -> AnswerMove:
        return AnswerMove(
            code=change.code,
            statement=statement(change.code),
            before=answer_text(change.before, change.before_answered),
            after=answer_text(change.after, change.after_answered),
        )

    cells = []
    for cell in comparison.moved_cells:
        cells.append(
            CellMove(
                phase=names.get(cell.phase, cell.phase),
                level=cell.level,
                level_name=level_name(cell.level),
                before=_cell_text(cell.before_percent, cell.before_met),
                after=_cell_text(cell.after_percent, cell.after_met),
                change=_cell_change(cell.percent_delta, cell.before_met, cell.after_met),
            )
        )
    overall = move("Overall", comparison.overall)
    phases = tuple(move(names.get(c.phase, c.phase), c) for c in comparison.phases)
    return ProgressView(
        title=PROGRESS[1].format(label=previous.label),
        previous_label=previous.label,
        previous_date=format_date(previous.date),
        sentence=_progress_sentence(comparison, overall, phases),
        overall=overall,
        phases=phases,
        cells=tuple(cells),
        improved=tuple(answer_move(c) for c in comparison.improved),
        regressed=tuple(answer_move(c) for c in comparison.regressed),
        other=tuple(answer_move(c) for c in comparison.other),
        note=""
        if comparison.same_bank
        else (
            f"The previous assessment used {previous.result.bank_key} and this one "
            f"{result.bank_key}: questions are compared where their codes match"
            + (
                f"; {_plural(len(comparison.only_after), 'question')} are new"
                if comparison.only_after
                else ""
            )
            + "."
        ),
    )


def _known(bank: Bank, level: int | None) -> bool:
    if level is None:
        return True
    try:
        bank.level(level)
    except KeyError:
        return False
    return True


def _cell_text(percent: float | None, met: bool) -> str:
    return f"{percent_text(percent)}, {'met' if met else 'not met'}"


def _cell_change(delta: float | None, before_met: bool, after_met: bool) -> str:
    parts = []
    if delta:
        parts.append(f"{delta:+.0f} points")
    if after_met and not before_met:
        parts.append("now met")
    elif before_met and not after_met:
        parts.append("no longer met")
    return ", ".join(parts) or "changed"


def _progress_sentence(
    comparison: Comparison, overall: PhaseMove, phases: tuple[PhaseMove, ...]
) -> str:
    up = [p.name for p in phases if p.direction == UP]
    down = [p.name for p in phases if p.direction == DOWN]
    before, after = _in_sentence(overall.before), _in_sentence(overall.after)
    if overall.direction == UP:
        first = f"The overall level rose from {before} to {after}."
    elif overall.direction == DOWN:
        first = f"The overall level fell from {before} to {after}."
    else:
        first = f"The overall level is unchanged: {after}."
    details = []
    if up:
        details.append(f"{_join(up)} moved up")
    if down:
        details.append(f"{_join(down)} moved down")
    moved = f" {'; '.join(details)}." if details else ""
    answers = (
        f" {_plural(len(comparison.improved), 'answer')} improved and "
        f"{len(comparison.regressed)} regressed."
    )
    return first + (moved[0] + moved[1].upper() + moved[2:] if moved else "") + answers
