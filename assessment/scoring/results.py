"""The outcome of scoring one assessment, with the answers behind every figure.

A result is a value: frozen dataclasses holding only exact quantities (sums of half points, counts,
booleans). Percentages and gaps are derived from them, so `Result.from_dict(r.to_dict()) == r`
holds after a JSON round trip and a report can be rebuilt years later without re-scoring.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

from assessment.scoring.evidence import is_placeholder
from assessment.scoring.types import Answer, AnswerValue, Presence

NOT_YET_LEVEL_0 = "Not yet level 0"
IN_PLACE = 0.5  # points from which a practice is in place: done by hand, or automated
RULE_THRESHOLD = "threshold"
RULE_ALL_IN_PLACE = "all_in_place"
OWNER_WEIGHT = 1.0  # in a role's gap, a question the role owns...
CONTRIBUTOR_WEIGHT = 0.5  # ...weighs twice one it contributes to
LEVEL_LABEL = "Level {number} \u2013 {name}"  # en dash: "Level 1 \u2013 ML pipeline automation"


class RoleAction(StrEnum):
    """What the team should do about a role."""

    ADD = "add"  # nobody holds the role and its practices are mostly missing
    ASSIGN = "assign"  # nobody holds it: give its practices to someone already in the team
    STRENGTHEN = "strengthen"  # someone holds it, but its practices are mostly missing
    OK = "ok"

    @property
    def label(self) -> str:
        return _ROLE_ACTION_LABELS[self]


_ROLE_ACTION_LABELS = {
    RoleAction.ADD: "Add this role",
    RoleAction.ASSIGN: "Give to someone in the team",
    RoleAction.STRENGTHEN: "Strengthen",
    RoleAction.OK: "OK",
}


@dataclass(frozen=True)
class AnswerTrace:
    """One question's answer as the engine counted it."""

    code: str
    value: AnswerValue  # UNKNOWN when nobody answered
    answered: bool
    points: float | None  # counted in the claimed view; None for `na`, left out of the cell
    evidenced_points: float | None  # counted in the evidenced view: 1 without evidence gives 0.5

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "value": self.value.value,
            "answered": self.answered,
            "points": self.points,
            "evidenced_points": self.evidenced_points,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> AnswerTrace:
        return cls(
            code=data["code"],
            value=AnswerValue(data["value"]),
            answered=data["answered"],
            points=_optional_float(data["points"]),
            evidenced_points=_optional_float(data["evidenced_points"]),
        )


@dataclass(frozen=True)
class CellResult:
    """One phase at one level: does it hold, and on which answers."""

    phase: str
    level: int
    questions: int  # in the bank for this cell
    answered: int  # given any answer, `na` and `unknown` included
    applicable: int  # not answered `na`: the denominator
    points: float  # claimed points of the applicable questions
    evidenced_points: float
    reaches_threshold: bool  # True when no question applies: such a cell never blocks
    evidenced_reaches_threshold: bool
    critical_failures: tuple[str, ...]  # critical questions below their minimum
    evidenced_critical_failures: tuple[str, ...]
    low_confidence: bool  # more than 20 % of its questions answered `na`
    answers: tuple[AnswerTrace, ...]
    # Engine 2: level 0 is met when every applicable practice is in place ("all_in_place"); the
    # other levels, and every level under engine 1, need the threshold ("threshold").
    rule: str = RULE_THRESHOLD
    depends_on_na: bool = False  # met, but would not be if its `na` answers counted as 0

    @property
    def na(self) -> int:
        return self.questions - self.applicable

    @property
    def percent(self) -> float | None:
        return percent_of(self.points, self.applicable)

    @property
    def evidenced_percent(self) -> float | None:
        return percent_of(self.evidenced_points, self.applicable)

    @property
    def in_place(self) -> int:
        """Applicable practices answered at least "done manually"."""
        return sum(1 for t in self.answers if t.points is not None and t.points >= IN_PLACE)

    @property
    def not_in_place(self) -> tuple[str, ...]:
        """Applicable practices below "done manually": what stops an all-in-place cell."""
        return tuple(t.code for t in self.answers if t.points is not None and t.points < IN_PLACE)

    @property
    def met(self) -> bool:
        return self.reaches_threshold and not self.critical_failures

    @property
    def evidenced_met(self) -> bool:
        return self.evidenced_reaches_threshold and not self.evidenced_critical_failures

    def to_dict(self) -> dict[str, Any]:
        return {
            "percent": self.percent,
            "met": self.met,
            "low_confidence": self.low_confidence,
            "rule": self.rule,
            "depends_on_na": self.depends_on_na,
            "applicable": self.applicable,
            "answered": self.answered,
            "questions": self.questions,
            "na": self.na,
            "points": self.points,
            "reaches_threshold": self.reaches_threshold,
            "critical_failures": list(self.critical_failures),
            "evidenced_percent": self.evidenced_percent,
            "evidenced_met": self.evidenced_met,
            "evidenced_points": self.evidenced_points,
            "evidenced_reaches_threshold": self.evidenced_reaches_threshold,
            "evidenced_critical_failures": list(self.evidenced_critical_failures),
            "answers": [trace.to_dict() for trace in self.answers],
        }

    @classmethod
    def from_dict(cls, phase: str, level: int, data: Mapping[str, Any]) -> CellResult:
        return cls(
            phase=phase,
            level=level,
            questions=data["questions"],
            answered=data["answered"],
            applicable=data["applicable"],
            points=float(data["points"]),
            evidenced_points=float(data["evidenced_points"]),
            reaches_threshold=data["reaches_threshold"],
            evidenced_reaches_threshold=data["evidenced_reaches_threshold"],
            critical_failures=tuple(data["critical_failures"]),
            evidenced_critical_failures=tuple(data["evidenced_critical_failures"]),
            low_confidence=data["low_confidence"],
            answers=tuple(AnswerTrace.from_dict(trace) for trace in data["answers"]),
            rule=data.get("rule", RULE_THRESHOLD),
            depends_on_na=data.get("depends_on_na", False),
        )


@dataclass(frozen=True)
class PhaseResult:
    code: str
    level: int | None  # None: not yet level 0
    evidenced_level: int | None
    label: str
    evidenced_label: str
    points: float  # over every applicable question of the phase
    applicable: int
    target: int  # the level recommendations aim at
    target_given: bool  # False when the default (achieved + 1) was used
    cells: tuple[CellResult, ...]  # one per bank level, lowest first

    @property
    def percent(self) -> float | None:
        return percent_of(self.points, self.applicable)

    @property
    def index(self) -> float:
        """How far up the ladder the phase stands, from 0 to the number of levels (3).

        Each rung adds the share of its practices in place, never more than the rung below it:
        level 0 counts practices in place by hand or automated, the higher levels their share of
        points. So work on a higher rung counts only as far as its foundation holds, two teams at
        the same level are told apart, and raising any answer never lowers the index."""
        return round(float(ladder_index(self.cells)), 2)

    def cell(self, level: int) -> CellResult:
        for cell in self.cells:
            if cell.level == level:
                return cell
        raise KeyError(level)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "evidenced_level": self.evidenced_level,
            "label": self.label,
            "evidenced_label": self.evidenced_label,
            "percent": self.percent,
            "index": self.index,
            "points": self.points,
            "applicable": self.applicable,
            "target": self.target,
            "target_given": self.target_given,
            "cells": {str(cell.level): cell.to_dict() for cell in self.cells},
        }

    @classmethod
    def from_dict(cls, code: str, data: Mapping[str, Any]) -> PhaseResult:
        return cls(
            code=code,
            level=data["level"],
            evidenced_level=data["evidenced_level"],
            label=data["label"],
            evidenced_label=data["evidenced_label"],
            points=float(data["points"]),
            applicable=data["applicable"],
            target=data["target"],
            target_given=data["target_given"],
            cells=tuple(
                CellResult.from_dict(code, int(level), cell)
                for level, cell in data["cells"].items()
            ),
        )


@dataclass(frozen=True)
class RoleResult:
    """How far a role's practices are from done, and what the team should do about the role."""

    code: str
    presence: Presence
    action: RoleAction
    open_practices: tuple[str, ...]  # the role's questions scoring below 1, in bank order
    # The applicable answers behind the gap (the same traces as in the cells), in bank order:
    owned: tuple[AnswerTrace, ...]  # weight 1
    contributed: tuple[AnswerTrace, ...]  # weight 0.5
    # Engine 2: the gap over the practices in reach, weighted by risk, and why the verdict.
    weighted_gap: float | None = None
    risk_weighted: bool = False  # False for engine 1, whose gap is worked out from the traces
    first_month: tuple[str, ...] = ()  # the plan's first-month actions this role owns
    owns_missing_gate: tuple[str, ...] = ()
    plan_days: int = 0  # person-days of the 90-day plan this role owns
    assign_to: str = ""  # for "assign": the role in the team best placed to take it

    @property
    def weight(self) -> float:
        return role_weight(self.owned, self.contributed)

    @property
    def shortfall(self) -> float:
        return role_shortfall(self.owned, self.contributed)

    @property
    def gap(self) -> float | None:
        """Share of the role's weighted practices still missing; None when it has none."""
        if self.risk_weighted:
            return self.weighted_gap
        weight = self.weight
        if not weight:
            return None
        return round(self.shortfall / weight, 4)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "presence": self.presence.value,
            "gap": self.gap,
            "action": self.action.value,
            "open_practices": list(self.open_practices),
            "weight": self.weight,
            "shortfall": self.shortfall,
            "owned": [trace.to_dict() for trace in self.owned],
            "contributed": [trace.to_dict() for trace in self.contributed],
            "risk_weighted": self.risk_weighted,
            "first_month": list(self.first_month),
            "owns_missing_gate": list(self.owns_missing_gate),
            "plan_days": self.plan_days,
            "assign_to": self.assign_to,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RoleResult:
        return cls(
            code=data["code"],
            presence=Presence(data["presence"]),
            action=RoleAction(data["action"]),
            open_practices=tuple(data["open_practices"]),
            owned=tuple(AnswerTrace.from_dict(trace) for trace in data["owned"]),
            contributed=tuple(AnswerTrace.from_dict(trace) for trace in data["contributed"]),
            weighted_gap=data["gap"] if data.get("risk_weighted") else None,
            risk_weighted=data.get("risk_weighted", False),
            first_month=tuple(data.get("first_month", ())),
            owns_missing_gate=tuple(data.get("owns_missing_gate", ())),
            plan_days=data.get("plan_days", 0),
            assign_to=data.get("assign_to", ""),
        )


@dataclass(frozen=True)
class RecommendationResult:
    code: str
    phase: str
    level: int
    critical: bool
    owner: str  # role code
    answer: AnswerValue  # why it is recommended: the answer given (UNKNOWN when unanswered)
    answered: bool
    points: float
    text: str  # the bank's recommended action
    first_step: str
    gate: str = ""  # what is missing, when this practice is part of the gate and absent
    period: int | None = None  # the plan's 30, 60 or 90 days; None: later (or engine 1)
    blocking: bool = False  # it holds back the next level of its phase, or the overall level
    needed_for: tuple[str, ...] = ()  # pulled in because these recommendations depend on it

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "phase": self.phase,
            "level": self.level,
            "critical": self.critical,
            "gate": self.gate,
            "period": self.period,
            "blocking": self.blocking,
            "needed_for": list(self.needed_for),
            "owner": self.owner,
            "answer": self.answer.value,
            "text": self.text,
            "answered": self.answered,
            "points": self.points,
            "first_step": self.first_step,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RecommendationResult:
        return cls(
            code=data["code"],
            phase=data["phase"],
            level=data["level"],
            critical=data["critical"],
            owner=data["owner"],
            answer=AnswerValue(data["answer"]),
            answered=data["answered"],
            points=float(data["points"]),
            text=data["text"],
            first_step=data["first_step"],
            gate=data.get("gate", ""),
            period=data.get("period"),
            blocking=data.get("blocking", False),
            needed_for=tuple(data.get("needed_for", ())),
        )


@dataclass(frozen=True)
class GateMissing:
    """A gate practice that is not in place, and the highest overall level it allows."""

    code: str
    level: int  # the question's level
    missing: str  # the bank's words for its absence: "no threat model of the ML system"

    @property
    def caps_at(self) -> int | None:
        """The overall level cannot exceed the one below this practice's (None: below 0)."""
        return self.level - 1 if self.level > 0 else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "level": self.level,
            "missing": self.missing,
            "caps_at": self.caps_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> GateMissing:
        return cls(code=data["code"], level=data["level"], missing=data["missing"])


@dataclass(frozen=True)
class OverallResult:
    level: int | None  # the lowest phase level, capped by the gate; None: not yet level 0
    evidenced_level: int | None
    label: str
    evidenced_label: str
    # What the phases alone reach (engine 1 had no gate: the same as `level`).
    uncapped_level: int | None = None
    evidenced_uncapped_level: int | None = None

    @property
    def capped(self) -> bool:
        """True when the gate holds the overall level below what the phases reach."""
        return _below(self.level, self.uncapped_level)

    @property
    def evidenced_capped(self) -> bool:
        return _below(self.evidenced_level, self.evidenced_uncapped_level)

    def to_dict(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "label": self.label,
            "evidenced_level": self.evidenced_level,
            "evidenced_label": self.evidenced_label,
            "uncapped_level": self.uncapped_level,
            "evidenced_uncapped_level": self.evidenced_uncapped_level,
            "capped": self.capped,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> OverallResult:
        return cls(
            level=data["level"],
            evidenced_level=data["evidenced_level"],
            label=data["label"],
            evidenced_label=data["evidenced_label"],
            uncapped_level=data.get("uncapped_level", data["level"]),
            evidenced_uncapped_level=data.get("evidenced_uncapped_level", data["evidenced_level"]),
        )


def _below(level: int | None, uncapped: int | None) -> bool:
    if uncapped is None:
        return False
    return level is None or level < uncapped


@dataclass(frozen=True)
class Result:
    bank_slug: str
    bank_version: str
    engine_version: str
    threshold: float
    overall: OverallResult
    phases: tuple[PhaseResult, ...]  # in bank order
    roles: tuple[RoleResult, ...]  # in bank order
    recommendations: tuple[RecommendationResult, ...]  # in the order to act on them
    unknown: tuple[str, ...]  # answered "unknown", in bank order
    unanswered: tuple[str, ...]  # not answered at all, in bank order
    # The input, kept whole so the result can be reproduced: answers in bank order, team and
    # targets as given (roles and phases in bank order).
    answers: tuple[tuple[str, Answer], ...]
    team: tuple[tuple[str, Presence], ...]
    targets: tuple[tuple[str, int], ...]
    gate: tuple[GateMissing, ...] = ()  # gate practices not in place, in bank order

    @property
    def bank_key(self) -> str:
        return f"{self.bank_slug}@{self.bank_version}"

    @property
    def model(self) -> int:
        """The major engine version: 2 has the all-in-place level 0, the index and the gate."""
        return int(self.engine_version.split(".")[0])

    @property
    def index(self) -> float:
        """The phases' ladder indexes averaged: 0 to the number of levels."""
        if not self.phases:
            return 0.0
        total = sum((ladder_index(phase.cells) for phase in self.phases), Fraction(0))
        return round(float(total / len(self.phases)), 2)

    @property
    def gate_cap(self) -> int | None:
        """The highest overall level the gate allows; None when it allows none (or is empty)."""
        caps = [missing.caps_at for missing in self.gate]
        if not caps:
            return None
        if None in caps:
            return None
        return min(cap for cap in caps if cap is not None)

    @property
    def binding_gate(self) -> tuple[GateMissing, ...]:
        """The missing gate practices that hold the overall level down now."""
        if not self.overall.capped:
            return ()
        uncapped = self.overall.uncapped_level
        return tuple(
            m
            for m in self.gate
            if uncapped is not None and (m.caps_at is None or m.caps_at < uncapped)
        )

    @property
    def not_applicable(self) -> tuple[tuple[str, str], ...]:
        """(code, reason) of every `na` answer, in bank order."""
        return tuple(
            (code, answer.reason)
            for code, answer in self.answers
            if answer.value is AnswerValue.NOT_APPLICABLE
        )

    @property
    def weak_evidence(self) -> tuple[str, ...]:
        """Codes whose evidence names nothing ("yes", "x"): counted as no evidence."""
        return tuple(code for code, answer in self.answers if is_placeholder(answer.evidence))

    def phase(self, code: str) -> PhaseResult:
        for phase in self.phases:
            if phase.code == code:
                return phase
        raise KeyError(code)

    def role(self, code: str) -> RoleResult:
        for role in self.roles:
            if role.code == code:
                return role
        raise KeyError(code)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; `input` is itself a valid answers file for the same bank."""
        return {
            "bank": self.bank_key,
            "engine_version": self.engine_version,
            "threshold": self.threshold,
            "overall": self.overall.to_dict(),
            "phases": {phase.code: phase.to_dict() for phase in self.phases},
            "roles": [role.to_dict() for role in self.roles],
            "recommendations": [rec.to_dict() for rec in self.recommendations],
            "unknown": list(self.unknown),
            "unanswered": list(self.unanswered),
            "index": self.index,
            "gate": {
                "capped": self.overall.capped,
                "cap": self.gate_cap if self.gate else self.overall.uncapped_level,
                "missing": [missing.to_dict() for missing in self.gate],
            },
            "not_applicable": [
                {"code": code, "reason": reason} for code, reason in self.not_applicable
            ],
            "weak_evidence": list(self.weak_evidence),
            "input": {
                "bank": self.bank_key,
                "answers": {code: _answer_to_dict(answer) for code, answer in self.answers},
                "team": {role: presence.value for role, presence in self.team},
                "targets": dict(self.targets),
                "threshold": self.threshold,
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Result:
        slug, _, version = data["bank"].rpartition("@")
        given = data["input"]
        return cls(
            bank_slug=slug,
            bank_version=version,
            engine_version=data["engine_version"],
            threshold=float(data["threshold"]),
            overall=OverallResult.from_dict(data["overall"]),
            phases=tuple(PhaseResult.from_dict(code, p) for code, p in data["phases"].items()),
            roles=tuple(RoleResult.from_dict(role) for role in data["roles"]),
            recommendations=tuple(
                RecommendationResult.from_dict(rec) for rec in data["recommendations"]
            ),
            unknown=tuple(data["unknown"]),
            unanswered=tuple(data["unanswered"]),
            answers=tuple(
                (code, _answer_from_dict(answer)) for code, answer in given["answers"].items()
            ),
            team=tuple((role, Presence(presence)) for role, presence in given["team"].items()),
            targets=tuple((phase, level) for phase, level in given["targets"].items()),
            gate=tuple(
                GateMissing.from_dict(missing)
                for missing in data.get("gate", {}).get("missing", [])
            ),
        )


def percent_of(points: float, applicable: int) -> float | None:
    """Cell or phase percent, rounded for display; None when no question applies."""
    if not applicable:
        return None
    return round(100 * points / applicable, 2)


def _answer_to_dict(answer: Answer) -> dict[str, str]:
    # Empty texts are left out so the `input` section reads like a hand-written answers file.
    data = {"value": answer.value.value}
    for key in ("evidence", "note", "reason"):
        if text := getattr(answer, key):
            data[key] = text
    return data


def _answer_from_dict(data: Mapping[str, str]) -> Answer:
    return Answer(
        value=AnswerValue(data["value"]),
        evidence=data.get("evidence", ""),
        note=data.get("note", ""),
        reason=data.get("reason", ""),
    )


def role_weight(owned: Sequence[AnswerTrace], contributed: Sequence[AnswerTrace]) -> float:
    """Σ w over a role's applicable questions."""
    return len(owned) * OWNER_WEIGHT + len(contributed) * CONTRIBUTOR_WEIGHT


def role_shortfall(owned: Sequence[AnswerTrace], contributed: Sequence[AnswerTrace]) -> float:
    """Σ w·(1 - points): exact, since weights and points are whole halves."""
    return OWNER_WEIGHT * _missing(owned) + CONTRIBUTOR_WEIGHT * _missing(contributed)


def ladder_index(cells: Sequence[CellResult]) -> Fraction:
    """Σ over the rungs, lowest first, of each rung's share, capped by the rung below (exact)."""
    total = Fraction(0)
    below = Fraction(1)
    for position, cell in enumerate(sorted(cells, key=_cell_level)):
        if not cell.applicable:
            share = Fraction(1)  # nothing applies: the rung neither helps nor blocks
        elif position == 0:
            share = Fraction(cell.in_place, cell.applicable)
        else:
            share = Fraction(round(cell.points * 2), 2 * cell.applicable)
        below = min(share, below)
        total += below
    return total


def _cell_level(cell: CellResult) -> int:
    return cell.level


def _missing(answers: Sequence[AnswerTrace]) -> float:
    return sum(1.0 - (trace.points or 0.0) for trace in answers)


def _optional_float(value: float | None) -> float | None:
    return None if value is None else float(value)
