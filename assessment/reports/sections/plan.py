"""The team's action plan as it stands the day the report is produced: the open actions, then
those done since the previous assessment. Unlike the rest of the report, which is frozen at
submission, this section is read as of a date, and says which: today for the team's latest
report, and for an earlier one the day the next assessment was submitted, after which it no
longer changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assessment.reports.prose import format_date, plural
from assessment.scoring.types import Bank

NOBODY = "Nobody yet"
NO_DATE = "No date"
NO_PRACTICE = "None named"
START_SENTENCE = (
    "The team has no action plan yet. To start one, open the result page of an assessment and "
    "accept the recommendations the team means to take on: each becomes an action with an owner "
    "and a due date, and the next report says whether the answers moved."
)


@dataclass(frozen=True)
class PlanAction:
    """One action as the report needs it; the caller reads it from wherever it keeps it."""

    title: str
    practices: tuple[str, ...]  # question codes
    owner: str  # a name, never an address; "" when nobody owns it
    status: str  # in words: "Planned", "In progress", "Done"
    due_on: date | None = None
    done_on: date | None = None


@dataclass(frozen=True)
class Plan:
    """The team's plan on `today`: its open actions by due date, and the actions done since the
    previous assessment (every done action when there is none), most recent first."""

    today: date
    open: tuple[PlanAction, ...] = ()
    done: tuple[PlanAction, ...] = ()
    since: str = ""  # the previous assessment's label, "" when there is none
    # The next assessment's label when one followed this report: the plan is then shown as it
    # stood when that one was submitted (`today`), and no longer changes.
    followed_by: str = ""
    has_actions: bool = False  # any action at all, dropped and earlier done ones included


@dataclass(frozen=True)
class PlanRow:
    title: str
    practices: str  # "Model monitoring (OPS-1-02), DEV-1-03"
    owner: str
    status: str
    due: str  # "3 November 2026"; for an overdue action "3 November 2026: overdue by 32 days"
    overdue: bool
    done: str = ""  # the day it was marked done


@dataclass(frozen=True)
class PlanView:
    as_of: str  # "5 December 2026"
    intro: str
    counts: str  # "4 open actions, 1 of them overdue; 3 done since 2026 Q3."
    open: tuple[PlanRow, ...]
    done: tuple[PlanRow, ...]
    done_title: str  # "Done since 2026 Q3"
    none_done: str  # "No action was marked done since 2026 Q3."
    empty: str  # what to say when there is nothing to list, else ""


def build_plan(bank: Bank, plan: Plan) -> PlanView:
    as_of = format_date(plan.today)
    open_rows = tuple(_row(bank, action, plan.today, is_open=True) for action in plan.open)
    done_rows = tuple(_row(bank, action, plan.today, is_open=False) for action in plan.done)
    overdue = sum(row.overdue for row in open_rows)
    since = f"since {plan.since}" if plan.since else "so far"
    counts = f"{_open_count(len(open_rows), overdue)}; {len(done_rows) or 'none'} done {since}."
    if not plan.has_actions:
        empty = f"The team had no action plan on {as_of}." if plan.followed_by else START_SENTENCE
    elif not open_rows and not done_rows:
        empty = f"No action is open, and none was done {since}."
    else:
        empty = ""
    return PlanView(
        as_of=as_of,
        intro=_intro(plan, as_of),
        counts=counts,
        open=open_rows,
        done=done_rows,
        done_title=f"Done {since}",
        none_done=f"No action was marked done {since}.",
        empty=empty,
    )


def _intro(plan: Plan, as_of: str) -> str:
    if plan.followed_by:
        return (
            f"The team's action plan as it stood on {as_of}, when {plan.followed_by} was "
            f"submitted: the report of {plan.followed_by} follows it from there. Actions open "
            "then are listed as open even if they were done later."
        )
    return (
        f"The team's action plan as it stands on {as_of}, the day this report was produced. "
        "The rest of the report shows the assessment as submitted; this section changes as "
        "the team works through its actions."
    )


def _open_count(count: int, overdue: int) -> str:
    """The open actions counted: "3 open actions, 1 of them overdue", "1 open action, overdue",
    "No open action"."""
    if not count:
        return "No open action"
    text = plural(count, "open action")
    if overdue == count:
        return text + (", overdue" if count == 1 else ", all overdue")
    return text + (f", {overdue} of them overdue" if overdue else "")


def _row(bank: Bank, action: PlanAction, today: date, *, is_open: bool) -> PlanRow:
    due = format_date(action.due_on) or NO_DATE
    overdue = is_open and action.due_on is not None and action.due_on < today
    if overdue and action.due_on is not None:
        # Said in words, not left to a colour: the PDF is often printed in black and white.
        due += f": overdue by {plural((today - action.due_on).days, 'day')}"
    return PlanRow(
        title=action.title,
        practices=practices_text(bank, action.practices) or NO_PRACTICE,
        owner=action.owner or NOBODY,
        status=action.status,
        due=due,
        overdue=overdue,
        done=format_date(action.done_on),
    )


def practices_text(bank: Bank, codes: tuple[str, ...]) -> str:
    """The practices by their short name where the bank gives one, with the code that finds them
    in the appendix: a code alone tells the reader nothing."""
    names = []
    for code in codes:
        try:
            title = bank.question(code).title
        except KeyError:  # a code of another version of the bank
            title = ""
        names.append(f"{title} ({code})" if title else code)
    return ", ".join(names)
