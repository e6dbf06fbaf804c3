"""Turn a question bank's data (as read from YAML) into a validated `Bank`, or list every problem.

Pure Python, like the scoring engine: a consultant's CI can validate a bank without Django.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from typing import Any, cast

from assessment.scoring.types import (
    EFFORTS,
    GRADES,
    Bank,
    Effort,
    Grade,
    Guidance,
    Level,
    Phase,
    PracticeArea,
    Question,
    Recommendation,
    Role,
)

# The fewest questions a phase × level cell may have: fewer make a cell's percentage jumpy.
MIN_QUESTIONS_PER_CELL = 4

TOP_LEVEL_KEYS = (
    "slug",
    "version",
    "title",
    "description",
    "phases",
    "levels",
    "roles",
    "practice_areas",
    "questions",
)
REQUIRED_TOP_LEVEL_KEYS = tuple(k for k in TOP_LEVEL_KEYS if k != "description")
QUESTION_KEYS = (
    "code",
    "title",
    "phase",
    "level",
    "statement",
    "guidance",
    "owner",
    "contributors",
    "critical",
    "allow_na",
    "gate",
    "risk",
    "risk_note",
    "impact",
    "effort",
    "depends_on",
    "recommendation",
    "tags",
    "references",
    "replaces",
)
REQUIRED_QUESTION_KEYS = (
    "code",
    "phase",
    "level",
    "statement",
    "guidance",
    "owner",
    "recommendation",
    "tags",
    "references",
)
GUIDANCE_KEYS = ("not_in_place", "manual", "automated")
RECOMMENDATION_KEYS = ("action", "first_step")

SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
VERSION_PATTERN = re.compile(r"^\d+(?:\.\d+){0,2}$")
ROLE_CODE_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
AREA_CODE_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
QUESTION_CODE_PATTERN = re.compile(r"^[A-Z]{2,5}-(\d)-\d{2}$")

# Messages as constants, so tests assert the exact text a bank author sees.
MISSING = "missing"
UNKNOWN_KEY = "unknown key (check the spelling; allowed: {allowed})"
NOT_A_MAPPING = "must be a mapping of keys to values"
NOT_A_LIST = "must be a list"
EMPTY_LIST = "must list at least one entry"
EMPTY_TEXT = "must be a non-empty text"
NOT_A_BOOLEAN = "must be true or false"
BAD_SLUG = "{value!r} is not a slug: lower-case letters, digits and single hyphens"
BAD_VERSION = 'must be a quoted version string such as "1.0"; got {value!r}'
BAD_ROLE_CODE = "{value!r} is not a role code: lower-case letters, digits and underscores"
BAD_AREA_CODE = "{value!r} is not a practice-area code: lower-case letters, digits, hyphens"
BAD_QUESTION_CODE = "{value!r} is not a question code such as DEV-1-03"
DUPLICATE = "duplicate {what} {value!r}"
LEVELS_NOT_CONSECUTIVE = "level numbers must be 0, 1, 2, ... without gaps; got {numbers}"
BAD_LEVEL = "{value!r} is not a whole level number"
UNKNOWN_PHASE = "unknown phase {value!r} (declared: {declared})"
UNKNOWN_LEVEL = "unknown level {value!r} (declared: {declared})"
CODE_LEVEL_MISMATCH = "code {code} says level {code_level} but the question is at level {level}"
UNKNOWN_ROLE = "unknown role {value!r} (declared: {declared})"
OWNER_ALSO_CONTRIBUTOR = "the owner {value!r} cannot also be a contributor"
UNKNOWN_AREA = "unknown practice area {value!r} (declared: {declared})"
CRITICAL_AND_NA = "a critical practice cannot be marked not applicable (allow_na)"
GATE_AND_NA = "a gate practice cannot be marked not applicable (allow_na)"
BAD_GRADE = "{value!r} is not one of high, medium, low"
BAD_EFFORT = "{value!r} is not one of S, M, L"
UNKNOWN_DEPENDENCY = "depends on {value!r}, which is not a question of this bank"
DEPENDS_ON_ITSELF = "a question cannot depend on itself"
DEPENDENCY_CYCLE = "dependencies go round in a circle: {cycle}"
GATE_PHRASE = 'must say what is missing, starting with "no" (e.g. "no threat model")'
CELL_TOO_SMALL = (
    "phase {phase} at level {level} has {count} question(s); every cell needs at least {minimum}"
)
AREA_UNUSED = "no question is tagged with this practice area"
ROLE_UNUSED = "no question names this role as owner or contributor"


class BankInvalid(Exception):
    """A bank that cannot be used; `problems` lists every reason, each with its location."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        count = len(problems)
        super().__init__(
            f"{count} problem{'s' if count != 1 else ''}:\n" + "\n".join(f"  {p}" for p in problems)
        )


class _Problems:
    """Collects problems with the location they were found at."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.items: list[str] = []

    def add(self, where: str, what: str) -> None:
        self.items.append(f"{self.source}: {where}: {what}")


def parse_bank(data: object, source: str = "bank") -> Bank:
    """Validate bank data and build the `Bank`; raise `BankInvalid` listing every problem."""
    problems = _Problems(source)
    if not isinstance(data, Mapping):
        problems.add("(top level)", NOT_A_MAPPING)
        raise BankInvalid(problems.items)

    _check_keys(data, "(top level)", TOP_LEVEL_KEYS, REQUIRED_TOP_LEVEL_KEYS, problems)
    slug = _slug(data.get("slug"), problems)
    version = _version(data.get("version"), problems)
    title = _text(data, "title", "title", problems) if "title" in data else ""
    description = str(data.get("description") or "").strip()

    phases = tuple(
        Phase(code=e["code"], name=e["name"], description=e["description"])
        for e in _entries(data, "phases", ("code", "name", "description"), "code", problems)
    )
    levels = _levels(data, problems)
    roles = tuple(
        Role(code=e["code"], name=e["name"], description=e["description"])
        for e in _entries(
            data, "roles", ("code", "name", "description"), "code", problems, ROLE_CODE_PATTERN
        )
    )
    areas = tuple(
        PracticeArea(code=e["code"], name=e["name"])
        for e in _entries(
            data, "practice_areas", ("code", "name"), "code", problems, AREA_CODE_PATTERN
        )
    )
    questions = _questions(data, phases, levels, roles, areas, problems)
    # Whole-bank checks only on a bank whose parts are sound: a broken question would
    # otherwise also show up as a cell with too few questions, which misleads.
    if questions is not None and not problems.items:
        _check_coverage(questions, phases, levels, roles, areas, problems)

    if problems.items:
        raise BankInvalid(problems.items)
    return Bank(
        slug=slug,
        version=version,
        title=title,
        description=description,
        phases=phases,
        levels=levels,
        roles=roles,
        practice_areas=areas,
        questions=tuple(questions or ()),
    )


def _check_keys(
    entry: Mapping[str, Any],
    where: str,
    allowed: tuple[str, ...],
    required: tuple[str, ...],
    problems: _Problems,
) -> None:
    for key in required:
        if key not in entry:
            problems.add(_join(where, key), MISSING)
    for key in entry:
        if key not in allowed:
            problems.add(_join(where, str(key)), UNKNOWN_KEY.format(allowed=", ".join(allowed)))


def _join(where: str, key: str) -> str:
    return key if where == "(top level)" else f"{where}.{key}"


def _slug(value: object, problems: _Problems) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or not SLUG_PATTERN.match(value):
        problems.add("slug", BAD_SLUG.format(value=value))
        return ""
    return value


def _version(value: object, problems: _Problems) -> str:
    if value is None:
        return ""
    # A bare 1.10 in YAML is the number 1.1: only a quoted string keeps the version exact.
    if not isinstance(value, str) or not VERSION_PATTERN.match(value):
        problems.add("version", BAD_VERSION.format(value=value))
        return ""
    return value


def _text(entry: Mapping[str, Any], key: str, where: str, problems: _Problems) -> str:
    value = entry.get(key)
    if not isinstance(value, str) or not value.strip():
        problems.add(where, EMPTY_TEXT)
        return ""
    return " ".join(value.split())


def _list(data: Mapping[str, Any], key: str, where: str, problems: _Problems) -> list[Any] | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, list):
        problems.add(where, NOT_A_LIST)
        return None
    return value


def _entries(
    data: Mapping[str, Any],
    key: str,
    fields: tuple[str, ...],
    code_field: str,
    problems: _Problems,
    code_pattern: re.Pattern[str] | None = None,
) -> list[dict[str, str]]:
    """Read a list of simple text records (phases, roles, areas), checking codes are unique."""
    items = _list(data, key, key, problems)
    if items is None:
        return []
    if not items:
        problems.add(key, EMPTY_LIST)
    entries: list[dict[str, str]] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"{key}[{index}]"
        if not isinstance(item, Mapping):
            problems.add(where, NOT_A_MAPPING)
            continue
        _check_keys(item, where, fields, fields, problems)
        record = {f: _text(item, f, f"{where}.{f}", problems) for f in fields if f in item}
        code = record.get(code_field, "")
        if code and code_pattern and not code_pattern.match(code):
            message = BAD_ROLE_CODE if key == "roles" else BAD_AREA_CODE
            problems.add(f"{where}.{code_field}", message.format(value=code))
        if code in seen:
            problems.add(f"{where}.{code_field}", DUPLICATE.format(what=code_field, value=code))
        seen.add(code)
        if all(f in record for f in fields):
            entries.append(record)
    return entries


def _levels(data: Mapping[str, Any], problems: _Problems) -> tuple[Level, ...]:
    items = _list(data, "levels", "levels", problems)
    if items is None:
        return ()
    if not items:
        problems.add("levels", EMPTY_LIST)
    levels: list[Level] = []
    for index, item in enumerate(items):
        where = f"levels[{index}]"
        if not isinstance(item, Mapping):
            problems.add(where, NOT_A_MAPPING)
            continue
        fields = ("number", "name", "description")
        _check_keys(item, where, fields, fields, problems)
        number = item.get("number")
        if "number" in item and (not isinstance(number, int) or isinstance(number, bool)):
            problems.add(f"{where}.number", BAD_LEVEL.format(value=number))
            continue
        name = _text(item, "name", f"{where}.name", problems) if "name" in item else ""
        desc = (
            _text(item, "description", f"{where}.description", problems)
            if "description" in item
            else ""
        )
        if isinstance(number, int):
            levels.append(Level(number=number, name=name, description=desc))
    numbers = [lv.number for lv in levels]
    if levels and sorted(numbers) != list(range(len(numbers))):
        problems.add("levels", LEVELS_NOT_CONSECUTIVE.format(numbers=numbers))
    return tuple(sorted(levels, key=lambda lv: lv.number))


def _questions(
    data: Mapping[str, Any],
    phases: tuple[Phase, ...],
    levels: tuple[Level, ...],
    roles: tuple[Role, ...],
    areas: tuple[PracticeArea, ...],
    problems: _Problems,
) -> list[Question] | None:
    items = _list(data, "questions", "questions", problems)
    if items is None:
        return None
    if not items:
        problems.add("questions", EMPTY_LIST)
    phase_codes = [p.code for p in phases]
    level_numbers = [lv.number for lv in levels]
    role_codes = [r.code for r in roles]
    area_codes = [a.code for a in areas]
    questions: list[Question] = []
    seen: set[str] = set()
    for index, item in enumerate(items):
        where = f"questions[{index}]"
        if not isinstance(item, Mapping):
            problems.add(where, NOT_A_MAPPING)
            continue
        code = item.get("code")
        if isinstance(code, str) and code:
            where = f"{where} ({code})"
        question = _question(
            item, where, phase_codes, level_numbers, role_codes, area_codes, problems
        )
        if isinstance(code, str) and code in seen:
            problems.add(f"{where}.code", DUPLICATE.format(what="question code", value=code))
        if isinstance(code, str):
            seen.add(code)
        if question is not None:
            questions.append(question)
    return questions


def _question(
    item: Mapping[str, Any],
    where: str,
    phase_codes: list[str],
    level_numbers: list[int],
    role_codes: list[str],
    area_codes: list[str],
    problems: _Problems,
) -> Question | None:
    before = len(problems.items)
    _check_keys(item, where, QUESTION_KEYS, REQUIRED_QUESTION_KEYS, problems)

    code = item.get("code")
    match = QUESTION_CODE_PATTERN.match(code) if isinstance(code, str) else None
    if "code" in item and not match:
        problems.add(f"{where}.code", BAD_QUESTION_CODE.format(value=code))

    phase = item.get("phase")
    if "phase" in item and phase not in phase_codes:
        problems.add(
            f"{where}.phase", UNKNOWN_PHASE.format(value=phase, declared=", ".join(phase_codes))
        )
    level = item.get("level")
    if "level" in item and (isinstance(level, bool) or level not in level_numbers):
        problems.add(
            f"{where}.level",
            UNKNOWN_LEVEL.format(value=level, declared=", ".join(map(str, level_numbers))),
        )
    elif match and isinstance(level, int) and int(match.group(1)) != level:
        problems.add(
            f"{where}.code",
            CODE_LEVEL_MISMATCH.format(code=code, code_level=match.group(1), level=level),
        )

    statement = (
        _text(item, "statement", f"{where}.statement", problems) if "statement" in item else ""
    )
    guidance = _sub_record(item, "guidance", GUIDANCE_KEYS, where, problems)
    recommendation = _sub_record(item, "recommendation", RECOMMENDATION_KEYS, where, problems)

    declared_roles = ", ".join(role_codes)
    owner = item.get("owner")
    if "owner" in item and owner not in role_codes:
        problems.add(f"{where}.owner", UNKNOWN_ROLE.format(value=owner, declared=declared_roles))
    contributors = _string_list(item, "contributors", where, problems)
    for value in contributors:
        if value not in role_codes:
            problems.add(
                f"{where}.contributors",
                UNKNOWN_ROLE.format(value=value, declared=declared_roles),
            )
        elif value == owner:
            problems.add(f"{where}.contributors", OWNER_ALSO_CONTRIBUTOR.format(value=value))
    for value, count in Counter(contributors).items():
        if count > 1:
            problems.add(f"{where}.contributors", DUPLICATE.format(what="role", value=value))

    critical = _boolean(item, "critical", where, problems)
    allow_na = _boolean(item, "allow_na", where, problems)
    if critical and allow_na:
        problems.add(where, CRITICAL_AND_NA)

    tags = _string_list(item, "tags", where, problems, required=True)
    for value in tags:
        if value not in area_codes:
            problems.add(
                f"{where}.tags", UNKNOWN_AREA.format(value=value, declared=", ".join(area_codes))
            )
    references = _string_list(item, "references", where, problems, required=True)
    # A question may list its own code: in a new major version every carried question says
    # explicitly what it continues, so a code reused for a new practice is never matched.
    replaces = _string_list(item, "replaces", where, problems)
    title = _text(item, "title", f"{where}.title", problems) if "title" in item else ""
    gate = _text(item, "gate", f"{where}.gate", problems) if "gate" in item else ""
    if gate and not gate.lower().startswith("no "):
        problems.add(f"{where}.gate", GATE_PHRASE)
    if gate and allow_na:
        problems.add(where, GATE_AND_NA)
    risk = _choice(item, "risk", GRADES, BAD_GRADE, where, problems)
    impact = _choice(item, "impact", GRADES, BAD_GRADE, where, problems)
    effort = _choice(item, "effort", EFFORTS, BAD_EFFORT, where, problems)
    risk_note = (
        _text(item, "risk_note", f"{where}.risk_note", problems) if "risk_note" in item else ""
    )
    depends_on = _string_list(item, "depends_on", where, problems)
    if code in depends_on:
        problems.add(f"{where}.depends_on", DEPENDS_ON_ITSELF)

    if len(problems.items) > before or guidance is None or recommendation is None:
        return None
    return Question(
        code=str(code),
        phase=str(phase),
        level=int(item["level"]),  # required, and checked above to be one of level_numbers
        statement=statement,
        guidance=Guidance(**guidance),
        owner=str(owner),
        recommendation=Recommendation(**recommendation),
        contributors=tuple(contributors),
        critical=critical,
        allow_na=allow_na,
        tags=tuple(tags),
        references=tuple(references),
        replaces=tuple(replaces),
        title=title,
        gate=gate,
        risk=cast(Grade, risk or "medium"),
        risk_note=risk_note,
        impact=cast(Grade, impact or "medium"),
        effort=cast(Effort, effort or "M"),
        depends_on=tuple(depends_on),
    )


def _choice(
    item: Mapping[str, Any],
    key: str,
    allowed: tuple[str, ...],
    message: str,
    where: str,
    problems: _Problems,
) -> str:
    if key not in item:
        return ""
    value = item[key]
    if value not in allowed:
        problems.add(f"{where}.{key}", message.format(value=value))
        return ""
    return str(value)


def _sub_record(
    item: Mapping[str, Any],
    key: str,
    fields: tuple[str, ...],
    where: str,
    problems: _Problems,
) -> dict[str, str] | None:
    if key not in item:
        return None
    value = item[key]
    here = f"{where}.{key}"
    if not isinstance(value, Mapping):
        problems.add(here, NOT_A_MAPPING)
        return None
    _check_keys(value, here, fields, fields, problems)
    record = {f: _text(value, f, f"{here}.{f}", problems) for f in fields if f in value}
    return record if len(record) == len(fields) else None


def _string_list(
    item: Mapping[str, Any], key: str, where: str, problems: _Problems, *, required: bool = False
) -> list[str]:
    if key not in item:
        return []
    value = item[key]
    here = f"{where}.{key}"
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        problems.add(here, "must be a list of texts")
        return []
    if required and not value:
        problems.add(here, EMPTY_LIST)
    return [v.strip() for v in value]


def _boolean(item: Mapping[str, Any], key: str, where: str, problems: _Problems) -> bool:
    value = item.get(key, False)
    if not isinstance(value, bool):
        problems.add(f"{where}.{key}", NOT_A_BOOLEAN)
        return False
    return value


def _check_coverage(
    questions: list[Question],
    phases: tuple[Phase, ...],
    levels: tuple[Level, ...],
    roles: tuple[Role, ...],
    areas: tuple[PracticeArea, ...],
    problems: _Problems,
) -> None:
    """Checks on the bank as a whole, once every question has been read."""
    cells = Counter((q.phase, q.level) for q in questions)
    for phase in phases:
        for level in levels:
            count = cells[(phase.code, level.number)]
            if count < MIN_QUESTIONS_PER_CELL:
                problems.add(
                    "questions",
                    CELL_TOO_SMALL.format(
                        phase=phase.code,
                        level=level.number,
                        count=count,
                        minimum=MIN_QUESTIONS_PER_CELL,
                    ),
                )
    used_tags = {tag for q in questions for tag in q.tags}
    for index, area in enumerate(areas):
        if area.code not in used_tags:
            problems.add(f"practice_areas[{index}] ({area.code})", AREA_UNUSED)
    used_roles = {q.owner for q in questions} | {c for q in questions for c in q.contributors}
    for index, role in enumerate(roles):
        if role.code not in used_roles:
            problems.add(f"roles[{index}] ({role.code})", ROLE_UNUSED)
    _check_dependencies(questions, problems)


def _check_dependencies(questions: list[Question], problems: _Problems) -> None:
    """Every `depends_on` names a question of the bank, and no chain of them goes round."""
    codes = {q.code for q in questions}
    needs = {q.code: [d for d in q.depends_on if d in codes] for q in questions}
    for index, question in enumerate(questions):
        for missing in (d for d in question.depends_on if d not in codes):
            problems.add(
                f"questions[{index}] ({question.code}).depends_on",
                UNKNOWN_DEPENDENCY.format(value=missing),
            )
    # Depth-first search; each cycle is reported once, from its first question in bank order.
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    reported: set[frozenset[str]] = set()

    def visit(code: str, path: list[str]) -> None:
        state[code] = 1
        path.append(code)
        for dependency in needs[code]:
            if state.get(dependency) == 1:
                cycle = path[path.index(dependency) :]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    problems.add(
                        "questions",
                        DEPENDENCY_CYCLE.format(cycle=" -> ".join([*cycle, dependency])),
                    )
            elif dependency not in state:
                visit(dependency, path)
        path.pop()
        state[code] = 2

    for question in questions:
        if question.code not in state:
            visit(question.code, [])
