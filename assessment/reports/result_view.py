"""A scoring result joined with its bank's words, ready for templates. Pure Python: the web page
and the PDF read the same view, so they can never disagree."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from assessment.reports.prose import NBSP, in_prose, join_names, share_text
from assessment.scoring.advice import QUARTER_DAYS
from assessment.scoring.engine import level_label
from assessment.scoring.results import (
    RULE_ALL_IN_PLACE,
    RecommendationResult,
    Result,
    RoleAction,
    RoleResult,
)
from assessment.scoring.types import NOT_ANSWERED, Bank


@dataclass(frozen=True)
class CellView:
    level: int
    level_name: str
    percent: float | None  # None when no question applies
    met: bool
    low_confidence: bool
    applicable: int
    answered: int
    questions: int
    na: int
    critical_failures: tuple[str, ...]
    all_in_place: bool = False  # engine 2's level 0: met when every practice is in place
    in_place: int = 0  # applicable practices at least done by hand
    missing: tuple[str, ...] = ()  # the practices not in place, in words (titles)
    depends_on_na: bool = False  # met only because some practices are marked N/A


@dataclass(frozen=True)
class PhaseView:
    code: str
    name: str
    level: int | None
    label: str
    evidenced_level: int | None
    evidenced_label: str
    percent: float | None
    target: int
    target_given: bool
    cells: tuple[CellView, ...]
    index: float | None = None  # engine 2's ladder index (0 to the number of levels)


@dataclass(frozen=True)
class PracticeView:
    code: str
    statement: str
    answer: str
    title: str = ""


@dataclass(frozen=True)
class RoleView:
    code: str
    name: str
    description: str
    presence: str
    presence_label: str
    gap: float | None
    action: str
    action_label: str
    open_practices: tuple[PracticeView, ...]
    reason: str = ""  # the verdict in one sentence (engine 2); "" for engine-1 results
    first_month: tuple[str, ...] = ()  # titles of its first-month actions
    assign_to: str = ""  # the role's name (and person) to give it to, for "assign"


@dataclass(frozen=True)
class RecommendationView:
    code: str
    statement: str
    phase: str
    phase_name: str
    level: int
    critical: bool
    owner: str
    owner_name: str
    answer: str
    text: str
    first_step: str
    title: str = ""  # the practice in a few words
    gate: str = ""  # what is missing, when it is a gate practice not in place
    period: int | None = None  # 30, 60, 90; None: later (or engine 1)
    blocking: bool = False
    needed_for: tuple[str, ...] = ()  # titles of the actions that need it first
    risk: str = "medium"
    risk_note: str = ""
    impact: str = "medium"
    effort: str = "M"
    person: str = ""  # who holds the owner role, where the assessment names them

    @property
    def name(self) -> str:
        return self.title or self.code

    @property
    def effort_words(self) -> str:
        return EFFORT_WORDS.get(self.effort, "")


EFFORT_WORDS = {"S": "days", "M": "weeks", "L": "a quarter"}
PERIOD_TITLES = {30: "First 30 days", 60: "Days 31 to 60", 90: "Days 61 to 90", None: "Later"}


@dataclass(frozen=True)
class PlanPeriod:
    days: int | None
    title: str
    items: tuple[RecommendationView, ...]


@dataclass(frozen=True)
class GateView:
    """A gate practice that is not in place."""

    code: str
    title: str
    missing: str  # "no threat model of the ML system"
    caps_at: int | None  # the highest overall level it allows; None: below level 0
    binding: bool  # holds the overall level down now


@dataclass(frozen=True)
class NotApplicableView:
    code: str
    title: str
    phase_name: str
    reason: str


@dataclass(frozen=True)
class ResultView:
    bank_key: str
    engine_version: str
    threshold: float
    overall_level: int | None
    overall_label: str
    overall_evidenced_label: str
    phases: tuple[PhaseView, ...]
    roles: tuple[RoleView, ...]
    recommendations: tuple[RecommendationView, ...]
    unknown: tuple[str, ...]
    levels: tuple[tuple[int, str], ...]  # (number, name), lowest first
    # Engine 2 (None or empty for results scored before it: they read as they always did).
    index: float | None = None
    levels_count: int = 0
    uncapped_label: str = ""
    capped: bool = False
    gate: tuple[GateView, ...] = ()
    not_applicable: tuple[NotApplicableView, ...] = ()
    weak_evidence: tuple[str, ...] = ()
    plan: tuple[PlanPeriod, ...] = ()  # engine 2: the recommendations by period, in order

    @property
    def first_month(self) -> tuple[RecommendationView, ...]:
        return self.plan[0].items if self.plan and self.plan[0].days == 30 else ()

    @property
    def binding_gate(self) -> tuple[GateView, ...]:
        return tuple(g for g in self.gate if g.binding)

    @property
    def roles_needing_action(self) -> tuple[RoleView, ...]:
        return tuple(role for role in self.roles if role.action != RoleAction.OK)


def result_view(bank: Bank, result: Result, people: Mapping[str, str] | None = None) -> ResultView:
    """`people`: role code -> who holds it ("Sam Lee"), where the assessment knows."""
    people = people or {}
    answers = dict(result.answers)
    # Results scored by engine 1 read exactly as they did: no index, no N/A summary.
    modern = result.model >= 2

    def answer_words(code: str) -> str:
        answer = answers.get(code)
        return answer.value.label_at(bank.question(code).level) if answer else NOT_ANSWERED

    phases = tuple(
        PhaseView(
            code=phase.code,
            name=bank.phase(phase.code).name,
            level=phase.level,
            label=phase.label,
            evidenced_level=phase.evidenced_level,
            evidenced_label=phase.evidenced_label,
            percent=phase.percent,
            target=phase.target,
            target_given=phase.target_given,
            cells=tuple(
                CellView(
                    level=cell.level,
                    level_name=bank.level(cell.level).name,
                    percent=cell.percent,
                    met=cell.met,
                    low_confidence=cell.low_confidence,
                    applicable=cell.applicable,
                    answered=cell.answered,
                    questions=cell.questions,
                    na=cell.na,
                    critical_failures=cell.critical_failures,
                    all_in_place=cell.rule == RULE_ALL_IN_PLACE,
                    in_place=cell.in_place,
                    missing=tuple(bank.question(code).name for code in cell.not_in_place),
                    depends_on_na=cell.depends_on_na,
                )
                for cell in phase.cells
            ),
            index=phase.index if modern else None,
        )
        for phase in result.phases
    )
    roles = tuple(
        RoleView(
            code=role.code,
            name=bank.role(role.code).name,
            description=bank.role(role.code).description,
            presence=role.presence.value,
            presence_label=role.presence.label,
            gap=role.gap,
            action=role.action.value,
            action_label=role.action.label,
            open_practices=tuple(
                PracticeView(
                    code=code,
                    statement=bank.question(code).statement,
                    answer=answer_words(code),
                    title=bank.question(code).title,
                )
                for code in role.open_practices
            ),
            reason=role_reason(bank, role, people) if role.risk_weighted else "",
            first_month=tuple(bank.question(code).name for code in role.first_month),
            assign_to=_holder(bank, role.assign_to, people),
        )
        for role in result.roles
    )
    recommendations = tuple(
        _recommendation_view(bank, rec, people) for rec in result.recommendations
    )
    plan = _plan(recommendations) if modern else ()
    binding = {g.code for g in result.binding_gate}
    gate = tuple(
        GateView(
            code=missing.code,
            title=bank.question(missing.code).name,
            missing=missing.missing,
            caps_at=missing.caps_at,
            binding=missing.code in binding,
        )
        for missing in result.gate
    )
    not_applicable = tuple(
        NotApplicableView(
            code=code,
            title=bank.question(code).name,
            phase_name=bank.phase(bank.question(code).phase).name,
            reason=reason,
        )
        for code, reason in result.not_applicable
    )
    return ResultView(
        bank_key=result.bank_key,
        engine_version=result.engine_version,
        threshold=result.threshold,
        overall_level=result.overall.level,
        overall_label=result.overall.label,
        overall_evidenced_label=result.overall.evidenced_label,
        phases=phases,
        roles=roles,
        recommendations=recommendations,
        unknown=result.unknown,
        levels=tuple((lv.number, lv.name) for lv in bank.levels),
        index=result.index if modern else None,
        levels_count=len(bank.levels),
        uncapped_label=level_label(bank, result.overall.uncapped_level),
        capped=result.overall.capped,
        gate=gate,
        not_applicable=not_applicable if modern else (),
        weak_evidence=result.weak_evidence,
        plan=plan,
    )


def _recommendation_view(
    bank: Bank, rec: RecommendationResult, people: Mapping[str, str]
) -> RecommendationView:
    question = bank.question(rec.code)
    return RecommendationView(
        code=rec.code,
        statement=question.statement,
        phase=rec.phase,
        phase_name=bank.phase(rec.phase).name,
        level=rec.level,
        critical=rec.critical,
        owner=rec.owner,
        owner_name=bank.role(rec.owner).name,
        answer=rec.answer.label_at(rec.level) if rec.answered else NOT_ANSWERED,
        text=rec.text,
        first_step=rec.first_step,
        title=question.title,
        gate=rec.gate,
        period=rec.period,
        blocking=rec.blocking,
        needed_for=tuple(bank.question(code).name for code in rec.needed_for),
        risk=question.risk,
        risk_note=question.risk_note,
        impact=question.impact,
        effort=question.effort,
        person=people.get(rec.owner, ""),
    )


def _plan(recommendations: tuple[RecommendationView, ...]) -> tuple[PlanPeriod, ...]:
    periods: dict[int | None, list[RecommendationView]] = {}
    for rec in recommendations:
        periods.setdefault(rec.period, []).append(rec)
    return tuple(
        PlanPeriod(days, PERIOD_TITLES[days], tuple(periods[days]))
        for days in (30, 60, 90, None)
        if days in periods
    )


def _holder(bank: Bank, role: str, people: Mapping[str, str]) -> str:
    if not role:
        return ""
    name = in_prose(bank.role(role).name)
    return f"{name} ({people[role]})" if role in people else name


def _at_most_two(names: list[str]) -> list[str]:
    """Two names, then how many more: "“A”, “B” and 2 more"."""
    return names if len(names) <= 2 else [*names[:2], f"{len(names) - 2} more"]


def role_reason(bank: Bank, role: RoleResult, people: Mapping[str, str]) -> str:
    """The verdict in one sentence, with the fact that decided it."""
    name = in_prose(bank.role(role.code).name)
    first = [f"\u201c{bank.question(code).name}\u201d" for code in role.first_month]
    gate = [f"\u201c{bank.question(code).name}\u201d" for code in role.owns_missing_gate]
    gap = "" if role.gap is None else share_text(role.gap)
    if role.action is RoleAction.OK:
        if role.gap is None:
            return "No practice within reach of the targets is linked to this role."
        if role.gap >= 0.5:
            return (
                f"{gap} of its practices within reach are missing, but none of its actions is "
                "in the next 90 days: no change to the team is needed yet."
            )
        return (
            "Nothing it owns is in the first 30 days, and its practices in reach are largely "
            "in place."
        )
    because = (
        f"it answers for {gate[0]}, a gate practice that is missing"
        if gate
        else f"it owns {join_names(_at_most_two(first))} in the first 30 days"
        if first
        else f"{gap} of its practices within reach, weighted by risk, are missing"
    )
    share = role.plan_days * 100 // QUARTER_DAYS
    load = (
        f"its actions come to about {share}{NBSP}% of one person's time over 90 days"
        if share
        else "none of its actions is in the 90-day plan yet"
    )
    too_much = (
        " That is more than one person can carry: share the work or stretch the plan."
        if share > 100
        else ""
    )
    if role.action is RoleAction.STRENGTHEN:
        holder = f" ({people[role.code]})" if role.code in people else ""
        return f"Give the {name}{holder} the time and mandate: {because}; {load}.{too_much}"
    if role.code in people:
        # The composition says nobody holds it, yet someone answered in that role.
        return (
            f"The team composition says nobody is the {name}, yet {people[role.code]} answered "
            f"as one: correct the composition, or give them the time and mandate: {because}; "
            f"{load}.{too_much}"
        )
    if role.action is RoleAction.ASSIGN:
        who = _holder(bank, role.assign_to, people)
        target = f"give it to the {who}" if who else "name one person to own it"
        return f"Nobody is named as {name}: {target}, since {because}; {load}.{too_much}"
    return (
        f"Nobody holds the {name} role, and {because}; {load}, more than a side task: add the "
        f"role.{too_much}"
    )
