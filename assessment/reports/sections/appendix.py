"""The appendix: every question with its answer, evidence and note, by phase and by level."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assessment.scoring.results import Result
from assessment.scoring.types import NOT_ANSWERED, Bank

_URL = re.compile(r"https?://\S+", re.IGNORECASE)


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


def build_appendix(bank: Bank, result: Result) -> tuple[AppendixPhase, ...]:
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
                        answer=answer.value.label_at(question.level) if answer else NOT_ANSWERED,
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
