"""A scoring result joined with its bank's words, ready for templates. Pure Python: the web page
and the PDF read the same view, so they can never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.scoring.results import Result, RoleAction
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

    @property
    def roles_needing_action(self) -> tuple[RoleView, ...]:
        return tuple(role for role in self.roles if role.action != RoleAction.OK)


def result_view(bank: Bank, result: Result) -> ResultView:
    answers = dict(result.answers)

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
                )
                for cell in phase.cells
            ),
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
        )
        for rec in result.recommendations
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
    )
