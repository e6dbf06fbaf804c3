"""Score one assessment against a question bank: levels, role gaps and recommendations.

The method is documented for consultants in docs/scoring.md; keep the two in step. Any change to
what a given input produces must bump ENGINE_VERSION, which every result records.
"""

from __future__ import annotations

from fractions import Fraction

from assessment.scoring import advice
from assessment.scoring.evidence import counts_as_evidence
from assessment.scoring.results import (
    IN_PLACE,
    LEVEL_LABEL,
    NOT_YET_LEVEL_0,
    RULE_ALL_IN_PLACE,
    RULE_THRESHOLD,
    AnswerTrace,
    CellResult,
    GateMissing,
    OverallResult,
    PhaseResult,
    Result,
)
from assessment.scoring.types import (
    Answer,
    AnswerValue,
    AssessmentInput,
    Bank,
    Level,
    Question,
)

ENGINE_VERSION = "2.0.0"

GAP_FOR_ACTION = float(advice.GAP_FOR_ACTION)  # a role needs attention from this gap up
LOW_CONFIDENCE_NA_SHARE = Fraction(1, 5)  # a cell with more than this share of `na` is flagged


def score(bank: Bank, given: AssessmentInput) -> Result:
    """Score `given` against `bank`; raise ValueError when the input does not fit the bank."""
    traces, problems = _traces(bank, given.answers)
    problems += _other_input_problems(bank, given)
    if problems:
        raise ValueError("; ".join(problems))

    levels = sorted(bank.levels, key=_level_number)
    threshold = float(given.threshold)
    # Compare percentages exactly: 100·points/applicable ≥ threshold, in integers, so a cell at
    # 2/3 never passes a 66.67 threshold through float rounding, nor fails one it should pass.
    threshold_ratio = Fraction(repr(threshold)).as_integer_ratio()
    cells = _questions_by_cell(bank)
    phases = tuple(
        _phase_result(bank, levels, phase.code, cells, traces, threshold_ratio, given.targets)
        for phase in bank.phases
    )
    gate = _gate(bank, traces)
    overall = _overall(bank, phases, gate)
    ranked = advice.recommendations(bank, phases, traces, overall.uncapped_level)
    return Result(
        bank_slug=bank.slug,
        bank_version=bank.version,
        engine_version=ENGINE_VERSION,
        threshold=threshold,
        overall=overall,
        phases=phases,
        roles=advice.roles(bank, given.team, traces, phases, gate, ranked),
        recommendations=ranked,
        gate=gate,
        unknown=tuple(code for code, t in traces.items() if t.answered and t.value is _UNKNOWN),
        unanswered=tuple(code for code, t in traces.items() if not t.answered),
        answers=tuple(
            (q.code, given.answers[q.code]) for q in bank.questions if q.code in given.answers
        ),
        team=tuple((r.code, given.team[r.code]) for r in bank.roles if r.code in given.team),
        targets=tuple(
            (p.code, given.targets[p.code]) for p in bank.phases if p.code in given.targets
        ),
    )


def level_label(bank: Bank, level: int | None) -> str:
    """E.g. "Level 1 \u2013 ML pipeline automation"; "Not yet level 0" for None."""
    if level is None:
        return NOT_YET_LEVEL_0
    return LEVEL_LABEL.format(number=level, name=bank.level(level).name)


# --- input -------------------------------------------------------------------------------------

_UNKNOWN = AnswerValue.UNKNOWN
_NOT_APPLICABLE = AnswerValue.NOT_APPLICABLE


def _traces(bank: Bank, answers: dict[str, Answer]) -> tuple[dict[str, AnswerTrace], list[str]]:
    """Each question's answer as counted, in bank order, and what does not fit the bank."""
    traces: dict[str, AnswerTrace] = {}
    problems: list[str] = []
    matched = 0
    for question in bank.questions:
        code = question.code
        answer = answers.get(code)
        if answer is None:
            # No answer counts as "unknown": it scores 0, and the result lists it as unanswered.
            traces[code] = AnswerTrace(code, _UNKNOWN, False, 0.0, 0.0)
            continue
        matched += 1
        value = answer.value
        if value is _NOT_APPLICABLE and not question.allow_na:
            problems.append(f"answer for {code!r}: 'na' is not allowed for this question")
        points = value.points
        evidenced = points
        if points == 1.0 and not counts_as_evidence(answer.evidence):
            # A claim of "automated" nobody can point to counts as manual; "yes" or "x" in the
            # evidence box points to nothing either (scoring/evidence.py).
            evidenced = 0.5
        traces[code] = AnswerTrace(code, value, True, points, evidenced)
    if matched < len(answers):
        problems[:0] = [
            f"answer for {code!r}: no such question in {bank.key}"
            for code in answers
            if code not in traces
        ]
    return traces, problems


def _other_input_problems(bank: Bank, given: AssessmentInput) -> list[str]:
    problems = []
    role_codes = {role.code for role in bank.roles}
    problems += [
        f"team: no role {role!r} in {bank.key}" for role in given.team if role not in role_codes
    ]
    phase_codes = {phase.code for phase in bank.phases}
    level_numbers = {level.number for level in bank.levels}
    for phase, target in given.targets.items():
        if phase not in phase_codes:
            problems.append(f"targets: no phase {phase!r} in {bank.key}")
        if target not in level_numbers:
            problems.append(f"targets: {target!r} is not a level of {bank.key}")
    if not 0 < given.threshold <= 100:
        problems.append(f"threshold: {given.threshold!r} is not above 0 and at most 100")
    return problems


def _level_number(level: Level) -> int:
    return level.number


# --- cells and phases --------------------------------------------------------------------------


def _questions_by_cell(bank: Bank) -> dict[tuple[str, int], list[Question]]:
    # One pass over the bank instead of one per cell (Bank.questions_in scans them all).
    cells: dict[tuple[str, int], list[Question]] = {}
    for question in bank.questions:
        cells.setdefault((question.phase, question.level), []).append(question)
    return cells


def _phase_result(
    bank: Bank,
    levels: list[Level],
    phase: str,
    questions_by_cell: dict[tuple[str, int], list[Question]],
    traces: dict[str, AnswerTrace],
    threshold_ratio: tuple[int, int],
    targets: dict[str, int],
) -> PhaseResult:
    cells = tuple(
        _cell_result(
            phase,
            level.number,
            questions_by_cell.get((phase, level.number), []),
            traces,
            threshold_ratio,
        )
        for level in levels
    )
    level = _cumulative_level(cells, evidenced=False)
    evidenced_level = _cumulative_level(cells, evidenced=True)
    top_level = levels[-1].number
    if phase in targets:
        target, target_given = targets[phase], True
    else:
        target = levels[0].number if level is None else min(level + 1, top_level)
        target_given = False
    return PhaseResult(
        code=phase,
        level=level,
        evidenced_level=evidenced_level,
        label=level_label(bank, level),
        evidenced_label=level_label(bank, evidenced_level),
        points=sum(cell.points for cell in cells),
        applicable=sum(cell.applicable for cell in cells),
        target=target,
        target_given=target_given,
        cells=cells,
    )


def _cell_result(
    phase: str,
    level: int,
    questions: list[Question],
    traces: dict[str, AnswerTrace],
    threshold_ratio: tuple[int, int],
) -> CellResult:
    # The foundation may be manual; from level 1 up a critical practice must be automated.
    critical_minimum = IN_PLACE if level == 0 else 1.0
    answered = applicable = 0
    points = evidenced_points = 0.0
    critical_failures: list[str] = []
    evidenced_critical_failures: list[str] = []
    # Applicable practices below "done by hand": what level 0, which needs all in place, counts.
    not_in_place = evidenced_not_in_place = 0
    answers = []
    for question in questions:
        trace = traces[question.code]
        answers.append(trace)
        answered += trace.answered
        if trace.points is None or trace.evidenced_points is None:
            continue  # `na`: out of the denominator
        applicable += 1
        points += trace.points
        evidenced_points += trace.evidenced_points
        not_in_place += trace.points < IN_PLACE
        evidenced_not_in_place += trace.evidenced_points < IN_PLACE
        if question.critical:
            if trace.points < critical_minimum:
                critical_failures.append(question.code)
            if trace.evidenced_points < critical_minimum:
                evidenced_critical_failures.append(question.code)
    na = len(questions) - applicable
    foundation = level == 0
    if foundation:
        # Level 0 asks for every practice in place, by hand or automated: a share of points
        # would call a team doing everything by hand "50 %, not yet level 0".
        reaches = not not_in_place
        evidenced_reaches = not evidenced_not_in_place
        reaches_without_na = reaches and not na
    else:
        reaches = _reaches(points, applicable, threshold_ratio)
        evidenced_reaches = _reaches(evidenced_points, applicable, threshold_ratio)
        # An `na` leaves the denominator; counted as 0 instead, would the cell still pass?
        reaches_without_na = _reaches(points, len(questions), threshold_ratio)
    met = reaches and not critical_failures
    return CellResult(
        phase=phase,
        level=level,
        questions=len(questions),
        answered=answered,
        applicable=applicable,
        points=points,
        evidenced_points=evidenced_points,
        reaches_threshold=reaches,
        evidenced_reaches_threshold=evidenced_reaches,
        critical_failures=tuple(critical_failures),
        evidenced_critical_failures=tuple(evidenced_critical_failures),
        low_confidence=na * LOW_CONFIDENCE_NA_SHARE.denominator
        > len(questions) * LOW_CONFIDENCE_NA_SHARE.numerator,
        answers=tuple(answers),
        rule=RULE_ALL_IN_PLACE if foundation else RULE_THRESHOLD,
        depends_on_na=met and bool(na) and not reaches_without_na,
    )


def _reaches(points: float, applicable: int, threshold_ratio: tuple[int, int]) -> bool:
    """100·points/applicable ≥ threshold, computed exactly (points are whole halves)."""
    if not applicable:
        return True  # nothing applies: the cell does not block the level
    numerator, denominator = threshold_ratio
    halves = round(points * 2)
    return 50 * halves * denominator >= numerator * applicable


def _cumulative_level(cells: tuple[CellResult, ...], *, evidenced: bool) -> int | None:
    """The highest level whose cell, and every cell below it, is met; None if level 0 is not."""
    reached = None
    for cell in cells:
        if not (cell.evidenced_met if evidenced else cell.met):
            break
        reached = cell.level
    return reached


def _gate(bank: Bank, traces: dict[str, AnswerTrace]) -> tuple[GateMissing, ...]:
    """Gate practices not in place. Evidence does not matter here: only a practice that exists
    can be evidenced, and the gate asks whether it exists at all."""
    return tuple(
        GateMissing(code=q.code, level=q.level, missing=q.gate)
        for q in bank.questions
        if q.gate and (traces[q.code].points or 0.0) < IN_PLACE
    )


def _overall(
    bank: Bank, phases: tuple[PhaseResult, ...], gate: tuple[GateMissing, ...]
) -> OverallResult:
    uncapped = _lowest([phase.level for phase in phases])
    evidenced_uncapped = _lowest([phase.evidenced_level for phase in phases])
    level = _capped(uncapped, gate)
    evidenced_level = _capped(evidenced_uncapped, gate)
    return OverallResult(
        level=level,
        evidenced_level=evidenced_level,
        label=level_label(bank, level),
        evidenced_label=level_label(bank, evidenced_level),
        uncapped_level=uncapped,
        evidenced_uncapped_level=evidenced_uncapped,
    )


def _capped(level: int | None, gate: tuple[GateMissing, ...]) -> int | None:
    # The gate is a ceiling, not a weight: a missing privacy review or drift detection is not
    # made up for by excellent automation elsewhere (docs/scoring.md, "The gate").
    for missing in gate:
        if level is None:
            break
        cap = missing.caps_at
        level = None if cap is None else min(level, cap)
    return level


def _lowest(levels: list[int | None]) -> int | None:
    # A missing foundation anywhere is the overall answer: no average may hide it.
    if not levels or None in levels:
        return None
    return min(level for level in levels if level is not None)
