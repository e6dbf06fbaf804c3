"""Answers files: what a consultant writes offline, checked against a bank before scoring.

    bank: mlops-maturity@1.0
    answers:
      DES-0-01: 1
      DES-0-02: {value: 0.5, evidence: "https://wiki.example/kpis", note: "reviewed quarterly"}
      OPS-1-04: {value: na, reason: "batch scoring only"}
    team: {data_scientist: present, ml_engineer: absent}
    targets: {operations: 1}
    threshold: 80          # optional

Parsing collects every problem before giving up, so a consultant fixes a file in one go. Each
problem names where it is (`answers.OPS-1-04: "na" needs a reason`); the texts are constants
here so tests assert them exactly.

A file may come from anyone who can upload one, so reading it is bounded: its size, and, checked
while parsing (before anything is built), how deep it nests and how many values it holds. A
complete answers file is a few kilobytes, 3 levels deep, about 500 values.
"""

from __future__ import annotations

import json
import re
from collections.abc import Hashable, Mapping
from pathlib import Path
from typing import Any

import yaml

try:  # libyaml's parser and composer, in C: far faster than the pure-Python ones
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

from assessment.formats.text import UNSTORABLE_CHARACTERS, UNSTORABLE_TEXT, is_storable
from assessment.scoring.types import Answer, AnswerValue, AssessmentInput, Bank, Presence

MAX_EVIDENCE_LENGTH = 2000
# What an assessment stores of each text (assessment/models.py says the same).
TEXT_LIMITS = {"evidence": MAX_EVIDENCE_LENGTH, "note": 2000, "reason": 500}
# 73 answers (bank 2.0) with every text at its longest (evidence 2000, note 2000, reason 500
# characters) are about 330 KB of ASCII; an export repeats them in its result, so in accented text
# the largest export made here is about 1.25 MB. The limits on depth and values below keep even a
# hostile file of this size quick to refuse (a tenth of a second at worst, against 26 s for 2 MB
# with the pure-Python loader and no limits).
MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 20  # an answers file nests 3 deep, an export 5
MAX_VALUES = 10_000  # scalars, mappings and lists: an answers file holds ~500, an export ~2,300

ERROR_HEADING = "The answers file has {count} problem(s):"
CANNOT_READ = "{path}: cannot read the file ({reason})"
UNSUPPORTED_FORMAT = "{path}: use a .yaml, .yml or .json file"
INVALID_SYNTAX = "{path}: not valid {format} ({reason})"
TOO_LARGE = "{path}: {size} bytes; an answers file is at most 2 MB"
TOO_DEEP = "{path}: nested more than {limit} levels deep; an answers file needs 3"
TOO_MANY_VALUES = "{path}: more than {limit} values; a complete answers file holds about 500"
UNSTORABLE = "{where}: " + UNSTORABLE_TEXT
UNSTORABLE_KEY = "{where}: the key " + UNSTORABLE_TEXT
MORE_UNSTORABLE = "… and {count} more texts with a NUL character or an unpaired surrogate"
DUPLICATE_KEY = "{path}: {key} appears twice in the same mapping"
NOT_A_MAPPING = "{where}: must be a mapping of keys to values"
UNKNOWN_KEY = "{where}: unknown key {key}; expected {expected}"
MISSING_BANK = 'bank: missing; write the bank as slug@version, e.g. "mlops-maturity@1.0"'
BAD_BANK = 'bank: {value} is not slug@version, e.g. "mlops-maturity@1.0"'
WRONG_BANK = "bank: the file is for {given}, but the bank is {expected}"
UNKNOWN_QUESTION = "answers.{code}: no such question in {bank}"
MISSING_VALUE = "answers.{code}: missing value"
BAD_VALUE = "answers.{code}: {value} is not an answer; use 0, 0.5, 1, na or unknown"
NA_NOT_ALLOWED = 'answers.{code}: "na" is not allowed for this question'
NA_WITHOUT_REASON = 'answers.{code}: "na" needs a reason'
NOT_TEXT = "{where}: must be text, not {value}"
TEXT_TOO_LONG = "answers.{code}.{key}: {length} characters; at most {limit}"
UNKNOWN_ROLE = "team.{role}: no such role in {bank}"
BAD_PRESENCE = "team.{role}: {value} is not a presence; use present, shared, absent or unknown"
UNKNOWN_PHASE = "targets.{phase}: no such phase in {bank}"
BAD_TARGET = (
    "targets.{phase}: {value} is not a level; use a whole number from {lowest} to {highest}"
)
BAD_THRESHOLD = "threshold: {value} must be a number above 0 and at most 100"

FILE_KEYS = ("bank", "answers", "team", "targets", "threshold")
ANSWER_KEYS = ("value", "evidence", "note", "reason")

# JSON escapes ("\u0000", "\ud800") and YAML's ("\0") write what no database stores.
MAX_UNSTORABLE_SHOWN = 20
_BANK_KEY = re.compile(r"(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)@(?P<version>[0-9][0-9A-Za-z.-]*)")


class AnswersFileError(ValueError):
    """Every problem found in one answers file."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        lines = [ERROR_HEADING.format(count=len(self.problems))]
        lines += [f"- {problem}" for problem in self.problems]
        super().__init__("\n".join(lines))


def read_answers_file(path: str | Path) -> dict[str, Any]:
    """Load a .yaml, .yml or .json answers file; raise AnswersFileError if it cannot be used."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".yaml", ".yml", ".json"):
        raise AnswersFileError([UNSUPPORTED_FORMAT.format(path=path)])
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise AnswersFileError([TOO_LARGE.format(path=path, size=size)])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise AnswersFileError([CANNOT_READ.format(path=path, reason=reason)]) from error
    return load_answers_text(text, json_format=suffix == ".json", where=str(path))


def load_answers_text(text: str, *, json_format: bool, where: str) -> dict[str, Any]:
    """An answers file's text (JSON, or YAML), loaded with the same bounds and checks as a file;
    `where` names it in problems (a path, or "the request body")."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        raise AnswersFileError([TOO_LARGE.format(path=where, size=len(text.encode()))])
    duplicates: list[Any] = []
    try:
        if json_format:
            # The C parser reads a file of this size in milliseconds; its shape is checked after.
            data = json.loads(text, object_pairs_hook=_json_object(duplicates))
            _check_shape(data)
        else:
            _check_events(text)
            data = yaml.load(text, Loader=_loader(duplicates))  # noqa: S506 - a safe loader
    except _TooLarge as error:
        raise AnswersFileError([error.problem.format(path=where, limit=error.limit)]) from None
    except (ValueError, RecursionError, yaml.YAMLError) as error:
        file_format = "JSON" if json_format else "YAML"
        problem = INVALID_SYNTAX.format(path=where, format=file_format, reason=_one_line(error))
        raise AnswersFileError([problem]) from error
    problems = [DUPLICATE_KEY.format(path=where, key=_show(key)) for key in duplicates]
    problems += _unstorable_texts(data)
    if not isinstance(data, dict):
        problems.append(NOT_A_MAPPING.format(where=where))
        raise AnswersFileError(problems)
    if problems:
        raise AnswersFileError(problems)
    return data


def bank_key(data: object) -> tuple[str, str]:
    """The (slug, version) the file's `bank:` names, so the caller can find that bank."""
    problems: list[str] = []
    key = _bank_key(data, problems)
    if key is None:
        raise AnswersFileError(problems)
    return key


def parse_answers_file(data: object, bank: Bank) -> AssessmentInput:
    """Check loaded answers-file data against `bank` and turn it into the engine's input."""
    if not isinstance(data, Mapping):
        raise AnswersFileError([NOT_A_MAPPING.format(where="the file")])
    problems: list[str] = []
    _check_keys(data, FILE_KEYS, "the file", problems)
    key = _bank_key(data, problems)
    if key is not None and key != (bank.slug, bank.version):
        problems.append(WRONG_BANK.format(given="@".join(key), expected=bank.key))
    given = AssessmentInput(
        answers=_answers(_section(data, "answers", problems), bank, problems),
        team=_team(_section(data, "team", problems), bank, problems),
        targets=_targets(_section(data, "targets", problems), bank, problems),
        threshold=_threshold(data.get("threshold"), problems),
    )
    if problems:
        raise AnswersFileError(problems)
    return given


def parse_answers(section: object, bank: Bank) -> dict[str, Answer]:
    """An `answers:` section alone, checked as in a whole file: what the API's answer writes
    send. Raises AnswersFileError listing every problem."""
    if not isinstance(section, Mapping):
        raise AnswersFileError([NOT_A_MAPPING.format(where="answers")])
    problems = _unstorable_texts(section)
    answers = _answers(section, bank, problems)
    if problems:
        raise AnswersFileError(problems)
    return answers


# --- sections ----------------------------------------------------------------------------------


def _bank_key(data: object, problems: list[str]) -> tuple[str, str] | None:
    if not isinstance(data, Mapping):
        problems.append(NOT_A_MAPPING.format(where="the file"))
        return None
    if data.get("bank") is None:
        problems.append(MISSING_BANK)
        return None
    raw = data["bank"]
    match = _BANK_KEY.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if match is None:
        problems.append(BAD_BANK.format(value=_show(raw)))
        return None
    return match["slug"], match["version"]


def _section(data: Mapping[str, Any], name: str, problems: list[str]) -> Mapping[Any, Any]:
    section = data.get(name)
    if section is None:
        return {}  # `answers:` left empty in YAML reads as null: nothing given yet
    if not isinstance(section, Mapping):
        problems.append(NOT_A_MAPPING.format(where=name))
        return {}
    return section


def _answers(section: Mapping[Any, Any], bank: Bank, problems: list[str]) -> dict[str, Answer]:
    answers = {}
    for raw_code, entry in section.items():
        code = str(raw_code)
        try:
            question = bank.question(code)
        except KeyError:
            problems.append(UNKNOWN_QUESTION.format(code=code, bank=bank.key))
            continue
        answer = _answer(code, entry, question.allow_na, problems)
        if answer is not None:
            answers[code] = answer
    return answers


def _answer(code: str, entry: object, allow_na: bool, problems: list[str]) -> Answer | None:
    """One answer; None when left blank (a template not filled in yet) or without a usable value."""
    if entry is None:
        return None
    texts = {"evidence": "", "note": "", "reason": ""}
    if isinstance(entry, Mapping):
        where = f"answers.{code}"
        _check_keys(entry, ANSWER_KEYS, where, problems)
        if entry.get("value") is None:
            problems.append(MISSING_VALUE.format(code=code))
            return None
        raw_value = entry["value"]
        for key in texts:
            texts[key] = _text(entry.get(key), f"{where}.{key}", problems)
    else:
        raw_value = entry

    try:
        value = AnswerValue.parse(raw_value)
    except ValueError:
        problems.append(BAD_VALUE.format(code=code, value=_show(raw_value)))
        return None
    for key, limit in TEXT_LIMITS.items():
        if len(texts[key]) > limit:
            problems.append(
                TEXT_TOO_LONG.format(code=code, key=key, length=len(texts[key]), limit=limit)
            )
    if value is AnswerValue.NOT_APPLICABLE:
        if not allow_na:
            # Giving a reason would not help, so that problem is not reported as well.
            problems.append(NA_NOT_ALLOWED.format(code=code))
        elif not texts["reason"].strip():
            problems.append(NA_WITHOUT_REASON.format(code=code))
    return Answer(value=value, **texts)


def _team(section: Mapping[Any, Any], bank: Bank, problems: list[str]) -> dict[str, Presence]:
    team = {}
    for raw_role, raw_presence in section.items():
        role = str(raw_role)
        try:
            bank.role(role)
        except KeyError:
            problems.append(UNKNOWN_ROLE.format(role=role, bank=bank.key))
            continue
        try:
            if not isinstance(raw_presence, str):
                raise ValueError(raw_presence)
            team[role] = Presence(raw_presence.strip().lower())
        except ValueError:
            problems.append(BAD_PRESENCE.format(role=role, value=_show(raw_presence)))
    return team


def _targets(section: Mapping[Any, Any], bank: Bank, problems: list[str]) -> dict[str, int]:
    numbers = sorted(level.number for level in bank.levels)
    targets = {}
    for raw_phase, raw_level in section.items():
        phase = str(raw_phase)
        try:
            bank.phase(phase)
        except KeyError:
            problems.append(UNKNOWN_PHASE.format(phase=phase, bank=bank.key))
            continue
        # bool is an int in Python; `yes` in YAML must not become level 1.
        if (
            isinstance(raw_level, bool)
            or not isinstance(raw_level, int)
            or raw_level not in numbers
        ):
            problems.append(
                BAD_TARGET.format(
                    phase=phase, value=_show(raw_level), lowest=numbers[0], highest=numbers[-1]
                )
            )
            continue
        targets[phase] = raw_level
    return targets


def _threshold(raw: object, problems: list[str]) -> float:
    default = AssessmentInput().threshold
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int | float) or not 0 < raw <= 100:
        problems.append(BAD_THRESHOLD.format(value=_show(raw)))
        return default
    return float(raw)


# --- helpers -----------------------------------------------------------------------------------


def _check_keys(
    data: Mapping[Any, Any], expected: tuple[str, ...], where: str, problems: list[str]
) -> None:
    for key in data:
        if key not in expected:
            problems.append(
                UNKNOWN_KEY.format(where=where, key=_show(key), expected=", ".join(expected))
            )


def _text(raw: object, where: str, problems: list[str]) -> str:
    if raw is None:
        return ""
    if not isinstance(raw, str):
        problems.append(NOT_TEXT.format(where=where, value=_show(raw)))
        return ""
    return raw


def _unstorable_texts(data: object) -> list[str]:
    """Where the loaded file holds text no database stores, keys included; at most
    MAX_UNSTORABLE_SHOWN places, then how many more."""
    found: list[str] = []

    def visit(value: object, where: str) -> None:  # at most MAX_DEPTH deep: checked on reading
        if isinstance(value, str):
            if not is_storable(value):
                found.append(UNSTORABLE.format(where=where or "the file"))
        elif isinstance(value, dict):
            for key, child in value.items():
                inner = f"{where}.{_escaped(str(key))}" if where else _escaped(str(key))
                if isinstance(key, str) and not is_storable(key):
                    found.append(UNSTORABLE_KEY.format(where=inner))
                visit(child, inner)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                visit(child, f"{where}[{index}]")

    visit(data, "")
    if len(found) > MAX_UNSTORABLE_SHOWN:
        more = len(found) - MAX_UNSTORABLE_SHOWN
        return [*found[:MAX_UNSTORABLE_SHOWN], MORE_UNSTORABLE.format(count=more)]
    return found


def _escaped(text: str) -> str:
    """`text` with NUL and lone surrogates written as JSON escapes, so a message can show it."""
    return UNSTORABLE_CHARACTERS.sub(lambda match: f"\\u{ord(match[0]):04x}", text)


SHOWN_LENGTH = 80


def _show(value: object) -> str:
    """A value as the consultant would write it in JSON: 2, "yes", true, null; cut short, so a
    huge or self-referencing value cannot flood the message."""
    try:
        shown = json.dumps(value, ensure_ascii=False, default=str)
    except (ValueError, RecursionError):  # a YAML structure that contains itself
        shown = f"a {type(value).__name__} that contains itself"
    shown = _escaped(shown)
    return shown if len(shown) <= SHOWN_LENGTH else shown[: SHOWN_LENGTH - 1] + "…"


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())


def _json_object(duplicates: list[Any]) -> Any:
    def build(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for key, value in pairs:
            if key in data:
                duplicates.append(key)
            data[key] = value
        return data

    return build


class _TooLarge(Exception):
    def __init__(self, problem: str, limit: int) -> None:
        super().__init__(problem)
        self.problem = problem
        self.limit = limit


def _check_events(text: str) -> None:
    """Refuse aliases, deep nesting and too many values from the parser's events, before any node
    is composed: the parser stops at the first value too many, whatever follows."""
    depth = values = 0
    # types-PyYAML types yaml.parse's Loader loosely; the C parser yields the same events.
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, yaml.AliasEvent):
            # Anchors and aliases let a few bytes expand into gigabytes ("billion laughs"); an
            # answers file never needs them.
            raise yaml.YAMLError(f"aliases (*{event.anchor}) are not allowed in an answers file")
        if isinstance(event, yaml.ScalarEvent | yaml.CollectionStartEvent):
            values += 1
            if values > MAX_VALUES:
                raise _TooLarge(TOO_MANY_VALUES, MAX_VALUES)
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _TooLarge(TOO_DEEP, MAX_DEPTH)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_shape(data: object) -> None:
    """The same limits as `_check_events`, on data already loaded (from JSON)."""
    values = 0
    pending: list[tuple[object, int]] = [(data, 1)]
    while pending:
        value, depth = pending.pop()
        values += 1
        if values > MAX_VALUES:
            raise _TooLarge(TOO_MANY_VALUES, MAX_VALUES)
        if isinstance(value, dict | list):
            if depth > MAX_DEPTH:
                raise _TooLarge(TOO_DEEP, MAX_DEPTH)
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)


def _loader(duplicates: list[Any]) -> type[_SafeLoader]:
    """A safe loader that notes repeated keys, which PyYAML would otherwise silently overwrite.
    Aliases never reach it: `_check_events` refuses them first."""

    class DuplicateNotingLoader(_SafeLoader):
        def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
            seen: set[Hashable] = set()
            for key_node, _ in node.value:
                key = self.construct_object(key_node, deep=deep)
                if isinstance(key, Hashable):
                    if key in seen:
                        duplicates.append(key)
                    seen.add(key)
            return super().construct_mapping(node, deep=deep)

    return DuplicateNotingLoader
