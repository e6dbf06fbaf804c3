"""The portfolio report: every team of one organisation side by side, as plain data.

Pure Python (no Django): the caller hands in the bank most teams were scored against, each team's
submissions (oldest first) with the full result of the latest, and today's date;
`build_portfolio` returns frozen dataclasses with every sentence already written, for the print
template (templates/reports/portfolio_print.html).

Teams are compared on their latest submitted result. A team whose latest result was scored
against another bank (or another version of it) has other questions and other levels, so it is
listed apart rather than mixed in; so are teams that have not submitted anything yet.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from assessment.reports.prose import format_date, in_prose, join_names, plural
from assessment.reports.result_view import EFFORT_WORDS, PERIOD_TITLES

# The team plan's month rules, applied to the organisation's practices (`organisation_plan`):
# importing them keeps the two plans on one pace, where a copy would drift.
from assessment.scoring.advice import (
    GATE_BLOCKER,
    LEVEL_BLOCKER,
    NEXT_LEVEL,
    PLAN_PERIODS,
    RISK_WEIGHT,
    PlanCandidate,
    plan_periods,
)
from assessment.scoring.results import IN_PLACE, AnswerTrace, Result
from assessment.scoring.types import AnswerValue, Bank, Question

PORTFOLIO_TITLE = "MLOps maturity portfolio"
LANGUAGE = "en"
GAPS_SHOWN = 15  # the table of common gaps stops here; the rest are counted in one line

# Section anchors and headings, in the order the report shows them. Tests assert these texts.
SUMMARY = ("summary", "Summary")
HEATMAP = ("heatmap", "Levels by team and phase")
TREND = ("trend", "Levels over time")
GAPS = ("gaps", "Practices most teams lack")
PLAN = ("plan", "Organisation-wide plan")

PLAN_INTROS = {
    30: (
        "Every gate practice some team is missing comes first, with what it needs, whatever"
        " their number; then what holds a level back, then quick wins."
    ),
    60: "Next, once the first month's work is under way.",
    90: "To finish the quarter.",
}


# --- input -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submission:
    """One submitted assessment, as far as the trend needs it."""

    label: str  # the team's own label, e.g. "2026 Q3"
    submitted: date
    bank_key: str  # "mlops-maturity@2.0"
    overall: int | None  # the overall level; None: not yet level 0


@dataclass(frozen=True)
class TeamRecord:
    name: str
    submissions: tuple[Submission, ...]  # oldest first; empty when never submitted
    latest: Result | None  # the result of the last submission


def prevailing_bank_key(teams: Iterable[TeamRecord]) -> str | None:
    """The bank key most teams' latest results were scored against; on a tie, the one submitted
    most recently (where the organisation is heading). None when nobody has submitted."""
    counts: Counter[str] = Counter()
    newest: dict[str, date] = {}
    for team in teams:
        if team.latest is None or not team.submissions:
            continue
        key = team.latest.bank_key
        counts[key] += 1
        newest[key] = max(newest.get(key, date.min), team.submissions[-1].submitted)
    if not counts:
        return None
    return max(counts, key=lambda key: (counts[key], newest[key], key))


# --- output ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    anchor: str
    title: str


@dataclass(frozen=True)
class HeatCell:
    level: int | None  # None: not yet level 0
    label: str  # "Level 1", "Not yet level 0"
    index: float | None  # the maturity index, for results that have one (engine 2)

    @property
    def css(self) -> str:
        return "lv-none" if self.level is None else f"lv-{self.level}"


@dataclass(frozen=True)
class HeatRow:
    team: str
    label: str  # the latest assessment's label, "2026 Q3"; "" when not assessed
    date: str  # its submission date, "25 September 2026"
    phases: tuple[HeatCell, ...]  # in bank order; empty when not assessed
    overall: HeatCell | None  # None when not assessed


@dataclass(frozen=True)
class OtherBankTeam:
    team: str
    bank: str  # "mlops-maturity, version 1.0"
    assessed: str


@dataclass(frozen=True)
class TrendRow:
    period: str  # "2026 Q3"
    teams: int
    counts: tuple[int, ...]  # teams at each overall level, in the order of `trend_columns`


@dataclass(frozen=True)
class PracticeGap:
    """A practice not fully in place in some of the compared teams."""

    code: str
    title: str
    phase_name: str
    level: int
    risk: str  # "high", "medium", "low"
    owner_name: str
    lacking: int  # teams where it scores below 1 (`na` answers left out)
    missing: int  # of those, teams where it is not in place at all (below "done manually")
    compared: int  # the teams compared
    gate: bool  # a gate practice: while missing, it caps a team's overall level

    @property
    def teams_text(self) -> str:
        return f"{self.lacking} of {plural(self.compared, 'team')}"


@dataclass(frozen=True)
class PlanItem:
    number: int
    days: int  # in the first 30, 60 or 90 days
    gap: PracticeGap
    action: str  # the bank's recommended action (its first step is for each team's report)
    effort_words: str  # "days", "weeks", "a quarter"
    needed_for: tuple[str, ...]  # titles of the plan items that need it first


@dataclass(frozen=True)
class PlanGroup:
    days: int
    title: str  # "First 30 days"
    intro: str
    items: tuple[PlanItem, ...]


@dataclass(frozen=True)
class PortfolioContext:
    title: str  # the document title (PDF metadata, <title>)
    author: str
    language: str
    description: str
    header: str  # the running page header
    organisation: str
    date: str
    bank_title: str
    bank_version: str
    teams_total: int
    teams_compared: int
    summary: tuple[str, ...]  # sentences of the summary paragraph
    phase_names: tuple[str, ...]
    heatmap: tuple[HeatRow, ...]  # compared teams by name, then those not assessed yet
    other_bank: tuple[OtherBankTeam, ...]
    trend_columns: tuple[str, ...]  # "Not yet level 0", "Level 0", ...
    trend: tuple[TrendRow, ...]  # oldest period first
    trend_note: str  # one line instead of the table, with fewer than two periods
    gaps: tuple[PracticeGap, ...]  # every practice lacking somewhere, most teams first
    plan: tuple[PlanGroup, ...]  # 30, 60 and 90 days, the empty ones left out
    plan_later: int  # plan practices that do not fit in the 90 days
    sections: tuple[Section, ...]
    index_top: int = 3  # the maturity index runs from 0 to the number of levels
    kicker: str = PORTFOLIO_TITLE

    @property
    def has_index(self) -> bool:
        """Whether any result shown carries the index (those scored before engine 2 do not)."""
        return any(
            row.overall is not None and row.overall.index is not None for row in self.heatmap
        )

    @property
    def other_bank_note(self) -> str:
        if len(self.other_bank) == 1:
            whose, verb, their = "This team's latest assessment", "uses", "its"
        else:
            whose, verb, their = "These teams' latest assessments", "use", "their"
        return (
            f"{whose} {verb} other questions and levels than {self.bank_title} "
            f"{self.bank_version}, so {their} levels are left out of every figure in this report."
        )

    @property
    def shown_gaps(self) -> tuple[PracticeGap, ...]:
        return self.gaps[:GAPS_SHOWN]

    @property
    def more_gaps(self) -> str:
        """The line under the table for the practices it leaves out; "" when it shows all."""
        left = len(self.gaps) - GAPS_SHOWN
        if left <= 0:
            return ""
        verb = "is" if left == 1 else "are"
        return (
            f"{plural(left, 'more practice')} {verb} lacking in as many teams or fewer; "
            "each team's own report lists them."
        )

    @property
    def plan_note(self) -> str:
        """The line under the plan for what does not fit in 90 days; "" when everything does."""
        if not self.plan_later:
            return ""
        verb = "comes" if self.plan_later == 1 else "come"
        return (
            f"{plural(self.plan_later, 'more practice')}, from those lacking in at least half of "
            f"the teams and what they need first, {verb} after these 90 days."
        )

    @property
    def section_titles(self) -> dict[str, str]:
        return {section.anchor: section.title for section in self.sections}


def build_portfolio(
    bank: Bank, organisation: str, teams: Sequence[TeamRecord], today: date
) -> PortfolioContext:
    """The portfolio of `teams`, comparing those whose latest result was scored against `bank`
    (the caller picks it with `prevailing_bank_key`)."""
    by_name = sorted(teams, key=lambda team: (team.name.casefold(), team.name))
    compared = [t for t in by_name if t.latest is not None and t.latest.bank_key == bank.key]
    results = [t.latest for t in compared if t.latest is not None]
    not_assessed = [t for t in by_name if t.latest is None]
    other = [t for t in by_name if t.latest is not None and t.latest.bank_key != bank.key]

    gaps = practice_gaps(bank, results)
    plan_items, plan_later = organisation_plan(bank, results, gaps)
    trend = level_trend(bank, by_name)
    date_text = format_date(today)
    return PortfolioContext(
        title=f"{PORTFOLIO_TITLE}: {organisation}",
        author=organisation,
        language=LANGUAGE,
        description=(
            f"MLOps maturity of the {plural(len(teams), 'team')} of {organisation}, "
            f"scored against {bank.title} {bank.version}."
        ),
        header=f"{organisation} · {PORTFOLIO_TITLE} · {date_text}",
        organisation=organisation,
        date=date_text,
        bank_title=bank.title,
        bank_version=bank.version,
        teams_total=len(teams),
        teams_compared=len(compared),
        summary=_summary(
            bank, organisation, len(teams), results, gaps, len(not_assessed), len(other)
        ),
        phase_names=tuple(phase.name for phase in bank.phases),
        heatmap=tuple(_heat_row(bank, team) for team in compared + not_assessed),
        other_bank=tuple(_other_bank(team) for team in other),
        trend_columns=("Not yet level 0", *(f"Level {number}" for number in _levels(bank))),
        trend=trend,
        trend_note=_trend_note(trend),
        gaps=gaps,
        plan=_plan_groups(plan_items),
        plan_later=plan_later,
        sections=tuple(Section(*s) for s in (SUMMARY, HEATMAP, TREND, GAPS, PLAN)),
        index_top=len(bank.levels),
    )


# --- the heatmap -------------------------------------------------------------------------------


def _heat_row(bank: Bank, team: TeamRecord) -> HeatRow:
    result = team.latest
    if result is None or not team.submissions:
        return HeatRow(team=team.name, label="", date="", phases=(), overall=None)
    modern = result.model >= 2  # results scored before engine 2 have no index
    phases = tuple(
        HeatCell(phase.level, _level_words(phase.level), phase.index if modern else None)
        for phase in (result.phase(p.code) for p in bank.phases)
    )
    overall = HeatCell(
        result.overall.level, _level_words(result.overall.level), result.index if modern else None
    )
    last = team.submissions[-1]
    return HeatRow(team.name, last.label, format_date(last.submitted), phases, overall)


def _other_bank(team: TeamRecord) -> OtherBankTeam:
    result, last = team.latest, team.submissions[-1]
    assert result is not None
    return OtherBankTeam(
        team=team.name,
        bank=f"{result.bank_slug}, version {result.bank_version}",
        assessed=_assessed(last),
    )


def _assessed(submission: Submission) -> str:
    return f"{submission.label}, {format_date(submission.submitted)}"


def _level_words(level: int | None) -> str:
    return "Not yet level 0" if level is None else f"Level {level}"


def _levels(bank: Bank) -> list[int]:
    return sorted(lv.number for lv in bank.levels)


# --- the trend ---------------------------------------------------------------------------------


def quarter(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def level_trend(bank: Bank, teams: Sequence[TeamRecord]) -> tuple[TrendRow, ...]:
    """Per quarter of submission, how many teams stood at each overall level, over the
    submissions scored against `bank`. A team assessed twice in a quarter counts once, with its
    last submission there; a team not assessed in a quarter is not counted in it, since its old
    level would pass for news."""
    last: dict[str, dict[int, Submission]] = {}  # quarter -> team -> its last submission there
    for number, team in enumerate(teams):
        for submission in team.submissions:  # oldest first: the last one wins
            if submission.bank_key == bank.key:
                last.setdefault(quarter(submission.submitted), {})[number] = submission
    columns = [None, *_levels(bank)]
    rows = []
    for period in sorted(last):
        levels = Counter(s.overall for s in last[period].values())
        rows.append(TrendRow(period, len(last[period]), tuple(levels[c] for c in columns)))
    return tuple(rows)


def _trend_note(trend: tuple[TrendRow, ...]) -> str:
    if not trend:
        return "No assessment has been submitted yet, so there is no trend to show."
    if len(trend) == 1:
        return (
            f"Every assessment compared here was submitted in {trend[0].period}: "
            "the trend starts with the next quarter's assessments."
        )
    return ""


# --- what most teams lack ----------------------------------------------------------------------


def practice_gaps(bank: Bank, results: Sequence[Result]) -> tuple[PracticeGap, ...]:
    """Every practice not fully in place in at least one of `results` (all scored against
    `bank`), the practices most teams lack first, then the higher risk, then the lower level,
    then bank order. A team that answered `na` does not lack the practice."""
    traces = [_traces(result) for result in results]
    gaps = []
    for question in bank.questions:
        points = [t[question.code].points for t in traces if question.code in t]
        # Level 0 asks for each practice to be in place, by hand or automated, as the teams'
        # own reports count it; the levels above ask for automation.
        enough = IN_PLACE if question.level == 0 else 1.0
        lacking = sum(1 for p in points if p is not None and p < enough)
        if lacking:
            missing = sum(1 for p in points if p is not None and p < IN_PLACE)
            gaps.append(_gap(bank, question, lacking, missing, len(results)))
    position = _positions(bank)
    return tuple(
        sorted(gaps, key=lambda g: (-g.lacking, -RISK_WEIGHT[g.risk], g.level, position[g.code]))
    )


def _gap(bank: Bank, question: Question, lacking: int, missing: int, compared: int) -> PracticeGap:
    return PracticeGap(
        code=question.code,
        title=question.name,
        phase_name=bank.phase(question.phase).name,
        level=question.level,
        risk=question.risk,
        owner_name=bank.role(question.owner).name,
        lacking=lacking,
        missing=missing,
        compared=compared,
        gate=bool(question.gate),
    )


def _traces(result: Result) -> dict[str, AnswerTrace]:
    return {t.code: t for phase in result.phases for cell in phase.cells for t in cell.answers}


def _positions(bank: Bank) -> dict[str, int]:
    return {question.code: number for number, question in enumerate(bank.questions)}


# --- the organisation-wide plan ----------------------------------------------------------------


def organisation_plan(
    bank: Bank, results: Sequence[Result], gaps: Sequence[PracticeGap]
) -> tuple[tuple[PlanItem, ...], int]:
    """The practices lacking in at least half of the compared teams, in the order to take them,
    each placed in the first 30, 60 or 90 days; and how many do not fit in the 90 days.

    The order: missing gate practices first, then the higher risk, then the more teams, then the
    lower level. A practice waits for a prerequisite (`depends_on`) when some team lacking the
    practice has not put the prerequisite in place at all (done by hand holds nothing up, as in
    a team's plan); such a prerequisite comes first, pulled into the plan if need be. The months
    follow the team plan's rules (scoring/advice.py), so a team reading both finds the same
    pace: the gate first, then what blocks a level, then quick wins, about five a month, and
    never an item in a month before one it waits for."""
    traces = [_traces(result) for result in results]
    by_code = {gap.code: gap for gap in gaps}
    position = _positions(bank)
    chosen = [gap for gap in gaps if 2 * gap.lacking >= len(results)]
    tiers = {gap.code: _tier(bank.question(gap.code), gap) for gap in chosen}
    ordered: list[str] = []
    waits_for: dict[str, tuple[str, ...]] = {}

    def holds_up(prerequisite: str, code: str) -> bool:
        """Some team lacks `code` and has not put `prerequisite` in place at all."""
        return any(_below(t[code], 1.0) and _below(t[prerequisite], IN_PLACE) for t in traces)

    def place(code: str) -> None:
        if code in waits_for:
            return
        prerequisites = tuple(p for p in bank.question(code).depends_on if holds_up(p, code))
        waits_for[code] = prerequisites
        for prerequisite in prerequisites:
            tiers.setdefault(prerequisite, tiers[code])  # pulled in with the tier of its need
            place(prerequisite)
        ordered.append(code)

    for gap in sorted(chosen, key=lambda g: _rank(g, position)):
        place(gap.code)
    periods = plan_periods(
        ordered,
        {code: _candidate(bank.question(code), waits_for[code], tiers[code]) for code in ordered},
    )
    rank = {code: number for number, code in enumerate(ordered)}
    planned = sorted(
        (code for code in ordered if periods[code] is not None),
        key=lambda code: (_period_rank(periods[code]), rank[code]),
    )
    items = []
    for number, code in enumerate(planned, start=1):
        question = bank.question(code)
        days = periods[code]
        assert days is not None
        items.append(
            PlanItem(
                number=number,
                days=days,
                gap=by_code[code],
                action=question.recommendation.action,
                effort_words=EFFORT_WORDS[question.effort],
                needed_for=tuple(by_code[c].title for c in planned if code in waits_for[c]),
            )
        )
    return tuple(items), len(ordered) - len(items)


def _tier(question: Question, gap: PracticeGap) -> int:
    """The team plan's tiers, seen across teams: a gate practice some team has not put in place
    caps that team's overall level; a level-0 practice missing somewhere, or a critical one
    short of automated above level 0, keeps some team's phase below its level."""
    if question.gate and gap.missing:
        return GATE_BLOCKER
    if (question.level == 0 and gap.missing) or (question.level > 0 and question.critical):
        return LEVEL_BLOCKER
    return NEXT_LEVEL


def _rank(gap: PracticeGap, position: dict[str, int]) -> tuple[bool, int, int, int, int]:
    gate_open = gap.gate and gap.missing > 0
    return (not gate_open, -RISK_WEIGHT[gap.risk], -gap.lacking, gap.level, position[gap.code])


def _candidate(question: Question, waits_for: tuple[str, ...], tier: int) -> PlanCandidate:
    """The practice as the team plan's month rules read it. Those rules take a practice's
    prerequisites from its `depends_on`, keeping those still missing; across teams, that is what
    it waits for, so the question goes in with that list as its `depends_on`."""
    trace = AnswerTrace(question.code, AnswerValue.NOT_IN_PLACE, True, 0.0, 0.0)
    return PlanCandidate(replace(question, depends_on=waits_for), trace, 0.0, tier, achieved=-1)


def _below(trace: AnswerTrace, limit: float) -> bool:
    return trace.points is not None and trace.points < limit


def _period_rank(days: int | None) -> int:
    return len(PLAN_PERIODS) if days is None else PLAN_PERIODS.index(days)


def _plan_groups(items: Sequence[PlanItem]) -> tuple[PlanGroup, ...]:
    groups = []
    for days in PLAN_PERIODS:
        members = tuple(item for item in items if item.days == days)
        if members:
            intro = f"{plural(len(members), 'practice')}. {PLAN_INTROS[days]}"
            groups.append(PlanGroup(days, PERIOD_TITLES[days], intro, members))
    return tuple(groups)


# --- the summary -------------------------------------------------------------------------------


def _summary(
    bank: Bank,
    organisation: str,
    teams: int,
    results: Sequence[Result],
    gaps: Sequence[PracticeGap],
    not_assessed: int,
    other_bank: int,
) -> tuple[str, ...]:
    compared = len(results)
    scored = f"scored against {bank.title}, version {bank.version}"
    if not teams:
        return (f"{organisation} has no teams yet.",)
    if not compared:
        whom = f"{organisation}'s only team" if teams == 1 else f"None of the {teams} teams"
        return (f"{whom} has an assessment {scored} yet.",)
    if compared == teams:
        whom = {1: "its only team", 2: "both of its teams"}.get(teams, f"all {teams} of its teams")
    else:
        whom = f"{compared} of its {teams} teams"
    sentences = [
        f"This report compares {whom} on their latest submitted assessment, {scored}.",
        _levels_sentence(bank, results),
    ]
    if weakest := _weakest_phase_sentence(bank, results):
        sentences.append(weakest)
    if gaps:
        top = gaps[0]
        tied = sum(1 for gap in gaps if gap.lacking == top.lacking)
        what = f"{top.title.rstrip('.')} ({top.phase_name}, level {top.level})"
        if tied > 1 and compared > 1:
            # Naming one of many equals would single it out for no reason: say how many.
            sentences.append(
                f"{tied} practices are lacking in {_how_many(top.lacking, compared)}, led by the "
                f"riskiest: {what}."
            )
        elif compared == 1:
            sentences.append(f"The first practice the team lacks, by risk, is {what}.")
        else:
            sentences.append(
                f"The practice most teams lack is {what}: {_lacking_it(top.lacking, compared)}."
            )
    if not_assessed:
        verb = "has" if not_assessed == 1 else "have"
        sentences.append(f"{plural(not_assessed, 'team')} {verb} not been assessed yet.")
    if other_bank:
        verb, pronoun = ("was", "it is") if other_bank == 1 else ("were", "they are")
        sentences.append(
            f"{plural(other_bank, 'team')} {verb} scored against another question bank and "
            f"cannot be compared with the others; {pronoun} listed apart."
        )
    return tuple(sentences)


def _levels_sentence(bank: Bank, results: Sequence[Result]) -> str:
    """ "By overall level: 1 team at level 1 (ML pipeline automation), 2 at level 0 (...)." """
    counts = Counter(result.overall.level for result in results)
    parts: list[str] = []
    for level in [*reversed(_levels(bank)), None]:
        if counts[level]:
            where = (
                "not yet at level 0"
                if level is None
                else (f"at level {level} ({in_prose(bank.level(level).name)})")
            )
            count = plural(counts[level], "team") if not parts else str(counts[level])
            parts.append(f"{count} {where}")
    return f"By overall level: {join_names(parts)}."


def _weakest_phase_sentence(bank: Bank, results: Sequence[Result]) -> str:
    """The phase where teams stand lowest: by the mean level (not yet level 0 below 0), then
    the mean share of points; and how many teams share its lowest level."""
    if len(bank.phases) < 2:
        return ""

    def standing(code: str) -> tuple[float, float]:
        phases = [result.phase(code) for result in results]
        levels = sum(-1 if p.level is None else p.level for p in phases)
        percents = sum(p.percent or 0.0 for p in phases)
        return (levels / len(phases), percents / len(phases))

    standings = {phase.code: standing(phase.code) for phase in bank.phases}
    weakest = min(bank.phases, key=lambda phase: standings[phase.code])
    ranks = [
        -1 if level is None else level for level in (r.phase(weakest.code).level for r in results)
    ]
    lowest = min(ranks)
    where = "not yet at level 0" if lowest < 0 else f"at level {lowest}"
    who = _are(ranks.count(lowest), len(results))
    sentence = f"The weakest phase across teams is {weakest.name}: {who} {where} there"
    mean_level = standings[weakest.code][0]
    if any(s[0] == mean_level for code, s in standings.items() if code != weakest.code):
        # Another phase stands as low by level: the share of points told them apart.
        sentence += ", with the lowest share of the phase's points"
    return sentence + "."


def _are(count: int, total: int) -> str:
    """How many of the compared teams, as a sentence's subject with its verb."""
    if total == 1:
        return "the one team compared is"
    return f"{_how_many(count, total)} {'is' if count == 1 < total else 'are'}"


def _how_many(count: int, total: int) -> str:
    """ "both teams", "all 5 teams", "2 of 5 teams": of the compared teams, with no verb."""
    if count == total:
        return "both teams" if total == 2 else f"all {total} teams"
    return f"{count} of {total} teams"


def _lacking_it(count: int, total: int) -> str:
    if total == 1:
        return "the one team compared does not have it fully in place"
    if count == total:
        return (
            "neither team has it fully in place"
            if total == 2
            else (f"none of the {total} teams has it fully in place")
        )
    return f"{count} of {total} teams {'does' if count == 1 else 'do'} not have it fully in place"
