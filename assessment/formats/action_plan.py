"""A team's action plan as files other tools import: a CSV for Jira's CSV importer, a CSV for
GitHub issues (through the `githubCsvTools` command), and a versioned JSON document.
docs/action-plan-exports.md says what each column means and how to import the files.

Pure Python: the caller hands in plain records (selectors/plan_exports.py builds them)."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from assessment.formats.assessment_file import csv_cell

PLAN_FORMAT = "mlops-maturity-action-plan"
PLAN_FORMAT_VERSION = 1
# Every imported issue carries it, so a tracker can list what came from an assessment.
PLAN_LABEL = "mlops-maturity"
# What to type in the Jira importer's "Date format" field for the Due Date column.
JIRA_DATE_FORMAT = "yyyy-MM-dd"
JIRA_ISSUE_TYPE = "Task"
JIRA_COLUMNS = (
    "Summary",
    "Description",
    "Issue Type",
    "Status",
    "Resolution",
    "Assignee",
    "Due Date",
)
# The workflow names of a new Jira project; the importer lets one map others value by value.
JIRA_STATUS = {
    "planned": "To Do",
    "in_progress": "In Progress",
    "done": "Done",
    "dropped": "Done",
}
# Jira Cloud's default resolutions: a dropped action is closed as "Won't Do", not as done.
JIRA_RESOLUTION = {"done": "Done", "dropped": "Won't Do"}
# The columns githubCsvTools reads (lower-case, as it matches them); it takes one assignee.
GITHUB_COLUMNS = ("title", "body", "labels", "assignee", "state")
GITHUB_CLOSED = frozenset({"done", "dropped"})
FLAVOURS = ("jira", "github")


@dataclass(frozen=True)
class PracticeRow:
    code: str
    statement: str = ""  # the bank's words; "" when no loaded bank knows the code


@dataclass(frozen=True)
class ActionRow:
    id: int
    title: str
    practices: tuple[PracticeRow, ...]
    owner: str  # the owner as people read them; "" for nobody
    # The owner's e-mail when they are a member of the organisation, "" otherwise: trackers match
    # people by e-mail, and someone named without an account has none here.
    owner_email: str
    due_on: date | None
    status: str  # Action.Status value: planned, in_progress, done, dropped
    status_label: str  # its words: "In progress"
    dropped_reason: str
    notes: str
    done_at: datetime | None
    created_at: datetime
    source_id: int | None  # the assessment it came from
    source_label: str
    url: str  # the action's page in this tool


@dataclass(frozen=True)
class ActionPlan:
    team: str
    organisation: str
    exported_at: datetime
    actions: tuple[ActionRow, ...]


def plan_csv(plan: ActionPlan, flavour: str) -> str:
    """The plan as the CSV `flavour` ("jira" or "github") imports."""
    if flavour == "jira":
        return jira_csv(plan)
    if flavour == "github":
        return github_csv(plan)
    raise ValueError(f"unknown flavour: {flavour!r} (known: {', '.join(FLAVOURS)})")


def labels(action: ActionRow) -> list[str]:
    """The plan's label and the practice codes, without blanks (Jira splits a label at a space)
    or commas (githubCsvTools splits its labels cell at commas), each once."""
    found: list[str] = []
    for raw in (PLAN_LABEL, *(p.code for p in action.practices)):
        label = re.sub(r"[\s,]+", "-", raw.strip())
        if label and label not in found:
            found.append(label)
    return found


def jira_csv(plan: ActionPlan) -> str:
    """One issue a row. Jira's importer takes several values of a field from several columns
    with the same heading (as its own CSV export writes them), so there are as many Labels
    columns as the most labelled action needs; a label in one cell would be one label."""
    rows = [(action, labels(action)) for action in plan.actions]
    width = max((len(found) for _, found in rows), default=1)
    header = [*JIRA_COLUMNS, *(["Labels"] * width)]
    body = [
        [
            action.title,
            _description(plan, action, bullet="*", with_fields=False),
            JIRA_ISSUE_TYPE,
            JIRA_STATUS.get(action.status, ""),
            JIRA_RESOLUTION.get(action.status, ""),
            action.owner_email,
            action.due_on.isoformat() if action.due_on else "",
            *found,
            *([""] * (width - len(found))),
        ]
        for action, found in rows
    ]
    return _csv(header, body)


def github_csv(plan: ActionPlan) -> str:
    """One issue a row, for `githubCsvTools`: labels in one cell, comma-separated; GitHub has
    no due date or owner without an account, so the body says them. `assignee` is a GitHub
    login, which this tool does not know: it is left blank for whoever imports to fill in."""
    body = [
        [
            action.title,
            _description(plan, action, bullet="-", with_fields=True),
            ",".join(labels(action)),
            "",
            "closed" if action.status in GITHUB_CLOSED else "open",
        ]
        for action in plan.actions
    ]
    return _csv(list(GITHUB_COLUMNS), body)


def _csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    # The header too: it is ours, but every cell goes through the same guard.
    writer.writerow([csv_cell(v) for v in header])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return out.getvalue()


def _description(plan: ActionPlan, action: ActionRow, *, bullet: str, with_fields: bool) -> str:
    """The issue's text: what the action is for, and what the tracker has no field for. Plain
    lines with `bullet` lists read right both as Jira's wiki markup ("*") and Markdown ("-").
    It never starts with the bullet: a cell starting with "-" would be escaped as a formula."""
    lines: list[str] = []
    if action.notes.strip():
        lines += [action.notes.strip(), ""]
    if action.practices:
        lines.append("Practices this action should move:")
        for practice in action.practices:
            words = f": {practice.statement}" if practice.statement else ""
            lines.append(f"{bullet} {practice.code}{words}")
        lines.append("")
    if with_fields:
        lines.append(f"Status: {action.status_label}")
        if action.due_on:
            lines.append(f"Due: {action.due_on.isoformat()}")
    if action.owner:
        lines.append(f"Owner: {action.owner}")
    if action.dropped_reason:
        lines.append(f"Dropped because: {action.dropped_reason}")
    origin = f"Team: {plan.team} ({plan.organisation})"
    if action.source_label:
        origin += f", from the assessment {action.source_label}"
    lines.append(origin)
    if action.url:
        lines.append(f"In the MLOps maturity tool: {action.url}")
    return "\n".join(lines).strip()


def plan_json(plan: ActionPlan) -> dict[str, Any]:
    """The plan as the versioned document docs/action-plan-exports.md describes. A new key is
    added within a version; a key renamed or removed, or a meaning changed, is a new version."""
    return {
        "format": PLAN_FORMAT,
        "version": PLAN_FORMAT_VERSION,
        "team": plan.team,
        "organisation": plan.organisation,
        "exported_at": plan.exported_at.isoformat(),
        "actions": [_action_json(action) for action in plan.actions],
    }


def _action_json(action: ActionRow) -> dict[str, Any]:
    return {
        "id": action.id,
        "title": action.title,
        "practices": [{"code": p.code, "statement": p.statement or None} for p in action.practices],
        "owner": (
            {"name": action.owner, "email": action.owner_email or None} if action.owner else None
        ),
        "due_on": action.due_on.isoformat() if action.due_on else None,
        "status": action.status,
        "dropped_reason": action.dropped_reason,
        "notes": action.notes,
        "done_at": action.done_at.isoformat() if action.done_at else None,
        "created_at": action.created_at.isoformat(),
        "source_assessment": (
            {"id": action.source_id, "label": action.source_label}
            if action.source_id is not None
            else None
        ),
        "url": action.url or None,
    }


def plan_filename(team: str, day: date, extension: str, *, suffix: str = "") -> str:
    """`action-plan-<team>-<day>[-<suffix>].<extension>`, in ASCII so that every browser keeps
    the name (and no quote can end the header's filename early)."""
    ascii_name = unicodedata.normalize("NFKD", team).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "team"
    tail = f"-{suffix}" if suffix else ""
    return f"action-plan-{slug}-{day.isoformat()}{tail}.{extension}"
