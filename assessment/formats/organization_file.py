"""`organization.json`, the manifest of an organisation's ZIP export, and reading such a ZIP back
so the organisation can be restored on another instance (docs/deploy.md, "Moving an organisation
to another instance").

The ZIP holds, per assessment, a folder with its CSV, its JSON (`assessment_file.assessment_json`:
label, status, dates, bank, engine version, the scored answers, composition, targets and the
frozen result) and its PDF report. The manifest adds what those files do not say:

- the organisation (name, slug) and its teams (name, description, cadence, dates);
- each team's action plan, every field of an action; an action's source assessment is named by
  its team and label, which are unique in an organisation;
- per assessment, keyed by team and label: the result's summary and version, the team snapshot,
  whether respondents are named, whether it was answered as a team, who submitted it, the
  lead's answers typed but not answered yet (`pending`), the marks of answers carried over from
  another bank version, and the consultant's commentary.

People are those of the exporting instance: the manifest gives their username and name, and the
import decides what becomes of them (services/organization_import.py).

Reading is bounded, since a ZIP may come from anyone who can hand one to an operator: the
archive's size, its number of members (read from its end record before anything else), each
member's declared size and compression ratio (before a byte of it is inflated), the bytes read
in all, and how many values the manifest holds. Problems are collected and raised together as
`OrganizationFileError`, each on one line. Pure Python: no Django.
"""

from __future__ import annotations

import io
import json
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from assessment.formats.answers_file import MAX_FILE_BYTES as MAX_ASSESSMENT_FILE_BYTES
from assessment.formats.answers_file import AnswersFileError, load_answers_text
from assessment.formats.assessment_file import EXPORT_FORMAT, EXPORT_FORMAT_VERSION
from assessment.formats.records import AnswerRecord
from assessment.formats.text import UNSTORABLE_TEXT, is_storable
from assessment.scoring.consensus import TeamSnapshot
from assessment.scoring.results import Result

ORGANIZATION_FILE = "organization.json"
ORGANIZATION_FORMAT = "mlops-maturity-organization"
ORGANIZATION_FORMAT_VERSION = 1

# --- what the models store (tests compare these with the models' own fields) -------------------
ORGANIZATION_NAME_LENGTH = 200
SLUG_LENGTH = 80
TEAM_NAME_LENGTH = 200
LABEL_LENGTH = 100
TITLE_LENGTH = 200
OWNER_NAME_LENGTH = 120
REASON_LENGTH = 500
ACTION_NOTES_LENGTH = 4000
CODE_LENGTH = 20
EVIDENCE_LENGTH = 2000
NOTE_LENGTH = 2000
CARRIED_LENGTH = 10
CARRIED_FROM_LENGTH = 200
USERNAME_LENGTH = 150
ENGINE_VERSION_LENGTH = 20
REASSESSMENT_MONTHS = (1, 3, 6, 12, 0)
ACTION_STATUSES = ("planned", "in_progress", "done", "dropped")
ASSESSMENT_STATUSES = ("draft", "submitted")

# --- bounds on reading --------------------------------------------------------------------------
MAX_ARCHIVE_BYTES = 1024**3  # the ZIP itself; its PDFs make most of it
MAX_MEMBERS = 50_000  # three files per assessment: about 16,000 assessments
# The ZIP's directory: an entry per member, 46 bytes and its name (ours are under 200).
MAX_DIRECTORY_BYTES = 16 * 1024**2
MAX_MEMBER_BYTES = 64 * 1024**2  # any member, as declared: a PDF report is a few hundred KB
MAX_MANIFEST_BYTES = 32 * 1024**2
MAX_MANIFEST_VALUES = 1_000_000  # a manifest of 1,000 assessments holds about 100,000
MAX_READ_BYTES = 256 * 1024**2  # the manifest and the assessments' JSON files together
# Deflate rarely packs our files more than 10 to 1; a bomb packs 1,000 to 1. Checked on members
# of more than RATIO_FROM bytes, since a small file's ratio means nothing.
MAX_RATIO = 100
RATIO_FROM = 1024**2
MAX_PROBLEMS_SHOWN = 20

# --- problems -----------------------------------------------------------------------------------
ERROR_HEADING = "The organisation export has {count} problem(s):"
NOT_A_ZIP = "the file is not a ZIP archive ({reason})"
ARCHIVE_TOO_LARGE = "the file is {size}; an organisation export read here is at most {limit}"
TOO_MANY_MEMBERS = "the ZIP holds {count:,} files; an organisation export holds at most {limit:,}"
DIRECTORY_TOO_LARGE = (
    "the ZIP's directory of files takes {size}; an organisation export's takes at most {limit}"
)
BAD_NAME = "{name}: not a file name an export holds (an absolute path, or one that climbs out)"
TWICE = "{name}: appears twice in the ZIP"
ENCRYPTED = "{name}: encrypted; an export is never encrypted"
MEMBER_TOO_LARGE = "{name}: expands to {size}; no file of an export is larger than {limit}"
BOMB = "{name}: expands {ratio:,} times ({size} from {packed}); refused as a zip bomb"
READ_TOO_MUCH = (
    "the JSON files expand to {size} in all; an organisation export read here holds at most {limit}"
)
DAMAGED = "{name}: cannot be read ({reason})"
NO_MANIFEST = (
    f"{ORGANIZATION_FILE}: missing; this ZIP is not an organisation export, or comes from an "
    "instance too old to write one: export the organisation again from an up-to-date instance "
    "(or import its assessments one by one as drafts, from their JSON files)"
)
NOT_UTF8 = "{name}: not UTF-8 text"
INVALID_JSON = "{name}: not valid JSON ({reason})"
MANIFEST_TOO_MANY_VALUES = f"{ORGANIZATION_FILE}: more than {{limit:,}} values"
WRONG_FORMAT = f'{ORGANIZATION_FILE}: format must be "{ORGANIZATION_FORMAT}", not {{value}}'
NEWER_FORMAT = (
    f"{ORGANIZATION_FILE}: format version {{value}} is newer than this instance reads "
    f"({ORGANIZATION_FORMAT_VERSION}); upgrade this instance first"
)
NOT_AN_ASSESSMENT = f'{{name}}: not an assessment export (its format is not "{EXPORT_FORMAT}")'
NEWER_ASSESSMENT = (
    f"{{name}}: format version {{value}} is newer than this instance reads "
    f"({EXPORT_FORMAT_VERSION})"
)
MISSING = "{where}: missing"
NOT_TEXT = "{where}: must be text, not {value}"
TEXT_TOO_LONG = "{where}: {length} characters; at most {limit}"
BLANK = "{where}: must not be blank"
NOT_STORABLE = "{where}: " + UNSTORABLE_TEXT
NOT_ONE_OF = "{where}: {value} is not one of {choices}"
NOT_INTEGER = "{where}: must be a whole number from {minimum}, not {value}"
NOT_BOOLEAN = "{where}: must be true or false, not {value}"
NOT_A_MOMENT = "{where}: {value} is not a date and time with its time zone (ISO 8601)"
NOT_A_DAY = "{where}: {value} is not a date (YYYY-MM-DD)"
NOT_A_MAPPING = "{where}: must be an object"
NOT_A_LIST = "{where}: must be a list"
UNKNOWN_KEY = "{where}: unknown key {key}"
UNREADABLE = "{where}: not a {what} this instance reads ({reason})"
TEAM_TWICE = f"{ORGANIZATION_FILE}: teams[{{index}}]: the team {{name}} appears twice"
ASSESSMENT_TWICE = "{where}: {team} / {label} appears twice"
UNKNOWN_TEAM = "{where}: the team {team} is not among the teams"
NOT_A_CODE = "{where}: not a question code"
NO_SUCH_SOURCE = "{where}: no assessment {team} / {label} in the export"
NO_FILE = (
    f"{ORGANIZATION_FILE}: assessments[{{index}}]: no JSON file in the ZIP holds {{team}} / "
    "{label}"
)
NOT_IN_MANIFEST = f"{{name}}: {{team}} / {{label}} is not in {ORGANIZATION_FILE}"
SUBMITTED_WITHOUT_RESULT = "{name}: submitted, but without a result or a date of submission"
MORE_PROBLEMS = "… and {count} more problems"

_SHOWN_LENGTH = 80
_END_OF_DIRECTORY = b"PK\x05\x06"
_ZIP64_LOCATOR = b"PK\x06\x07"
_ZIP64_END = b"PK\x06\x06"


class OrganizationFileError(ValueError):
    """Every problem found in an organisation export (or in importing it)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        lines = [ERROR_HEADING.format(count=len(self.problems))]
        lines += [f"- {problem}" for problem in shown_problems(self.problems)]
        super().__init__("\n".join(lines))


def shown_problems(problems: Sequence[str]) -> list[str]:
    """At most MAX_PROBLEMS_SHOWN problems, then how many more: a hostile ZIP of 50,000 bad
    names must not print 50,000 lines."""
    if len(problems) <= MAX_PROBLEMS_SHOWN:
        return list(problems)
    more = len(problems) - MAX_PROBLEMS_SHOWN
    return [*problems[:MAX_PROBLEMS_SHOWN], MORE_PROBLEMS.format(count=more)]


# --- what the manifest holds --------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """Someone of the exporting instance: their username there, and their name as shown."""

    username: str
    name: str


@dataclass(frozen=True)
class ActionEntry:
    title: str
    practices: tuple[str, ...]
    owner: Person | None  # a member who owned it (one or the other with `owner_name`)
    owner_name: str  # someone without an account
    due_on: date | None
    status: str  # ACTION_STATUSES
    dropped_reason: str
    notes: str
    done_at: datetime | None
    created_at: datetime
    source: tuple[str, str] | None  # (team, label) of the assessment it came from


@dataclass(frozen=True)
class TeamEntry:
    name: str
    description: str
    reassessment_months: int
    created_at: datetime
    archived_at: datetime | None
    actions: tuple[ActionEntry, ...] = ()


@dataclass(frozen=True)
class CommentaryEntry:
    executive: str
    notes: dict[str, str]
    published_at: datetime | None
    published_by: Person | None
    frozen: dict[str, Any] | None  # the words and branding as published


@dataclass(frozen=True)
class AssessmentEntry:
    """What the manifest says of one assessment, beyond its JSON file."""

    team: str
    label: str
    summary: dict[str, Any] | None
    result_version: int
    name_respondents: bool
    team_snapshot: dict[str, Any] | None
    # Answered by several respondents: its scored answers are the lead's settled final answers.
    answered_as_team: bool
    submitted_by: Person | None
    # The lead's answers with evidence or a note typed but no value yet (the JSON holds answered
    # questions only); for an assessment answered alone.
    pending: dict[str, AnswerRecord] = field(default_factory=dict)
    # Answers carried over from another bank version, not confirmed yet: code -> (how, from).
    carried: dict[str, tuple[str, str]] = field(default_factory=dict)
    commentary: CommentaryEntry | None = None


@dataclass(frozen=True)
class OrganizationManifest:
    name: str
    slug: str
    teams: tuple[TeamEntry, ...]
    assessments: tuple[AssessmentEntry, ...]


# --- writing ------------------------------------------------------------------------------------


def organization_manifest_data(manifest: OrganizationManifest) -> dict[str, Any]:
    return {
        "format": ORGANIZATION_FORMAT,
        "format_version": ORGANIZATION_FORMAT_VERSION,
        "organization": {"name": manifest.name, "slug": manifest.slug},
        "teams": [_team_data(team) for team in manifest.teams],
        "assessments": [_assessment_data(entry) for entry in manifest.assessments],
    }


def organization_manifest_bytes(manifest: OrganizationManifest) -> bytes:
    return json.dumps(
        organization_manifest_data(manifest), indent=1, ensure_ascii=False, sort_keys=False
    ).encode("utf-8")


def _team_data(team: TeamEntry) -> dict[str, Any]:
    return {
        "name": team.name,
        "description": team.description,
        "reassessment_months": team.reassessment_months,
        "created_at": team.created_at.isoformat(),
        "archived_at": _moment(team.archived_at),
        "actions": [_action_data(action) for action in team.actions],
    }


def _action_data(action: ActionEntry) -> dict[str, Any]:
    return {
        "title": action.title,
        "practices": list(action.practices),
        "owner": _person(action.owner),
        "owner_name": action.owner_name,
        "due_on": action.due_on.isoformat() if action.due_on else None,
        "status": action.status,
        "dropped_reason": action.dropped_reason,
        "notes": action.notes,
        "done_at": _moment(action.done_at),
        "created_at": action.created_at.isoformat(),
        "source": (
            {"team": action.source[0], "label": action.source[1]} if action.source else None
        ),
    }


def _assessment_data(entry: AssessmentEntry) -> dict[str, Any]:
    commentary = entry.commentary
    return {
        "team": entry.team,
        "label": entry.label,
        "summary": entry.summary,
        "result_version": entry.result_version,
        "name_respondents": entry.name_respondents,
        "team_snapshot": entry.team_snapshot,
        "answered_as_team": entry.answered_as_team,
        "submitted_by": _person(entry.submitted_by),
        "pending": {
            code: {"evidence": record.evidence, "note": record.note}
            for code, record in entry.pending.items()
        },
        "carried": {
            code: {"carried": how, "carried_from": source}
            for code, (how, source) in entry.carried.items()
        },
        "commentary": (
            {
                "executive": commentary.executive,
                "notes": dict(commentary.notes),
                "published_at": _moment(commentary.published_at),
                "published_by": _person(commentary.published_by),
                "frozen": commentary.frozen,
            }
            if commentary
            else None
        ),
    }


def _person(person: Person | None) -> dict[str, str] | None:
    return {"username": person.username, "name": person.name} if person else None


def _moment(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


# --- what the ZIP holds -------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentFile:
    """An assessment's JSON file in the ZIP, checked for shape; its answers are checked against
    the bank by the import, which knows the banks."""

    path: str
    team: str
    label: str
    status: str
    created_at: datetime
    submitted_at: datetime | None
    engine_version: str
    result: dict[str, Any] | None
    # The answers file inside (`bank`, `answers`, `team`, `targets`): `parse_answers_file` reads it.
    input: dict[str, Any]


@dataclass(frozen=True)
class ArchivedAssessment:
    file: AssessmentFile
    entry: AssessmentEntry


@dataclass(frozen=True)
class OrganizationArchive:
    manifest: OrganizationManifest
    assessments: tuple[ArchivedAssessment, ...]  # in the manifest's order


def read_organization_zip(data: bytes) -> OrganizationArchive:
    """Check an organisation export completely; raise OrganizationFileError listing every
    problem. Nothing is inflated before every member's name, size and ratio are known good."""
    if len(data) > MAX_ARCHIVE_BYTES:
        raise OrganizationFileError(
            [ARCHIVE_TOO_LARGE.format(size=_size(len(data)), limit=_size(MAX_ARCHIVE_BYTES))]
        )
    declared = _declared_directory(data)
    if declared is not None and declared[0] > MAX_MEMBERS:
        raise OrganizationFileError([TOO_MANY_MEMBERS.format(count=declared[0], limit=MAX_MEMBERS)])
    # zipfile reads the directory by its size, whatever count it declares: bound that too.
    if declared is not None and declared[1] > MAX_DIRECTORY_BYTES:
        size, limit = _size(declared[1]), _size(MAX_DIRECTORY_BYTES)
        raise OrganizationFileError([DIRECTORY_TOO_LARGE.format(size=size, limit=limit)])
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as error:
        raise OrganizationFileError([NOT_A_ZIP.format(reason=_one_line(error))]) from None
    problems: list[str] = []
    with archive:
        members = archive.infolist()
        if len(members) > MAX_MEMBERS:
            raise OrganizationFileError(
                [TOO_MANY_MEMBERS.format(count=len(members), limit=MAX_MEMBERS)]
            )
        texts = {info.filename: _read(archive, info, problems) for info in _to_read(members)}
    return _archive(texts, problems)


def _declared_directory(data: bytes) -> tuple[int, int] | None:
    """How many members the ZIP's end record says it holds, and how many bytes their directory
    takes, read before zipfile builds an entry for each; None when there is no end record
    (zipfile then says what is wrong)."""
    at = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - 22 - 0xFFFF))
    if at < 0 or len(data) - at < 22:
        return None
    count, size = struct.unpack_from("<HI", data, at + 10)
    locator = at - 20  # a ZIP64 archive's end record holds the real figures
    zip64 = locator >= 0 and data[locator : locator + 4] == _ZIP64_LOCATOR
    if zip64 and (count == 0xFFFF or size == 0xFFFFFFFF):
        (offset,) = struct.unpack_from("<Q", data, locator + 8)
        if offset + 48 <= len(data) and data[offset : offset + 4] == _ZIP64_END:
            count, size = struct.unpack_from("<QQ", data, offset + 32)
    return int(count), int(size)


def _to_read(members: list[zipfile.ZipInfo]) -> list[zipfile.ZipInfo]:
    """The members to read (the manifest and the JSON files), once every member's name, size
    and ratio pass; OrganizationFileError otherwise."""
    problems: list[str] = []
    seen: set[str] = set()
    to_read: list[zipfile.ZipInfo] = []
    for info in members:
        if problem := _member_problem(info, seen):
            problems.append(problem)
        elif not info.is_dir() and info.filename.lower().endswith(".json"):
            to_read.append(info)
    if problems:
        raise OrganizationFileError(problems)
    total = sum(info.file_size for info in to_read)
    if total > MAX_READ_BYTES:
        raise OrganizationFileError(
            [READ_TOO_MUCH.format(size=_size(total), limit=_size(MAX_READ_BYTES))]
        )
    return to_read


def _member_problem(info: zipfile.ZipInfo, seen: set[str]) -> str:
    """What is wrong with one member, from the central directory alone; "" when nothing."""
    name = _show(info.filename)
    if not _safe_name(info.filename):
        return BAD_NAME.format(name=name)
    if info.filename in seen:
        return TWICE.format(name=name)
    seen.add(info.filename)
    if info.flag_bits & 0x1:
        return ENCRYPTED.format(name=name)
    if info.file_size > MAX_MEMBER_BYTES:
        return MEMBER_TOO_LARGE.format(
            name=name, size=_size(info.file_size), limit=_size(MAX_MEMBER_BYTES)
        )
    if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * info.compress_size:
        return BOMB.format(
            name=name,
            ratio=info.file_size // max(info.compress_size, 1),
            size=_size(info.file_size),
            packed=_size(info.compress_size),
        )
    return ""


def _safe_name(name: str) -> bool:
    """A relative path that stays in the folder it is unpacked to, as the export writes them."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    parts = name.removesuffix("/").split("/")
    if re.match(r"[A-Za-z]:", parts[0]):  # a Windows drive
        return False
    return not any(part in ("", ".", "..") for part in parts)


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, problems: list[str]) -> str | None:
    """A member's text; None, with the problem noted, when it cannot be used. Reads at most its
    declared size (zipfile stops there and checks the CRC), however the data really inflates."""
    name = _show(info.filename)
    limit = MAX_MANIFEST_BYTES if info.filename == ORGANIZATION_FILE else MAX_ASSESSMENT_FILE_BYTES
    if info.file_size > limit:
        size, most = _size(info.file_size), _size(limit)
        problems.append(MEMBER_TOO_LARGE.format(name=name, size=size, limit=most))
        return None
    try:
        with archive.open(info) as member:
            content = member.read(limit + 1)
    except _DAMAGED_ERRORS as error:
        problems.append(DAMAGED.format(name=name, reason=_one_line(error)))
        return None
    if len(content) > limit:  # more than declared: zipfile would have refused it already
        problems.append(DAMAGED.format(name=name, reason="larger than declared"))
        return None
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(NOT_UTF8.format(name=name))
        return None


_DAMAGED_ERRORS = (
    zipfile.BadZipFile,
    OSError,
    EOFError,
    ValueError,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # a password needed
    zlib.error,
    struct.error,
)


def _archive(texts: dict[str, str | None], problems: list[str]) -> OrganizationArchive:
    """The manifest and the assessments' files, checked and joined by team and label. `texts`:
    the members read, None for those that could not be (their problems already noted)."""
    if ORGANIZATION_FILE not in texts:
        raise OrganizationFileError([*problems, NO_MANIFEST])
    manifest_text = texts.pop(ORGANIZATION_FILE)
    manifest = _manifest(manifest_text, problems) if manifest_text is not None else None
    files = [
        _assessment_file(path, text, problems)
        for path, text in sorted(texts.items())
        if text is not None
    ]
    if manifest is None or None in files or len(files) < len(texts):
        raise OrganizationFileError(problems)
    by_key: dict[tuple[str, str], AssessmentFile] = {}
    for file in files:
        if file is None:
            continue
        key = _key(file.team, file.label)
        if key in by_key:
            problems.append(
                ASSESSMENT_TWICE.format(
                    where=_show(file.path), team=_show(file.team), label=_show(file.label)
                )
            )
        by_key[key] = file
    assessments = []
    for index, entry in enumerate(manifest.assessments):
        found = by_key.pop(_key(entry.team, entry.label), None)
        if found is None:
            problems.append(
                NO_FILE.format(index=index, team=_show(entry.team), label=_show(entry.label))
            )
            continue
        assessments.append(ArchivedAssessment(file=found, entry=entry))
    for file in by_key.values():
        problems.append(
            NOT_IN_MANIFEST.format(
                name=_show(file.path), team=_show(file.team), label=_show(file.label)
            )
        )
    if problems:
        raise OrganizationFileError(problems)
    return OrganizationArchive(manifest=manifest, assessments=tuple(assessments))


def _key(team: str, label: str) -> tuple[str, str]:
    """Labels are unique in a team whatever their case (the database's rule), names exactly."""
    return team, label.casefold()


# --- the manifest, checked ----------------------------------------------------------------------


def _manifest(text: str, problems: list[str]) -> OrganizationManifest | None:
    # Each value but the first follows a comma or opens a list or an object: this bounds how many
    # values the text holds (commas inside strings only make it larger) before any is built.
    bound = 1 + text.count(",") + text.count("[") + text.count("{")
    if bound > MAX_MANIFEST_VALUES:
        problems.append(MANIFEST_TOO_MANY_VALUES.format(limit=MAX_MANIFEST_VALUES))
        return None
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as error:
        problems.append(INVALID_JSON.format(name=ORGANIZATION_FILE, reason=_one_line(error)))
        return None
    before = len(problems)
    root = _Reader(data, _Place(ORGANIZATION_FILE), problems)
    if not root.present:
        return None
    if data.get("format") != ORGANIZATION_FORMAT:
        problems.append(WRONG_FORMAT.format(value=_show(data.get("format"))))
        return None
    version = root.integer("format_version", minimum=1)
    if version is not None and version > ORGANIZATION_FORMAT_VERSION:
        problems.append(NEWER_FORMAT.format(value=version))
        return None
    root.keys("format", "format_version", "organization", "teams", "assessments")
    organization = root.child("organization")
    organization.keys("name", "slug")
    name = organization.text("name", limit=ORGANIZATION_NAME_LENGTH, blank=False)
    # Only where the new address starts from: the import makes a slug of it, numbered if taken.
    slug = organization.text("slug", limit=SLUG_LENGTH, blank=False)
    teams = tuple(_team(reader) for reader in root.children("teams"))
    assessments = tuple(_assessment_entry(reader) for reader in root.children("assessments"))
    _check_references(teams, assessments, problems)
    if len(problems) > before:
        return None
    return OrganizationManifest(name=name, slug=slug, teams=teams, assessments=assessments)


def _team(reader: _Reader) -> TeamEntry:
    reader.keys(
        "name", "description", "reassessment_months", "created_at", "archived_at", "actions"
    )
    return TeamEntry(
        name=reader.text("name", limit=TEAM_NAME_LENGTH, blank=False),
        description=reader.text("description"),
        reassessment_months=reader.choice("reassessment_months", REASSESSMENT_MONTHS, 3),
        created_at=reader.moment("created_at", required=True) or _NEVER,
        archived_at=reader.moment("archived_at"),
        actions=tuple(_action(child) for child in reader.children("actions")),
    )


def _action(reader: _Reader) -> ActionEntry:
    reader.keys(
        "title",
        "practices",
        "owner",
        "owner_name",
        "due_on",
        "status",
        "dropped_reason",
        "notes",
        "done_at",
        "created_at",
        "source",
    )
    source = reader.child("source", optional=True)
    source.keys("team", "label")
    return ActionEntry(
        title=reader.text("title", limit=TITLE_LENGTH, blank=False),
        practices=tuple(reader.texts("practices", limit=CODE_LENGTH)),
        owner=_person_from(reader.child("owner", optional=True)),
        owner_name=reader.text("owner_name", limit=OWNER_NAME_LENGTH),
        due_on=reader.day("due_on"),
        status=reader.choice("status", ACTION_STATUSES, "planned"),
        dropped_reason=reader.text("dropped_reason", limit=REASON_LENGTH),
        notes=reader.text("notes", limit=ACTION_NOTES_LENGTH),
        done_at=reader.moment("done_at"),
        created_at=reader.moment("created_at", required=True) or _NEVER,
        source=(
            (
                source.text("team", limit=TEAM_NAME_LENGTH, blank=False),
                source.text("label", limit=LABEL_LENGTH, blank=False),
            )
            if source.present
            else None
        ),
    )


def _assessment_entry(reader: _Reader) -> AssessmentEntry:
    reader.keys(
        "team",
        "label",
        "summary",
        "result_version",
        "name_respondents",
        "team_snapshot",
        "answered_as_team",
        "submitted_by",
        "pending",
        "carried",
        "commentary",
    )
    pending = {}
    for code, entry in reader.entries("pending"):
        entry.keys("evidence", "note")
        pending[code] = AnswerRecord(
            value="",
            evidence=entry.text("evidence", limit=EVIDENCE_LENGTH),
            note=entry.text("note", limit=NOTE_LENGTH),
        )
    carried = {}
    for code, entry in reader.entries("carried"):
        entry.keys("carried", "carried_from")
        carried[code] = (
            entry.text("carried", limit=CARRIED_LENGTH, blank=False),
            entry.text("carried_from", limit=CARRIED_FROM_LENGTH),
        )
    return AssessmentEntry(
        team=reader.text("team", limit=TEAM_NAME_LENGTH, blank=False),
        label=reader.text("label", limit=LABEL_LENGTH, blank=False),
        summary=reader.mapping("summary"),
        result_version=reader.integer("result_version", minimum=0) or 0,
        name_respondents=reader.boolean("name_respondents"),
        team_snapshot=reader.readable("team_snapshot", TeamSnapshot.from_dict, "team snapshot"),
        answered_as_team=reader.boolean("answered_as_team"),
        submitted_by=_person_from(reader.child("submitted_by", optional=True)),
        pending=pending,
        carried=carried,
        commentary=_commentary(reader.child("commentary", optional=True)),
    )


def _commentary(reader: _Reader) -> CommentaryEntry | None:
    if not reader.present:
        return None
    reader.keys("executive", "notes", "published_at", "published_by", "frozen")
    notes = reader.child("notes")
    for where in _unstorable(list(notes.data), notes.place):  # its keys (its texts: below)
        reader.problems.append(NOT_STORABLE.format(where=where))
    return CommentaryEntry(
        executive=reader.text("executive"),
        notes={key: notes.text(key) for key in notes.data},
        published_at=reader.moment("published_at"),
        published_by=_person_from(reader.child("published_by", optional=True)),
        frozen=reader.mapping("frozen"),
    )


def _person_from(reader: _Reader) -> Person | None:
    if not reader.present:
        return None
    reader.keys("username", "name")
    return Person(
        username=reader.text("username", limit=USERNAME_LENGTH, blank=False),
        name=reader.text("name", blank=False),
    )


def _check_references(
    teams: Sequence[TeamEntry], assessments: Sequence[AssessmentEntry], problems: list[str]
) -> None:
    """Team names are unique, every assessment's team is there, every action's source too."""
    names: set[str] = set()
    for index, team in enumerate(teams):
        if team.name in names:
            problems.append(TEAM_TWICE.format(index=index, name=_show(team.name)))
        names.add(team.name)
    keys: set[tuple[str, str]] = set()
    for index, entry in enumerate(assessments):
        where = f"{ORGANIZATION_FILE}: assessments[{index}]"
        shown_team, shown_label = _show(entry.team), _show(entry.label)
        if entry.team not in names:
            problems.append(UNKNOWN_TEAM.format(where=where, team=shown_team))
        key = _key(entry.team, entry.label)
        if key in keys:
            problems.append(
                ASSESSMENT_TWICE.format(where=where, team=shown_team, label=shown_label)
            )
        keys.add(key)
    for team_index, team_entry in enumerate(teams):
        for index, action in enumerate(team_entry.actions):
            if action.source is not None and _key(*action.source) not in keys:
                problems.append(
                    NO_SUCH_SOURCE.format(
                        where=f"{ORGANIZATION_FILE}: teams[{team_index}].actions[{index}].source",
                        team=_show(action.source[0]),
                        label=_show(action.source[1]),
                    )
                )


# --- an assessment's JSON file, checked ---------------------------------------------------------


def _assessment_file(path: str, text: str, problems: list[str]) -> AssessmentFile | None:
    name = _show(path)
    try:
        # The single-assessment import's reader: the same bounds on size, depth and values.
        data = load_answers_text(text, json_format=True, where=name)
    except AnswersFileError as error:
        problems.extend(error.problems)
        return None
    if data.get("format") != EXPORT_FORMAT:
        problems.append(NOT_AN_ASSESSMENT.format(name=name))
        return None
    before = len(problems)
    reader = _Reader(data, _Place(name), problems)
    version = reader.integer("format_version", minimum=1)
    if version is not None and version > EXPORT_FORMAT_VERSION:
        problems.append(NEWER_ASSESSMENT.format(name=name, value=version))
    file = AssessmentFile(
        path=path,
        team=reader.text("team", limit=TEAM_NAME_LENGTH, blank=False),
        label=reader.text("label", limit=LABEL_LENGTH, blank=False),
        status=reader.choice("status", ASSESSMENT_STATUSES, "draft"),
        created_at=reader.moment("created_at", required=True) or _NEVER,
        submitted_at=reader.moment("submitted_at"),
        engine_version=reader.text("engine_version", limit=ENGINE_VERSION_LENGTH),
        result=reader.readable("result", Result.from_dict, "result"),
        input=reader.mapping("input", required=True) or {},
    )
    if file.status == "submitted" and (file.result is None or file.submitted_at is None):
        problems.append(SUBMITTED_WITHOUT_RESULT.format(name=name))
    return file if len(problems) == before else None


# --- checking values ----------------------------------------------------------------------------

# Stands for a date that was missing or wrong: the problem is noted, so it is never stored.
_NEVER = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class _Place:
    """Where a value is: the file, and the path inside it (`teams[0].actions[2]`)."""

    file: str
    path: str = ""

    def at(self, key: str | int) -> _Place:
        step = f"[{key}]" if isinstance(key, int) else (f".{key}" if self.path else key)
        return _Place(self.file, self.path + step)

    def __str__(self) -> str:
        return f"{self.file}: {self.path}" if self.path else self.file


class _Reader:
    """Typed fields of one JSON object, each problem named by its place in the file."""

    def __init__(
        self, data: object, place: _Place, problems: list[str], *, optional: bool = False
    ) -> None:
        self.place = place
        self.problems = problems
        self.data: Mapping[str, Any] = {}
        self.present = False
        if data is None:
            if not optional:
                problems.append(MISSING.format(where=place))
        elif isinstance(data, dict):
            self.data, self.present = data, True
        else:
            problems.append(NOT_A_MAPPING.format(where=place))

    def _where(self, key: str) -> _Place:
        return self.place.at(_show(key) if not _PLAIN_KEY.fullmatch(key) else key)

    def keys(self, *expected: str) -> None:
        for key in self.data:
            if key not in expected:
                self.problems.append(UNKNOWN_KEY.format(where=self.place, key=_show(key)))

    def text(self, key: str, *, limit: int | None = None, blank: bool = True) -> str:
        return self._text(self.data.get(key), self._where(key), limit=limit, blank=blank)

    def _text(self, value: object, where: _Place, *, limit: int | None, blank: bool) -> str:
        if value is None:
            if not blank:
                self.problems.append(MISSING.format(where=where))
            return ""
        if not isinstance(value, str):
            self.problems.append(NOT_TEXT.format(where=where, value=_show(value)))
            return ""
        if not is_storable(value):
            self.problems.append(NOT_STORABLE.format(where=where))
        elif limit is not None and len(value) > limit:
            self.problems.append(TEXT_TOO_LONG.format(where=where, length=len(value), limit=limit))
        elif not blank and not value.strip():
            self.problems.append(BLANK.format(where=where))
        return value

    def texts(self, key: str, *, limit: int) -> list[str]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problems.append(NOT_A_LIST.format(where=self._where(key)))
            return []
        place = self._where(key)
        return [
            self._text(item, place.at(index), limit=limit, blank=False)
            for index, item in enumerate(value)
        ]

    def integer(self, key: str, *, minimum: int) -> int | None:
        value = self.data.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            self.problems.append(
                NOT_INTEGER.format(where=self._where(key), value=_show(value), minimum=minimum)
            )
            return None
        return value

    def boolean(self, key: str) -> bool:
        value = self.data.get(key)
        if not isinstance(value, bool):
            self.problems.append(NOT_BOOLEAN.format(where=self._where(key), value=_show(value)))
            return False
        return value

    def choice(self, key: str, choices: Sequence[Any], default: Any) -> Any:
        value = self.data.get(key)
        # bool is an int in Python: `true` must not pass for a cadence of 1 month.
        if isinstance(value, bool) or value not in choices:
            shown = ", ".join(str(choice) for choice in choices)
            self.problems.append(
                NOT_ONE_OF.format(where=self._where(key), value=_show(value), choices=shown)
            )
            return default
        return value

    def moment(self, key: str, *, required: bool = False) -> datetime | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problems.append(MISSING.format(where=self._where(key)))
            return None
        moment = None
        if isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                moment = None
        if moment is None or moment.tzinfo is None:
            self.problems.append(NOT_A_MOMENT.format(where=self._where(key), value=_show(value)))
            return None
        return moment

    def day(self, key: str) -> date | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, str) and _DAY.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.problems.append(NOT_A_DAY.format(where=self._where(key), value=_show(value)))
        return None

    def mapping(self, key: str, *, required: bool = False) -> dict[str, Any] | None:
        value = self.data.get(key)
        if value is None:
            if required:
                self.problems.append(MISSING.format(where=self._where(key)))
            return None
        if not isinstance(value, dict):
            self.problems.append(NOT_A_MAPPING.format(where=self._where(key)))
            return None
        for where in _unstorable(value, self._where(key)):
            self.problems.append(NOT_STORABLE.format(where=where))
        return value

    def readable(
        self, key: str, parse: Callable[[dict[str, Any]], object], what: str
    ) -> dict[str, Any] | None:
        """A stored value the pages read back with `parse` (a result, a snapshot): checked here,
        so a damaged one is refused now rather than break a report page later."""
        value = self.mapping(key)
        if value is not None:
            try:
                parse(value)
            except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
                reason = f"{type(error).__name__}: {_one_line(error)}"
                self.problems.append(
                    UNREADABLE.format(where=self._where(key), what=what, reason=reason)
                )
        return value

    def child(self, key: str, *, optional: bool = False) -> _Reader:
        value = self.data.get(key)
        return _Reader(value, self._where(key), self.problems, optional=optional)

    def children(self, key: str) -> list[_Reader]:
        value = self.data.get(key)
        if value is None:
            return []
        place = self._where(key)
        if not isinstance(value, list):
            self.problems.append(NOT_A_LIST.format(where=place))
            return []
        return [_Reader(item, place.at(index), self.problems) for index, item in enumerate(value)]

    def entries(self, key: str) -> list[tuple[str, _Reader]]:
        """An object of question codes, each to an object."""
        found = []
        holder = self.child(key, optional=True)
        for code, item in holder.data.items():
            where = holder._where(code)
            if not _CODE.fullmatch(code):
                self.problems.append(NOT_A_CODE.format(where=where))
                continue
            found.append((code, _Reader(item, where, self.problems)))
        return found


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]{1,40}")
_CODE = re.compile(rf"[A-Za-z0-9_-]{{1,{CODE_LENGTH}}}")
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _unstorable(value: object, where: _Place) -> list[_Place]:
    """Where a JSON value holds text no database stores, keys included; at most
    MAX_PROBLEMS_SHOWN places. Iterative: a value is as deep as the JSON parser allowed."""
    found: list[_Place] = []
    pending: list[tuple[object, _Place]] = [(value, where)]
    while pending and len(found) < MAX_PROBLEMS_SHOWN:
        item, place = pending.pop()
        if isinstance(item, str):
            if not is_storable(item):
                found.append(place)
        elif isinstance(item, dict):
            for key, child in item.items():
                inner = place.at(_show(key))
                if not is_storable(key):
                    found.append(inner)
                pending.append((child, inner))
        elif isinstance(item, list):
            pending.extend((child, place.at(index)) for index, child in enumerate(item))
    return found


def _show(value: object) -> str:
    """A value as JSON, escaped and cut short, so a hostile name can neither flood nor garble a
    message."""
    try:
        shown = json.dumps(value, ensure_ascii=True, default=str)
    except (ValueError, RecursionError):
        shown = f"a {type(value).__name__}"
    return shown if len(shown) <= _SHOWN_LENGTH else shown[: _SHOWN_LENGTH - 1] + "…"


def _size(count: int) -> str:
    if count < 1024:
        return f"{count} bytes"
    value = count / 1024
    for unit in ("KB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} GB"


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split()) or type(error).__name__
