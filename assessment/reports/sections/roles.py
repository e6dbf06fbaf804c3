"""Role gaps: for each role of the bank, whether the team has it and which practices are open."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.reports.prose import plural, share_text
from assessment.reports.result_view import ResultView
from assessment.scoring.results import Result, RoleAction
from assessment.scoring.types import NOT_ANSWERED, Bank


@dataclass(frozen=True)
class RolePracticeRow:
    code: str
    statement: str
    answer: str
    relation: str  # "owner" or "contributor"
    title: str = ""  # the practice in a few words, where the bank gives one


@dataclass(frozen=True)
class RoleSection:
    code: str
    name: str
    description: str
    presence: str
    presence_label: str
    gap: str  # "63 %", or "n/a" when no practice is linked to the role
    action: str  # "add", "strengthen", "ok"
    action_label: str
    sentence: str
    practices: int
    open_practices: tuple[RolePracticeRow, ...]
    first_month: tuple[str, ...] = ()  # titles of the first-month actions it owns

    @property
    def open_summary(self) -> str:
        """How many of its practices are open ("3 of 17"); the roadmap and the appendix name
        them, so the role section does not list them a third time."""
        if not self.practices:
            return "No practice linked"
        if not self.open_practices:
            return f"None of {self.practices}"
        return f"{len(self.open_practices)} of {self.practices}"

    @property
    def needs_action(self) -> bool:
        return self.action != RoleAction.OK


def build_roles(bank: Bank, result: Result, view: ResultView) -> tuple[RoleSection, ...]:
    answers = dict(result.answers)
    sections = []
    for role_view, role in zip(view.roles, result.roles, strict=True):
        owned = {trace.code for trace in role.owned}
        rows = tuple(
            RolePracticeRow(
                code=code,
                statement=bank.question(code).statement,
                answer=answers[code].value.label_at(bank.question(code).level)
                if code in answers
                else NOT_ANSWERED,
                relation="owner" if code in owned else "contributor",
                title=bank.question(code).title,
            )
            for code in role.open_practices
        )
        total = len(role.owned) + len(role.contributed)
        gap = "n/a" if role.gap is None else share_text(role.gap)
        if role_view.reason:
            sentence = role_view.reason  # engine 2: the verdict's own reason, as on the pages
        elif not total:
            sentence = "No applicable practice in this bank is linked to this role."
        elif role.action == RoleAction.OK:
            sentence = (
                f"{len(rows)} of its {plural(total, 'practice')} still open; "
                "no change to the team is needed for this role."
            )
        elif role.action == RoleAction.ADD:
            sentence = (
                "Nobody is known to hold this role. Hire or name someone for it, or hand its open "
                "practices (the roadmap lists them) to people who have the time, starting with "
                "those it owns."
            )
        else:
            sentence = (
                "Someone holds this role, but most of its practices are not in place. Give them "
                "the time and the mandate to close its open practices (the roadmap lists them), "
                "starting with those it owns."
            )
        sections.append(
            RoleSection(
                code=role.code,
                name=role_view.name,
                description=role_view.description,
                presence=role_view.presence,
                presence_label=role_view.presence_label,
                gap=gap,
                action=role_view.action,
                action_label=role_view.action_label,
                sentence=sentence,
                practices=total,
                open_practices=rows,
                first_month=role_view.first_month,
            )
        )
    return tuple(sections)
