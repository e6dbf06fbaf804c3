"""Progress since the team's previous assessment: levels, cells and answers that moved, and what
became of the actions the team finished in between."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from assessment.banks.mapping import continued_codes, predecessors
from assessment.reports.prose import (
    format_date,
    in_sentence,
    join_names,
    percent_text,
    plural,
    rounded,
)
from assessment.scoring.compare import (
    DOWN,
    UP,
    AnswerChange,
    Comparison,
    LevelChange,
    compare_results,
    question_codes,
)
from assessment.scoring.engine import level_label
from assessment.scoring.followup import DoneAction, Reflection, follow_up
from assessment.scoring.results import AnswerTrace, Result
from assessment.scoring.types import NOT_ANSWERED, AnswerValue, Bank

PROGRESS_TITLE = "Progress since {label}"
NOT_ASKED = "Not asked"
FOLLOWUP_RULE = (
    "An action counts as reflected when every practice it addresses earned more points than "
    "before, or was already fully in place and stayed so; a practice not applicable on either "
    "side counts neither way."
)


@dataclass(frozen=True)
class Previous:
    """The team's previous submitted assessment, for the progress section."""

    label: str
    date: date | None
    result: Result
    # The team's actions marked done between that submission and this one, oldest first.
    done: tuple[DoneAction, ...] = ()


@dataclass(frozen=True)
class PhaseMove:
    name: str
    before: str
    after: str
    direction: str  # "up", "down", "same"
    change: str  # "Up 1 level", "Down 2 levels", "No change"


@dataclass(frozen=True)
class CellMove:
    phase: str
    level: int
    level_name: str
    before: str  # "55 %, not met"
    after: str
    change: str  # "+20 points, now met"


@dataclass(frozen=True)
class AnswerMove:
    code: str
    statement: str
    before: str
    after: str


@dataclass(frozen=True)
class PracticeFollowUp:
    code: str  # the code asked now; "DEV-1-04 (was DEV-1-02)" when the bank renamed it
    before: str  # the answer in words, as the progress moves word them
    after: str


@dataclass(frozen=True)
class ActionFollowUp:
    """One action done between the two assessments, and whether its practices moved."""

    title: str
    reflection: Reflection
    practices: tuple[PracticeFollowUp, ...]

    @property
    def verdict(self) -> str:
        return self.reflection.label

    @property
    def practices_text(self) -> str:
        """The practices' answers then and now, in one line: "DES-0-02 from done manually to
        automated; DES-1-01 from not in place to not in place"."""
        if not self.practices:
            return "No practice named"
        return "; ".join(
            f"{p.code} from {p.before.lower()} to {p.after.lower()}" for p in self.practices
        )


@dataclass(frozen=True)
class ProgressView:
    title: str
    previous_label: str
    previous_date: str
    sentence: str
    overall: PhaseMove
    phases: tuple[PhaseMove, ...]
    cells: tuple[CellMove, ...]  # only the cells that moved
    improved: tuple[AnswerMove, ...]
    regressed: tuple[AnswerMove, ...]
    other: tuple[AnswerMove, ...]
    note: str  # how results of different bank versions were matched, when they differ
    method_changed: bool = False  # scored by different engine majors: levels not comparable
    followups: tuple[ActionFollowUp, ...] = ()  # the actions done in between, oldest first
    followup_sentence: str = ""  # "Of the 3 actions done since 2026 Q3, 1 is reflected …"

    @property
    def followup_rule(self) -> str:
        return FOLLOWUP_RULE

    # The moves as one line of text each ("DES-0-02 from not in place to automated; …"): plain
    # text prints many times faster than one element per move.
    @property
    def improved_text(self) -> str:
        return _moves_text(self.improved)

    @property
    def regressed_text(self) -> str:
        return _moves_text(self.regressed)

    @property
    def other_text(self) -> str:
        return _moves_text(self.other)


def _moves_text(moves: tuple[AnswerMove, ...]) -> str:
    return "; ".join(
        f"{move.code} from {move.before.lower()} to {move.after.lower()}" for move in moves
    )


def build_progress(bank: Bank, previous: Previous, result: Result) -> ProgressView:
    continued = continued_codes(bank, question_codes(previous.result))
    comparison = compare_results(previous.result, result, continued)
    names = {phase.code: phase.name for phase in bank.phases}

    def level_name(level: int) -> str:
        try:
            return bank.level(level).name
        except KeyError:
            return ""

    def move(name: str, change: LevelChange) -> PhaseMove:
        steps = abs(change.steps)
        if change.direction == UP:
            text = f"Up {plural(steps, 'level')}"
        elif change.direction == DOWN:
            text = f"Down {plural(steps, 'level')}"
        else:
            text = "No change"
        return PhaseMove(
            name=name,
            before=level_label(bank, change.before) if _known(bank, change.before) else "",
            after=level_label(bank, change.after),
            direction=change.direction,
            change=text,
        )

    def statement(code: str) -> str:
        try:
            return bank.question(code).statement
        except KeyError:
            return ""

    def answer_move(change: AnswerChange) -> AnswerMove:
        return AnswerMove(
            code=change.code,
            statement=statement(change.code),
            before=_answer_words(bank, change.code, change.before, change.before_answered),
            after=_answer_words(bank, change.code, change.after, change.after_answered),
        )

    cells = []
    for cell in comparison.moved_cells:
        cells.append(
            CellMove(
                phase=names.get(cell.phase, cell.phase),
                level=cell.level,
                level_name=level_name(cell.level),
                before=_cell_text(cell.before_percent, cell.before_met),
                after=_cell_text(cell.after_percent, cell.after_met),
                change=_cell_change(cell.percent_delta, cell.before_met, cell.after_met),
            )
        )
    overall = move("Overall", comparison.overall)
    phases = tuple(move(names.get(c.phase, c.phase), c) for c in comparison.phases)
    method_changed = previous.result.model != result.model
    followups = action_follow_ups(bank, previous.result, result, previous.done)
    return ProgressView(
        title=PROGRESS_TITLE.format(label=previous.label),
        previous_label=previous.label,
        previous_date=format_date(previous.date),
        sentence=_progress_sentence(comparison, overall, phases),
        overall=overall,
        phases=phases,
        cells=tuple(cells),
        improved=tuple(answer_move(c) for c in comparison.improved),
        regressed=tuple(answer_move(c) for c in comparison.regressed),
        other=tuple(answer_move(c) for c in comparison.other),
        method_changed=method_changed,
        note=""
        if comparison.same_bank
        else (
            f"The previous assessment used {previous.result.bank_key} and this one "
            f"{result.bank_key}: questions are compared where their codes match"
            + (
                f"; {plural(len(comparison.only_after), 'question')} are new"
                if comparison.only_after
                else ""
            )
            + "."
        ),
        followups=followups,
        followup_sentence=follow_up_sentence(followups, previous.label),
    )


def action_follow_ups(
    bank: Bank,
    before: Result,
    after: Result,
    done: tuple[DoneAction, ...],
) -> tuple[ActionFollowUp, ...]:
    """Each action done between `before` and `after` (scored against `bank`), with its verdict
    and, practice by practice, the answer then and now in the words the report uses for answers.
    A practice renamed, split or merged since `before` is followed through `bank`'s
    `replaces:`."""
    traces_before, traces_after = _traces(before), _traces(after)

    def words(trace: AnswerTrace | None, code: str) -> str:
        if trace is None:
            return NOT_ASKED
        return _answer_words(bank, code, trace.value, trace.answered)

    rows = []
    earlier_codes = question_codes(before)
    lineage = {q.code: predecessors(q, earlier_codes) for q in bank.questions}
    for followup in follow_up(done, before, after, lineage):
        practices = []
        for move in followup.moves:
            earlier = move.earlier
            practices.append(
                PracticeFollowUp(
                    code=move.code if earlier == move.code else f"{move.code} (was {earlier})",
                    before=words(traces_before.get(earlier), earlier),
                    after=words(traces_after.get(move.code), move.code),
                )
            )
        rows.append(ActionFollowUp(followup.action.title, followup.reflection, tuple(practices)))
    return tuple(rows)


# What each verdict says of a count of actions: in full, and after a first count has said it.
_FULL = {
    Reflection.REFLECTED: ("is reflected in the answers", "are reflected in the answers"),
    Reflection.PARTLY: (
        "is partly reflected in the answers",
        "are partly reflected in the answers",
    ),
    Reflection.NOT_REFLECTED: (
        "is not reflected in the answers yet",
        "are not reflected in the answers yet",
    ),
    # No practice both sides can compare: none named, dropped from the bank, or not applicable.
    Reflection.UNMATCHED: (
        "cannot be judged from the answers",
        "cannot be judged from the answers",
    ),
}
_SHORT = {
    Reflection.REFLECTED: "reflected",
    Reflection.PARTLY: "partly",
    Reflection.NOT_REFLECTED: "not yet",
}


def follow_up_sentence(followups: tuple[ActionFollowUp, ...], since: str) -> str:
    """The follow-up in one sentence: "Of the 3 actions done since 2026 Q3, 1 is reflected in
    the answers, 1 partly, 1 not yet." Empty when no action was done."""
    if not followups:
        return ""
    counts = {r: sum(f.reflection is r for f in followups) for r in Reflection}
    if len(followups) == 1:
        return f"The one action done since {since} {_FULL[followups[0].reflection][0]}."
    parts: list[str] = []
    for reflection, count in counts.items():
        if not count:
            continue
        one, many = _FULL[reflection]
        # The first count carries the verb and the next ones lean on it, as people say it; an
        # unmatched count says something else, so it keeps its own verb.
        if parts and reflection in _SHORT:
            parts.append(f"{count} {_SHORT[reflection]}")
        else:
            parts.append(f"{count} {one if count == 1 else many}")
    return f"Of the {len(followups)} actions done since {since}, {', '.join(parts)}."


def _traces(result: Result) -> dict[str, AnswerTrace]:
    return {
        trace.code: trace
        for phase in result.phases
        for cell in phase.cells
        for trace in cell.answers
    }


def _answer_words(bank: Bank, code: str, value: AnswerValue, answered: bool) -> str:
    """An answer in words at its question's level ("Institutionalised" at level 0)."""
    try:
        level = bank.question(code).level
    except KeyError:  # a question the current bank no longer has: its code carries its level
        middle = code.split("-")[1] if code.count("-") == 2 else ""
        level = int(middle) if middle.isdigit() else 1
    return value.label_at(level) if answered else NOT_ANSWERED


def _known(bank: Bank, level: int | None) -> bool:
    if level is None:
        return True
    try:
        bank.level(level)
    except KeyError:
        return False
    return True


def _cell_text(percent: float | None, met: bool) -> str:
    return f"{percent_text(percent)}, {'met' if met else 'not met'}"


def _cell_change(delta: float | None, before_met: bool, after_met: bool) -> str:
    parts = []
    if delta:
        # Rounded as the compare page's table rounds (half up): 12.5 is "+13" in both.
        text = rounded(delta)
        parts.append(f"{text if text.startswith('-') else '+' + text} points")
    if after_met and not before_met:
        parts.append("now met")
    elif before_met and not after_met:
        parts.append("no longer met")
    return ", ".join(parts) or "changed"


def _progress_sentence(
    comparison: Comparison, overall: PhaseMove, phases: tuple[PhaseMove, ...]
) -> str:
    up = [p.name for p in phases if p.direction == UP]
    down = [p.name for p in phases if p.direction == DOWN]
    before, after = in_sentence(overall.before), in_sentence(overall.after)
    if overall.direction == UP:
        first = f"The overall level rose from {before} to {after}."
    elif overall.direction == DOWN:
        first = f"The overall level fell from {before} to {after}."
    else:
        first = f"The overall level is unchanged: {after}."
    details = []
    if up:
        details.append(f"{join_names(up)} moved up")
    if down:
        details.append(f"{join_names(down)} moved down")
    moved = f" {'; '.join(details)}." if details else ""
    answers = (
        f" {plural(len(comparison.improved), 'answer')} improved and "
        f"{len(comparison.regressed)} regressed."
    )
    return first + (moved[0] + moved[1].upper() + moved[2:] if moved else "") + answers
