"""What to do next, in what order, and who answers for it: the ranked recommendations, the
30/60/90-day plan drawn from them, and each role's verdict.

The method is in docs/scoring.md ("Recommendations", "The plan", "Role gaps"); keep them in step.
Everything here is exact and deterministic: the same answers always give the same plan.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from assessment.scoring.results import (
    IN_PLACE,
    AnswerTrace,
    GateMissing,
    PhaseResult,
    RecommendationResult,
    RoleAction,
    RoleResult,
)
from assessment.scoring.types import Bank, Presence, Question

GAP_FOR_ACTION = Fraction(1, 2)  # a role needs attention from this risk-weighted gap up
PLAN_PERIODS = (30, 60, 90)  # days; what does not fit is "later"
ITEMS_PER_PERIOD = 5  # a team can carry about this many improvements a month beside its work
BLOCKER_SLOTS = 4  # of the first month's slots; the rest go to quick wins when there are any
RISK_WEIGHT = {"high": 3, "medium": 2, "low": 1}
IMPACT_VALUE = {"high": 3, "medium": 2, "low": 1}
EFFORT_DAYS = {"S": 3, "M": 10, "L": 30}  # person-days, to size the plan and a role's share
QUARTER_DAYS = 60  # working days in 90 calendar days
SMALL_TEAM = 4  # roles held (present or shared) up to which absent roles are given, not hired

# Tiers, lowest first: what the ranking puts ahead of risk and value.
GATE_BLOCKER = 0  # a missing gate practice that holds back the next overall level
LEVEL_BLOCKER = 1  # in a phase's next level: a critical short of its minimum, or level 0 missing
NEXT_LEVEL = 2  # the rest of a phase's next level
IN_REACH = 3  # up to the target, a high-risk gap beyond it, or a missing gate practice


@dataclass(frozen=True)
class PlanCandidate:
    """A practice the plan may schedule. Public for the portfolio's organisation-wide plan,
    which schedules practices across teams with the same month rules (`plan_periods`): the
    question's `depends_on` lists what it waits for, `points` its answer (below `IN_PLACE`
    means not in place at all), `tier` its rank tier (GATE_BLOCKER first)."""

    question: Question
    trace: AnswerTrace
    points: float
    tier: int
    achieved: int


def recommendations(
    bank: Bank,
    phases: tuple[PhaseResult, ...],
    traces: Mapping[str, AnswerTrace],
    uncapped_level: int | None,
) -> tuple[RecommendationResult, ...]:
    """Every practice worth doing next, in the order to do it, each with its plan period."""
    by_phase = {phase.code: phase for phase in phases}
    next_overall = 0 if uncapped_level is None else uncapped_level + 1
    candidates: dict[str, PlanCandidate] = {}
    for question in bank.questions:
        trace = traces[question.code]
        points = trace.points
        if points is None or points >= 1.0:
            continue
        tier = _tier(question, points, by_phase[question.phase], next_overall)
        if tier is not None:
            phase = by_phase[question.phase]
            achieved = -1 if phase.level is None else phase.level
            candidates[question.code] = PlanCandidate(question, trace, points, tier, achieved)
    ordered, needed_for = _respecting_dependencies(bank, traces, candidates, by_phase)
    periods = plan_periods(ordered, candidates)
    position = {code: index for index, code in enumerate(ordered)}
    ordered.sort(key=lambda code: (_period_rank(periods[code]), position[code]))
    return tuple(_result(candidates[code], periods[code], needed_for[code]) for code in ordered)


def _tier(question: Question, points: float, phase: PhaseResult, next_overall: int) -> int | None:
    gate_open = bool(question.gate) and points < IN_PLACE
    if gate_open and question.level <= next_overall:
        return GATE_BLOCKER
    # Beyond the phase's target only a missing gate practice or a high-risk gap is shown.
    if not (question.level <= phase.target or gate_open or question.risk == "high"):
        return None
    next_level = 0 if phase.level is None else phase.level + 1
    if question.level == next_level:
        minimum = IN_PLACE if question.level == 0 else 1.0
        short = points < IN_PLACE if question.level == 0 else question.critical
        return LEVEL_BLOCKER if short and points < minimum else NEXT_LEVEL
    return IN_REACH


def _rank(candidate: PlanCandidate) -> tuple[int, int, Fraction, int, int, bool, float, str]:
    question = candidate.question
    value = Fraction(IMPACT_VALUE[question.impact], EFFORT_DAYS[question.effort])
    return (
        candidate.tier,
        -RISK_WEIGHT[question.risk],
        -value,
        question.level,
        candidate.achieved,
        not question.critical,
        candidate.points,
        question.code,
    )


def _respecting_dependencies(
    bank: Bank,
    traces: Mapping[str, AnswerTrace],
    candidates: dict[str, PlanCandidate],
    by_phase: Mapping[str, PhaseResult],
) -> tuple[list[str], dict[str, tuple[str, ...]]]:
    """The ranked codes with every practice placed after the prerequisites it lacks (those not
    yet in place); such a prerequisite is pulled in even when it was not recommended, just
    before what needs it. A prerequisite already in place, by hand, does not hold anything up."""
    ordered: list[str] = []
    placed: set[str] = set()
    needed_for: dict[str, list[str]] = {}  # pulled in, and for which recommendations

    def place(code: str) -> None:
        if code in placed:
            return
        placed.add(code)
        for dependency in bank.question(code).depends_on:
            trace = traces[dependency]
            missing = trace.points is not None and trace.points < IN_PLACE
            if not missing:
                continue
            if dependency in needed_for:
                needed_for[dependency].append(code)
            elif dependency not in candidates:
                question = bank.question(dependency)
                phase = by_phase[question.phase]
                candidates[dependency] = PlanCandidate(
                    question,
                    trace,
                    trace.points or 0.0,
                    candidates[code].tier,
                    -1 if phase.level is None else phase.level,
                )
                needed_for.setdefault(dependency, []).append(code)
            place(dependency)
        ordered.append(code)

    for candidate in sorted(candidates.values(), key=_rank):
        place(candidate.question.code)
    return ordered, {code: tuple(needed_for.get(code, ())) for code in ordered}


def plan_periods(
    ordered: list[str], candidates: Mapping[str, PlanCandidate]
) -> dict[str, int | None]:
    """30, 60 or 90 days, or None (later). The first month takes the blockers, then the quick
    wins (effort S) whose prerequisites are already in it; every month after takes the next
    ones in order. Nothing lands in a month before what it depends on."""
    periods: dict[str, int | None] = dict.fromkeys(ordered)
    first = PLAN_PERIODS[0]

    def ready(code: str) -> bool:
        return all(periods[d] == first for d in _lacking(code, candidates))

    taken = 0
    # The gate first, whatever the count: each missing gate practice and what it needs.
    for code in ordered:
        if candidates[code].tier == GATE_BLOCKER:
            for needed in _prerequisites(code, candidates):
                if periods[needed] is None:
                    periods[needed] = first
                    taken += 1
    for code in ordered:
        blocker = candidates[code].tier <= LEVEL_BLOCKER
        if taken < BLOCKER_SLOTS and periods[code] is None and blocker and ready(code):
            periods[code] = first
            taken += 1
    for code in ordered:
        quick = candidates[code].question.effort == "S"
        if taken < ITEMS_PER_PERIOD and periods[code] is None and quick and ready(code):
            periods[code] = first
            taken += 1
    remaining = [code for code in ordered if periods[code] is None]
    # Fill what is left of the first month, then the next ones, in order.
    slots = [first] * (ITEMS_PER_PERIOD - taken)
    slots += [days for days in PLAN_PERIODS[1:] for _ in range(ITEMS_PER_PERIOD)]
    for code, days in zip(remaining, slots, strict=False):
        # Never ahead of a prerequisite that landed later.
        latest = max(
            (_period_rank(periods[d]) for d in _lacking(code, candidates)),
            default=0,
        )
        periods[code] = days if _period_rank(days) >= latest else _unrank(latest)
    return periods


def _lacking(code: str, candidates: Mapping[str, PlanCandidate]) -> list[str]:
    """The prerequisites of `code` that are not yet in place (all of them are candidates)."""
    return [
        d
        for d in candidates[code].question.depends_on
        if d in candidates and candidates[d].points < IN_PLACE
    ]


def _prerequisites(code: str, candidates: Mapping[str, PlanCandidate]) -> list[str]:
    """`code` and the prerequisites it lacks, theirs first."""
    found: list[str] = []

    def visit(current: str) -> None:
        for dependency in _lacking(current, candidates):
            if dependency not in found:
                visit(dependency)
        if current not in found:
            found.append(current)

    visit(code)
    return found


def _period_rank(days: int | None) -> int:
    return len(PLAN_PERIODS) if days is None else PLAN_PERIODS.index(days)


def _unrank(rank: int) -> int | None:
    return None if rank >= len(PLAN_PERIODS) else PLAN_PERIODS[rank]


def _result(
    candidate: PlanCandidate, period: int | None, needed_for: tuple[str, ...]
) -> RecommendationResult:
    question, trace, points = candidate.question, candidate.trace, candidate.points
    return RecommendationResult(
        code=question.code,
        phase=question.phase,
        level=question.level,
        critical=question.critical,
        owner=question.owner,
        answer=trace.value,
        answered=trace.answered,
        points=points,
        text=question.recommendation.action,
        first_step=question.recommendation.first_step,
        gate=question.gate if points < IN_PLACE else "",
        period=period,
        blocking=candidate.tier <= LEVEL_BLOCKER,
        needed_for=needed_for,
    )


# --- roles -------------------------------------------------------------------------------------


def roles(
    bank: Bank,
    team: Mapping[str, Presence],
    traces: Mapping[str, AnswerTrace],
    phases: tuple[PhaseResult, ...],
    gate: tuple[GateMissing, ...],
    ranked: tuple[RecommendationResult, ...],
) -> tuple[RoleResult, ...]:
    """Each role's gap over the practices in reach (up to the phase's target, and the gate),
    weighted by risk, and its verdict: a role that owns a first-month action or a missing gate
    practice always needs attention."""
    by_phase = {phase.code: phase for phase in phases}
    missing_gate = {missing.code for missing in gate}
    owned: dict[str, list[AnswerTrace]] = {role.code: [] for role in bank.roles}
    contributed: dict[str, list[AnswerTrace]] = {role.code: [] for role in bank.roles}
    open_practices: dict[str, list[str]] = {role.code: [] for role in bank.roles}
    # Whole numbers, exact and fast: an owner's weight counts 2, a contributor's 1, times the
    # risk weight; a practice's missing part in halves of a point (0, 1 or 2).
    weight = dict.fromkeys(owned, 0)
    shortfall = dict.fromkeys(owned, 0)
    for question in bank.questions:
        trace = traces[question.code]
        if trace.points is None:
            continue  # `na` questions tell nothing about a role
        in_reach = (
            question.level <= by_phase[question.phase].target or question.code in missing_gate
        )
        missing_halves = 2 - round(trace.points * 2)
        linked = [(question.owner, True)]
        for contributor in question.contributors:
            # A role counts once per question, at its highest weight.
            if contributor != question.owner:
                linked.append((contributor, False))
        for code, as_owner in linked:
            if code not in owned:
                continue
            (owned if as_owner else contributed)[code].append(trace)
            if missing_halves:
                open_practices[code].append(question.code)
            if in_reach:
                w = (2 if as_owner else 1) * RISK_WEIGHT[question.risk]
                weight[code] += 2 * w
                shortfall[code] += w * missing_halves
    first_month = {rec.code for rec in ranked if rec.period == PLAN_PERIODS[0]}
    plan_days = dict.fromkeys(owned, 0)
    first_month_items: dict[str, list[str]] = {code: [] for code in owned}
    for rec in ranked:
        if rec.owner in plan_days and rec.period is not None:
            plan_days[rec.owner] += EFFORT_DAYS[bank.question(rec.code).effort]
        if rec.owner in first_month_items and rec.code in first_month:
            first_month_items[rec.owner].append(rec.code)
    gate_owned = {
        code: [m.code for m in gate if bank.question(m.code).owner == code] for code in owned
    }
    held = [r.code for r in bank.roles if team.get(r.code) in (Presence.PRESENT, Presence.SHARED)]
    results = []
    for role in bank.roles:
        code = role.code
        presence = team.get(code, Presence.UNKNOWN)
        gap = Fraction(shortfall[code], weight[code]) if weight[code] else None
        # The verdict is about the next 90 days: a wide gap whose actions all come later is
        # not a reason to act on the role now.
        attention = bool(
            first_month_items[code]
            or gate_owned[code]
            or (gap is not None and gap >= GAP_FOR_ACTION and plan_days[code] > 0)
        )
        action, assign_to = _verdict(
            bank, presence, attention, plan_days[code], held, open_practices[code]
        )
        results.append(
            RoleResult(
                code=code,
                presence=presence,
                action=action,
                open_practices=tuple(open_practices[code]),
                owned=tuple(owned[code]),
                contributed=tuple(contributed[code]),
                weighted_gap=None if gap is None else round(float(gap), 4),
                risk_weighted=True,
                first_month=tuple(first_month_items[code]),
                owns_missing_gate=tuple(gate_owned[code]),
                plan_days=plan_days[code],
                assign_to=assign_to,
            )
        )
    return tuple(results)


def _verdict(
    bank: Bank,
    presence: Presence,
    attention: bool,
    plan_days: int,
    held: list[str],
    open_practices: list[str],
) -> tuple[RoleAction, str]:
    if not attention:
        return RoleAction.OK, ""
    if presence in (Presence.PRESENT, Presence.SHARED):
        return RoleAction.STRENGTHEN, ""
    holder = _best_holder(bank, held, open_practices) if held else ""
    if presence is Presence.UNKNOWN:
        # Nobody said whether the team has it: ask for an owner, not a hire.
        return RoleAction.ASSIGN, holder
    # Nobody holds the role. A small team, or a small load, is better served by giving it to
    # someone already there than by a hire: say who, by who already contributes most.
    if len(held) <= SMALL_TEAM or plan_days < QUARTER_DAYS // 3:
        return RoleAction.ASSIGN, holder
    return RoleAction.ADD, ""


def _best_holder(bank: Bank, held: list[str], open_practices: list[str]) -> str:
    """The role already in the team most involved in these practices; ties in bank order."""
    involvement = dict.fromkeys(held, 0)
    for code in open_practices:
        question = bank.question(code)
        for role in (question.owner, *question.contributors):
            if role in involvement:
                involvement[role] += 1
    best = max(held, key=lambda role: (involvement[role], -held.index(role)))
    # Nobody in the team touches these practices: better to ask for a name than to guess one.
    return best if involvement[best] else ""
