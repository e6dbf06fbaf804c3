"""The cover: who and what the report is about."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assessment.reports.prose import clipped, plural
from assessment.scoring.results import Result
from assessment.scoring.types import Bank

REPORT_TITLE = "MLOps maturity report"
SHORT_NAMES = 3  # respondents named on the first page; the method section names them all


@dataclass(frozen=True)
class Cover:
    """Who and what the report is about; the caller reads it from wherever it keeps it."""

    organisation: str
    team: str
    label: str  # e.g. "2026 Q4"
    date: date | None  # the submission (or rendering) date
    respondents: tuple[str, ...] = ()
    author: str = ""  # for the PDF metadata; the organisation when empty
    source: str = ""  # shown when there are no respondents, e.g. "answers file fraud.yaml"
    people: tuple[tuple[str, str], ...] = ()  # (role code, who holds it) for the plan


@dataclass(frozen=True)
class CoverView:
    title: str
    organisation: str
    team: str
    label: str
    date: str
    bank_title: str
    bank_version: str
    engine_version: str
    respondents: str  # "Alice Smith (lead), Bob Jones", or the source when nobody is named
    respondents_label: str  # "Respondents", or "Source" for an answers file
    # For the first page: at most three names, then how many more ("… and 9 others").
    respondents_short: str = ""


def build_cover(bank: Bank, result: Result, cover: Cover, date_text: str) -> CoverView:
    if cover.respondents:
        names = [f"{cover.respondents[0]} (lead)", *cover.respondents[1:]]
        respondents, label = ", ".join(names), "Respondents"
        others = len(names) - SHORT_NAMES
        short = (
            f"{', '.join(names[:SHORT_NAMES])} and {plural(others, 'other')}"
            if others > 1
            else respondents
        )
    else:
        respondents, label = cover.source or "Not recorded", "Source"
        short = clipped(respondents, 80)
    return CoverView(
        title=REPORT_TITLE,
        organisation=cover.organisation,
        team=cover.team,
        label=cover.label,
        date=date_text,
        bank_title=bank.title,
        bank_version=bank.version,
        engine_version=result.engine_version,
        respondents=respondents,
        respondents_label=label,
        respondents_short=short,
    )
