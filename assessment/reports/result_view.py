"""A scoring result joined with its bank's words, ready for templates. Pure Python: the web page
and the PDF read the same view, so they can never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.scoring.engine import level_label
from assessment.scoring.results import RULE_ALL_IN_PLACE, Result, RoleAction
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

    @property
    def binding_gate(self) -> tuple[GateView, ...]:
        return tuple(g for g in self.gate if g.binding)

    @property
    def roles_needing_action(self) -> tuple[RoleView, ...]:
        return tuple(role for role in self.roles if role.action != RoleAction.OK)


def result_view(bank: Bank, result: Result) -> ResultView:
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
                )
                for code in role.open_practices
            ),
        )
        for role in result.roles
    )
    recommendations = tuple(
        RecommendationView(
            code=rec.code,
            statement=bank.question(rec.code).statement,
            phase=rec.phase,
            phase_name=bank.phase(rec.phase).name,
            level=rec.level,
            critical=rec.critical,
            owner=rec.owner,
            owner_name=bank.role(rec.owner).name,
            answer=rec.answer.label_at(rec.level) if rec.answered else NOT_ANSWERED,
            text=rec.text,
            first_step=rec.first_step,
            title=bank.question(rec.code).title,
            gate=rec.gate,
        )
        for rec in result.recommendations
    )
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
    )
