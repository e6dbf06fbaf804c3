"""How this was scored: the rules and figures behind the levels, so a reader can check them."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.reports.prose import NBSP, share_text
from assessment.reports.result_view import ResultView
from assessment.scoring.engine import GAP_FOR_ACTION, LOW_CONFIDENCE_NA_SHARE
from assessment.scoring.results import CONTRIBUTOR_WEIGHT, OWNER_WEIGHT, Result
from assessment.scoring.types import AnswerValue, Bank


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


def build_method(
    bank: Bank, result: Result, view: ResultView, without_evidence: tuple[str, ...]
) -> Method:
    answers = dict(result.answers)
    return Method(
        threshold=f"{result.threshold:g}{NBSP}%",
        low_confidence_share=share_text(float(LOW_CONFIDENCE_NA_SHARE)),
        gap_for_action=share_text(GAP_FOR_ACTION),
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
