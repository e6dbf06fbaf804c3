"""Plain data the scoring engine works on: the question bank and a team's answers.

No Django here (a test enforces it): the engine must be readable, testable and reusable alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from typing import Literal

Grade = Literal["high", "medium", "low"]
Effort = Literal["S", "M", "L"]
GRADES: tuple[Grade, ...] = ("high", "medium", "low")
EFFORTS: tuple[Effort, ...] = ("S", "M", "L")


class AnswerValue(StrEnum):
    """What a respondent can say about one practice."""

    NOT_IN_PLACE = "0"
    MANUAL = "0.5"
    AUTOMATED = "1"
    NOT_APPLICABLE = "na"
    UNKNOWN = "unknown"

    @property
    def points(self) -> float | None:
        """Points towards a cell; None for `na`, which leaves the denominator. Unknown scores 0."""
        return _POINTS[self]

    @property
    def label(self) -> str:
        """The answer in words, as forms, pages, exports and the report all show it."""
        return _ANSWER_LABELS[self]

    def label_at(self, level: int) -> str:
        """The answer in words for a question at `level`. A level-0 practice fully in place is
        "institutionalised": level 0 is about doing things consistently, not automating them."""
        if self is AnswerValue.AUTOMATED and level == 0:
            return INSTITUTIONALISED
        return self.label

    @classmethod
    def parse(cls, raw: object) -> AnswerValue:
        """Accept 0, 0.5, 1 (numbers or strings), "na" and "unknown"; raise ValueError otherwise."""
        if isinstance(raw, bool):
            raise ValueError(f"{raw!r} is not an answer")
        if isinstance(raw, int | float):
            for value in (cls.NOT_IN_PLACE, cls.MANUAL, cls.AUTOMATED):
                if float(value.value) == raw:
                    return value
            raise ValueError(f"{raw!r} is not an answer")
        text = str(raw).strip().lower()
        aliases = {"0.0": "0", "1.0": "1", ".5": "0.5", "n/a": "na"}
        try:
            return cls(aliases.get(text, text))
        except ValueError:
            raise ValueError(f"{raw!r} is not an answer") from None


_POINTS: dict[AnswerValue, float | None] = {
    AnswerValue.NOT_IN_PLACE: 0.0,
    AnswerValue.MANUAL: 0.5,
    AnswerValue.AUTOMATED: 1.0,
    AnswerValue.NOT_APPLICABLE: None,
    AnswerValue.UNKNOWN: 0.0,
}

# Every answer's words live here and nowhere else (see `AnswerValue.label`).
NOT_ANSWERED = "Not answered"
INSTITUTIONALISED = "Institutionalised"
_ANSWER_LABELS: dict[AnswerValue, str] = {
    AnswerValue.NOT_IN_PLACE: "Not in place",
    AnswerValue.MANUAL: "Done manually",
    AnswerValue.AUTOMATED: "Automated",
    AnswerValue.NOT_APPLICABLE: "Not applicable",
    AnswerValue.UNKNOWN: "Don't know",
}


def answer_label(value: str, level: int) -> str:
    """The words for a stored answer value ("" when only a note was typed) at `level`."""
    return AnswerValue(value).label_at(level) if value else NOT_ANSWERED


# The answers that carry guidance text in the bank, in the order a form shows them.
GUIDED_VALUES: tuple[AnswerValue, ...] = (
    AnswerValue.NOT_IN_PLACE,
    AnswerValue.MANUAL,
    AnswerValue.AUTOMATED,
)


class Presence(StrEnum):
    """Whether the team has a role: its own person, a borrowed or part-time one, or nobody."""

    PRESENT = "present"
    SHARED = "shared"
    ABSENT = "absent"
    UNKNOWN = "unknown"  # not stated; treated like absent when deciding the action

    @property
    def label(self) -> str:
        return _PRESENCE_WORDS[self][0]

    @property
    def description(self) -> str:
        """What the presence means, for the question "does the team have this role?"."""
        return _PRESENCE_WORDS[self][1]


_PRESENCE_WORDS: dict[Presence, tuple[str, str]] = {
    Presence.PRESENT: ("Present", "someone in the team has this role"),
    Presence.SHARED: ("Shared", "part-time, or borrowed from another team"),
    Presence.ABSENT: ("Absent", "nobody covers it"),
    Presence.UNKNOWN: ("Not stated", "the team did not say"),
}


@dataclass(frozen=True)
class Phase:
    code: str  # "design", "development", "operations"
    name: str
    description: str


@dataclass(frozen=True)
class Level:
    number: int  # 0, 1, 2
    name: str
    description: str


@dataclass(frozen=True)
class Role:
    code: str  # snake_case, e.g. "data_scientist"
    name: str
    description: str


@dataclass(frozen=True)
class PracticeArea:
    code: str  # kebab-case tag, e.g. "experiment-tracking"
    name: str


@dataclass(frozen=True)
class Guidance:
    """What each answer means for this particular practice."""

    not_in_place: str
    manual: str
    automated: str

    def for_value(self, value: AnswerValue) -> str:
        return {
            AnswerValue.NOT_IN_PLACE: self.not_in_place,
            AnswerValue.MANUAL: self.manual,
            AnswerValue.AUTOMATED: self.automated,
        }.get(value, "")


@dataclass(frozen=True)
class Recommendation:
    action: str  # what to do next
    first_step: str  # a concrete first step someone can take this week


@dataclass(frozen=True)
class Question:
    code: str  # stable across versions, e.g. "DEV-1-03"
    phase: str
    level: int
    statement: str
    guidance: Guidance
    owner: str  # role code
    recommendation: Recommendation
    contributors: tuple[str, ...] = ()
    critical: bool = False
    allow_na: bool = False
    tags: tuple[str, ...] = ()
    references: tuple[str, ...] = ()
    replaces: tuple[str, ...] = ()  # codes in earlier versions this question continues
    title: str = ""  # a short name of the practice, for prose where a statement is too long
    gate: str = ""  # what is missing when absent ("no threat model"); empty: not a gate practice
    # For advice (docs/question-bank.md, "Advice fields"); banks without them get the middle.
    risk: Grade = "medium"  # the harm if the practice is missing
    risk_note: str = ""  # that harm in one plain sentence
    impact: Grade = "medium"  # what putting it in place improves
    effort: Effort = "M"  # S: days, M: weeks, L: a quarter or a platform
    depends_on: tuple[str, ...] = ()  # practices that must be in place first

    @property
    def name(self) -> str:
        """The practice in a few words: its title, or its statement when the bank gives none."""
        return self.title or self.statement


@dataclass(frozen=True)
class Bank:
    slug: str
    version: str
    title: str
    description: str
    phases: tuple[Phase, ...]
    levels: tuple[Level, ...]
    roles: tuple[Role, ...]
    practice_areas: tuple[PracticeArea, ...]
    questions: tuple[Question, ...]

    @property
    def key(self) -> str:
        return f"{self.slug}@{self.version}"

    def question(self, code: str) -> Question:
        return self._questions_by_code[code]

    def role(self, code: str) -> Role:
        return self._roles_by_code[code]

    def phase(self, code: str) -> Phase:
        return self._phases_by_code[code]

    def level(self, number: int) -> Level:
        return self._levels_by_number[number]

    def questions_in(self, phase: str, level: int | None = None) -> tuple[Question, ...]:
        return tuple(
            q for q in self.questions if q.phase == phase and (level is None or q.level == level)
        )

    # Cached on the instance (frozen dataclasses allow it): the engine looks codes up often.
    @cached_property
    def _questions_by_code(self) -> dict[str, Question]:
        return {q.code: q for q in self.questions}

    @cached_property
    def _roles_by_code(self) -> dict[str, Role]:
        return {r.code: r for r in self.roles}

    @cached_property
    def _phases_by_code(self) -> dict[str, Phase]:
        return {p.code: p for p in self.phases}

    @cached_property
    def _levels_by_number(self) -> dict[int, Level]:
        return {lv.number: lv for lv in self.levels}


@dataclass(frozen=True)
class Answer:
    value: AnswerValue
    evidence: str = ""  # a URL or a short text that backs the answer
    note: str = ""
    reason: str = ""  # why the practice does not apply; required with `na`

    @property
    def points(self) -> float | None:
        return self.value.points


# What an assessment in the app is always scored with; an answers file may ask for another.
DEFAULT_THRESHOLD = 80.0


@dataclass(frozen=True)
class AssessmentInput:
    """Everything the engine needs besides the bank."""

    answers: dict[str, Answer] = field(default_factory=dict)  # by question code
    team: dict[str, Presence] = field(default_factory=dict)  # by role code
    targets: dict[str, int] = field(default_factory=dict)  # by phase code
    threshold: float = DEFAULT_THRESHOLD  # percent a cell needs to be met
