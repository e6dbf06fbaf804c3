"""The executive summary: the overall level in words, each phase's blocker, first actions, roles."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.reports.prose import (
    NBSP,
    first_sentence,
    in_sentence,
    join_names,
    percent_text,
    plural,
    rounded,
    share_text,
)
from assessment.reports.result_view import (
    CellView,
    NotApplicableView,
    PhaseView,
    RecommendationView,
    ResultView,
)
from assessment.reports.sections.progress import ProgressView
from assessment.scoring.advice import RISK_WEIGHT
from assessment.scoring.compare import DOWN, UP
from assessment.scoring.engine import GAP_FOR_ACTION
from assessment.scoring.results import IN_PLACE, Result, RoleAction
from assessment.scoring.types import AnswerValue, Bank, Presence

TOP_ACTIONS = 5  # the executive summary lists at most this many actions
# The first page names at most this many first-month actions, so that it stays one page; the
# roadmap lists them all.
GLANCE_ACTIONS = 6


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
    # Engine 2: the index and the gate in words, and every N/A with its reason.
    index_sentence: str = ""
    gate_sentence: str = ""
    not_applicable: tuple[NotApplicableView, ...] = ()
    # For a business reader: what changed (a regression first), strengths, risks, the plan.
    change_sentence: str = ""
    regressed: bool = False
    strengths: tuple[str, ...] = ()
    risks: tuple[RiskLine, ...] = ()
    first_month: tuple[RecommendationView, ...] = ()

    @property
    def glance_actions(self) -> tuple[RecommendationView, ...]:
        return self.first_month[:GLANCE_ACTIONS]

    @property
    def glance_more(self) -> int:
        return max(0, len(self.first_month) - GLANCE_ACTIONS)


@dataclass(frozen=True)
class RiskLine:
    title: str  # the practice that is missing
    note: str  # what can go wrong, in plain words
    when: str = ""  # where the plan takes it up: "Roadmap item 3, first 30 days."


def build_summary(
    bank: Bank,
    view: ResultView,
    without_evidence: int,
    result: Result | None = None,
    progress: ProgressView | None = None,
) -> Summary:
    levels = [number for number, _ in view.levels]
    lowest, top = levels[0], levels[-1]
    overall = view.overall_level
    if overall is None:
        unmet = [p.name for p in view.phases if p.level is None]
        meaning = (
            f"Level {lowest} ({bank.level(lowest).name.lower()}) holds the foundations every "
            "other level builds on, and at least one phase does not meet it yet."
        )
        sentence = (
            f"{join_names(unmet)} {'does' if len(unmet) == 1 else 'do'} not yet meet level "
            f"{lowest}. The overall level is the lowest phase level, so these foundations come "
            "before any automation."
        )
    else:
        meaning = first_sentence(bank.level(overall).description)
        above = [p for p in view.phases if p.level is not None and p.level > overall]
        holding = [p.name for p in view.phases if p.level == overall]
        if overall == top:
            sentence = f"Every phase reaches level {top}, the top of this model."
        elif above:
            sentence = (
                f"The overall level is the lowest phase level: {join_names(holding)} "
                f"{'holds' if len(holding) == 1 else 'hold'} it at level {overall}, while "
                + join_names([f"{p.name} reaches level {p.level}" for p in above])
                + "."
            )
        else:
            sentence = (
                f"Every phase is at level {overall}; level {overall + 1} needs each of them to "
                "clear its next cell."
            )

    one = without_evidence == 1
    missing = (
        f"{plural(without_evidence, 'practice')} answered as fully in place "
        f"{'has' if one else 'have'} no evidence attached"
    )
    counted = f"{missing} and {'counts' if one else 'count'} as done manually in that view"
    dropped = [p for p in view.phases if p.evidenced_label != p.label]
    drops = join_names([f"{p.name} drops to {in_sentence(p.evidenced_label)}" for p in dropped])
    if view.overall_evidenced_label != view.overall_label:
        evidence = (
            "Counting only answers backed by evidence, the overall level would be "
            f"{in_sentence(view.overall_evidenced_label)}, as {drops}: {counted}. Links to the "
            "pipelines, dashboards or runbooks behind them close this difference."
        )
    elif dropped:
        evidence = (
            f"Counting only answers backed by evidence, the overall level holds but {drops}: "
            f"{counted}."
        )
    elif without_evidence:
        evidence = f"The levels stand even without the claims that lack evidence: {missing}."
    else:
        evidence = "Every practice claimed as automated points to evidence."

    actions = view.recommendations[:TOP_ACTIONS]
    if view.capped:
        # The gate, not a phase, sets the headline: the level's own description would then
        # describe a team this is not (a platform team is not "carrying out every step by hand").
        meaning = (
            f"Held at this level by the security and governance gate; the phases themselves "
            f"reach {in_sentence(view.uncapped_label)}."
        )
        sentence = (
            f"The phases reach {in_sentence(view.uncapped_label)}, but the overall level is held "
            f"at {in_sentence(view.overall_label)} by the security and governance gate: "
            f"{join_names([g.missing for g in view.binding_gate])}. These practices are not "
            "traded against automation elsewhere."
        )
    return Summary(
        overall_label=view.overall_label,
        overall_meaning=meaning,
        overall_sentence=sentence,
        evidence_sentence=evidence,
        phases=tuple(_phase_summary(bank, view, phase, top) for phase in view.phases),
        actions=actions,
        more_actions=len(view.recommendations) - len(actions),
        role_sentences=_role_summary(view),
        index_sentence=_index_sentence(view),
        gate_sentence=_gate_sentence(view),
        not_applicable=view.not_applicable,
        change_sentence=change_sentence(progress),
        regressed=regressed(progress),
        strengths=_strengths(bank, result) if result is not None and view.index is not None else (),
        risks=_risks(bank, result, view) if result is not None and view.index is not None else (),
        first_month=view.first_month,
    )


TOP_LINES = 3  # strengths and risks the summary names


def regressed(progress: ProgressView | None) -> bool:
    if progress is None or progress.method_changed:
        return False
    return progress.overall.direction == DOWN or any(p.direction == DOWN for p in progress.phases)


def change_sentence(progress: ProgressView | None) -> str:
    """What moved since the last assessment, a fall said first and plainly."""
    if progress is None:
        return ""
    since = f"Since {progress.previous_label}"
    fallen = [p for p in progress.phases if p.direction == DOWN]
    improved, regressed = len(progress.improved), len(progress.regressed)
    if improved:
        back = str(regressed) if regressed else "none"
        answers = f"{plural(improved, 'practice')} improved and {back} went back"
    elif regressed:
        answers = f"no practice improved and {regressed} went back"
    else:
        answers = "no practice changed"
    overall = progress.overall
    if progress.method_changed:
        # Engine 2 counts level 0 and the gate differently: a level that moved may only say
        # that the method did. Say so rather than call it a regression.
        return (
            f"{since}, the scoring method changed (this result uses the maturity model 2.0), so "
            f"the levels are not comparable: {answers}."
        )
    if overall.direction == DOWN or fallen:
        what = (
            f"the overall level fell from {in_sentence(overall.before)} to "
            f"{in_sentence(overall.after)}"
            if overall.direction == DOWN
            else join_names(
                [
                    f"{p.name} fell from {in_sentence(p.before)} to {in_sentence(p.after)}"
                    for p in fallen
                ]
            )
        )
        return f"Regression. {since}, {what}: {answers}."
    if overall.direction == UP:
        return (
            f"{since}, the overall level rose from {in_sentence(overall.before)} to "
            f"{in_sentence(overall.after)}: {answers}."
        )
    return f"{since}, the overall level is unchanged ({in_sentence(overall.after)}): {answers}."


def _strengths(bank: Bank, result: Result) -> tuple[str, ...]:
    """The practices fully in place that matter most: highest risk, then the highest level."""
    done = [
        bank.question(code)
        for code, answer in result.answers
        if answer.value.points == 1.0 and bank.question(code).title
    ]
    done.sort(key=lambda q: (-RISK_WEIGHT[q.risk], -q.level, q.code))
    return tuple(
        f"{q.title} ({AnswerValue.AUTOMATED.label_at(q.level).lower()})" for q in done[:TOP_LINES]
    )


def _risks(bank: Bank, result: Result, view: ResultView) -> tuple[RiskLine, ...]:
    """The missing practices that could hurt most: the gate first, then by risk and level."""
    answers = dict(result.answers)
    gate = {g.code for g in view.gate}
    missing = []
    for question in bank.questions:
        answer = answers.get(question.code)
        if answer is not None and answer.value.points is None:
            continue  # not applicable
        points = answer.value.points if answer is not None else 0.0
        if (points or 0.0) < IN_PLACE and question.risk_note:
            missing.append(question)
    missing.sort(
        key=lambda q: (q.code not in gate, -RISK_WEIGHT[q.risk], q.level, bank.questions.index(q))
    )
    return tuple(RiskLine(q.name, q.risk_note, _when(q.code, view)) for q in missing[:TOP_LINES])


WHEN = {30: "first 30 days", 60: "days 31 to 60", 90: "days 61 to 90", None: "after 90 days"}


def _when(code: str, view: ResultView) -> str:
    """Where the plan takes a risk up, so a reader of the first page knows it is handled."""
    for number, rec in enumerate(view.recommendations, start=1):
        if rec.code == code:
            return f"Roadmap item {number}, {WHEN[rec.period]}."
    return "Not in the plan yet: beyond the targets set for this assessment."


def _index_sentence(view: ResultView) -> str:
    if view.index is None:
        return ""
    phases = join_names(
        [f"{p.name} {rounded(p.index, 1)}" for p in view.phases if p.index is not None]
    )
    return (
        f"Maturity index {rounded(view.index, 1)} of {view.levels_count} ({phases}): it counts "
        "progress within each level, so it moves before the level does."
    )


def _gate_sentence(view: ResultView) -> str:
    waiting = [g for g in view.gate if not g.binding]
    if not waiting or view.capped:
        return ""
    # One clause per cap, not one per practice: "(the overall level cannot pass level 1)" said
    # once for all the practices it applies to.
    caps: dict[int | None, list[str]] = {}
    for g in waiting:
        caps.setdefault(g.caps_at, []).append(g.missing)
    clauses = [
        f"{join_names(missing)} (the overall level cannot pass level {caps_at})"
        if caps_at is not None
        else f"{join_names(missing)} (not even level 0 can be claimed)"
        for caps_at, missing in sorted(
            caps.items(), key=lambda item: (item[0] is not None, item[0] or 0)
        )
    ]
    return f"Still missing from the security and governance gate: {'; '.join(clauses)}."


def _tightest_first(item: tuple[int | None, list[str]]) -> tuple[bool, int]:
    caps_at = item[0]
    return (caps_at is not None, caps_at or 0)


def automated_without_evidence(result: Result) -> tuple[str, ...]:
    """Codes answered "automated" with no evidence: the evidenced view counts them as manual."""
    return tuple(
        trace.code
        for phase in result.phases
        for cell in phase.cells
        for trace in cell.answers
        if trace.points == 1.0 and trace.evidenced_points == 0.5
    )


def _phase_summary(bank: Bank, view: ResultView, phase: PhaseView, top: int) -> PhaseSummary:
    target = f"level {phase.target}" + ("" if phase.target_given else " (the next level)")
    if phase.level is not None and phase.level >= top:
        return PhaseSummary(phase.name, phase.label, "Top level reached." + _resting_on_na(phase))
    next_level = 0 if phase.level is None else phase.level + 1
    cell = next(c for c in phase.cells if c.level == next_level)
    if cell.percent is None:
        blocker = f"Level {next_level} has no applicable question"
    elif cell.all_in_place:
        return PhaseSummary(phase.name, phase.label, _foundation_sentence(cell))
    else:
        blocker = (
            f"Level {next_level} has {percent_text(cell.percent)} of its points "
            f"(threshold {view.threshold:g}{NBSP}%)"
        )
    if cell.critical_failures:
        # Words, not codes: a title where the bank gives one (codes stay in tables).
        names = [
            f"\u201c{bank.question(code).title}\u201d" if bank.question(code).title else code
            for code in cell.critical_failures
        ]
        noun = "practice" if len(names) == 1 else "practices"
        verb = "is" if len(names) == 1 else "are"
        blocker += f" and critical {noun} {join_names(names)} {verb} not yet automated"
    blocker += "."
    if cell.low_confidence:
        blocker += f" Low confidence: {cell.na} of its {cell.questions} questions do not apply."
    reached = phase.level is not None and phase.level >= phase.target
    goal = f" Target {target} reached." if reached else f" Target: {target}."
    return PhaseSummary(phase.name, phase.label, blocker + goal + _resting_on_na(phase))


def _foundation_sentence(cell: CellView) -> str:
    count = len(cell.missing)
    return (
        f"Level {cell.level} needs every one of its practices in place, by hand or automated: "
        f"{cell.in_place} of {cell.applicable} are. Not yet in place: {'; '.join(cell.missing)}."
        if count
        else f"Level {cell.level} needs every one of its practices in place."
    )


def _resting_on_na(phase: PhaseView) -> str:
    resting = [c.level for c in phase.cells if c.met and c.depends_on_na]
    if not resting:
        return ""
    levels = join_names([str(level) for level in resting])
    return (
        f" Level{'s' if len(resting) > 1 else ''} {levels} {'are' if len(resting) > 1 else 'is'}"
        " met only because some practices are marked not applicable: check the reasons below."
    )


def _role_summary(view: ResultView) -> tuple[str, ...]:
    sentences = []
    for role in view.roles_needing_action:
        if role.reason:  # engine 2: the verdict's own reason, the same on every page
            sentences.append(role.reason)  # it names the role
            continue
        gap = "n/a" if role.gap is None else share_text(role.gap)
        count = len(role.open_practices)
        if role.action == RoleAction.ADD:
            who = (
                "the team did not say whether anyone holds it"
                if role.presence == Presence.UNKNOWN
                else "nobody in the team holds it"
            )
            sentences.append(
                f"{role.name}: {who} and {gap} of its practices are missing; add the role, or "
                f"name one person to own its {plural(count, 'open practice')}."
            )
        else:
            sentences.append(
                f"{role.name}: the role is {role.presence_label.lower()} but {gap} of its "
                f"practices are missing; give it the time and mandate to close its "
                f"{plural(count, 'open practice')}."
            )
    if not sentences:
        sentences.append(
            "Every role's practices in reach are largely in place, and none owns an action of "
            "the first 30 days."
            if view.plan or view.index is not None
            else f"No role has {share_text(GAP_FOR_ACTION)} or more of its practices missing."
        )
    return tuple(sentences)
