"""Restoring an organisation from its ZIP export on another instance (or the same one), all or
nothing: its teams, its assessments with their scored answers, stored results, statuses, dates
and summaries, their commentary, and the teams' action plans. Results are never scored again:
a result is frozen at submission, and the one in the file is the one restored.

People belong to the instance that exported the organisation, so they do not come along. The
person importing (`by`) becomes the new organisation's owner and its only member, the lead of
every assessment and the creator of every action. Anyone else the export names is kept as far
as a name can keep them: an action owned by a member keeps the owner's name (`owner_name`), and
who submitted an assessment or published its commentary is left blank. Someone whose username
is the importer's is taken to be the importer (docs/deploy.md says so): usernames are matched
only against `by`, never against the other accounts of this instance, which may belong to other
people.

Answers: an assessment answered alone gets the lead's sheet back (`pending` answers typed but
not answered yet, and the marks of answers carried from another bank version, included); one
answered as a team gets its settled final answers, and its frozen team snapshot keeps who
answered what. Respondents' own sheets are not in an export.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.contrib.auth.models import User
from django.db import IntegrityError, models, transaction
from django.utils.text import slugify

from assessment.formats.answers_file import AnswersFileError, bank_key, parse_answers_file
from assessment.formats.assessment_file import import_problems
from assessment.formats.organization_file import (
    OWNER_NAME_LENGTH,
    SLUG_LENGTH,
    ArchivedAssessment,
    OrganizationArchive,
    OrganizationFileError,
    Person,
    TeamEntry,
)
from assessment.models import (
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Action,
    Answer,
    Assessment,
    AssessmentEvent,
    FinalAnswer,
    QuestionBank,
    ReportCommentary,
    Respondent,
)
from assessment.scoring.types import AssessmentInput
from assessment.selectors.banks import question_bank
from assessment.services.standings import team_standing_refresh
from core.models import Membership, Organization, OrganizationEvent, Role, Team
from core.services import RESERVED_SLUGS, free_slug

BANK_NOT_LOADED = (
    "bank: {key} is not loaded on this server ({count} assessment(s), e.g. {example}); an "
    "administrator loads it with `python manage.py load_question_bank`"
)
UNKNOWN_PENDING = "pending.{code}: no such question in {bank}"
SLUG_TAKEN = (
    "slug: {slug} is taken on this instance; choose another, or leave it out to take a free "
    "variant of the exported one"
)
SLUG_RESERVED = "slug: {slug} is reserved: /orgs/{slug}/ is a page of this tool"
BAD_SLUG = "slug: {slug} is not a slug (lower-case letters, digits and hyphens; at most 80)"
IMPORTED = "imported from an export"
SLUG_ATTEMPTS = 3
# As the single-assessment import: an imported answer can be edited and saved again unchanged.
TEXT_LIMITS = {"note": NOTE_MAX_LENGTH, "reason": REASON_MAX_LENGTH}

_Model = TypeVar("_Model", bound=models.Model)


@dataclass(frozen=True)
class _Checked:
    """One archived assessment, its bank found and its answers checked against it."""

    archived: ArchivedAssessment
    bank: QuestionBank
    given: AssessmentInput


def organization_import(
    *, archive: OrganizationArchive, by: User, slug: str | None = None
) -> Organization:
    """A new organisation holding everything the archive holds; `by` is its owner. Its slug is
    `slug` when given (it must be free), else the exported one or a free variant of it
    ("acme-2"). Raises OrganizationFileError, listing every problem, before writing anything
    when a bank is not loaded here, an answer does not fit its bank, or `slug` is taken."""
    problems = _slug_problems(slug) if slug is not None else []
    checked = _checked(archive, problems)
    with transaction.atomic():
        organization = _organization(archive, by, slug)
        teams = _teams(organization, archive.manifest.teams, by)
        assessments = _assessments(teams, checked, by)
        _answers(assessments, checked, by)
        _commentaries(assessments, checked, by)
        _actions(teams, assessments, archive.manifest.teams, by)
        for team in teams.values():
            team_standing_refresh(team.pk)
    return organization


def _checked(archive: OrganizationArchive, problems: list[str]) -> list[_Checked]:
    """Every assessment with its bank and checked answers; OrganizationFileError with every
    problem (those already in `problems` too) otherwise."""
    keyed: list[tuple[ArchivedAssessment, tuple[str, str]]] = []
    for archived in archive.assessments:
        try:
            keyed.append((archived, bank_key(archived.file.input)))
        except AnswersFileError as error:
            problems += [_at(archived, problem) for problem in error.problems]
    banks: dict[tuple[str, str], QuestionBank] = {}
    for key in dict.fromkeys(key for _, key in keyed):  # each bank once, in the archive's order
        bank = question_bank(*key)
        if bank is not None:
            banks[key] = bank
    missing = Counter(key for _, key in keyed if key not in banks)
    examples = {key: f"{a.file.team} / {a.file.label}" for a, key in reversed(keyed)}
    problems += [
        BANK_NOT_LOADED.format(key="@".join(key), count=count, example=examples[key])
        for key, count in missing.items()
    ]
    checked = []
    for archived, key in keyed:
        if key not in banks:
            continue
        bank = banks[key]
        try:
            given = parse_answers_file(archived.file.input, bank.bank())
        except AnswersFileError as error:
            problems += [_at(archived, problem) for problem in error.problems]
            continue
        problems += [_at(archived, problem) for problem in import_problems(given, TEXT_LIMITS)]
        codes = {question.code for question in bank.bank().questions}
        problems += [
            _at(archived, UNKNOWN_PENDING.format(code=code, bank=bank.key))
            for code in archived.entry.pending
            if code not in codes
        ]
        checked.append(_Checked(archived=archived, bank=bank, given=given))
    if problems:
        raise OrganizationFileError(problems)
    return checked


def _at(archived: ArchivedAssessment, problem: str) -> str:
    """A problem with an assessment's answers, named by its file as the reader names them."""
    return f"{json.dumps(archived.file.path)}: {problem}"


def _slug_problems(slug: str) -> list[str]:
    """What stops `slug` from being the new organisation's address (checked again, by the
    database, when it is taken)."""
    if not slug or slugify(slug) != slug or len(slug) > SLUG_LENGTH:
        return [BAD_SLUG.format(slug=slug)]
    if slug in RESERVED_SLUGS:
        return [SLUG_RESERVED.format(slug=slug)]
    if Organization.objects.filter(slug=slug).exists():
        return [SLUG_TAKEN.format(slug=slug)]
    return []


def _organization(archive: OrganizationArchive, by: User, slug: str | None) -> Organization:
    name = archive.manifest.name
    for attempt in range(SLUG_ATTEMPTS):
        try:
            with transaction.atomic():
                # The exported slug, numbered as a new organisation's would be ("acme-2").
                exported = slugify(archive.manifest.slug) or archive.manifest.name
                organization = Organization.objects.create(
                    name=name, slug=slug if slug is not None else free_slug(exported)
                )
        except IntegrityError:
            if slug is not None:
                raise OrganizationFileError([SLUG_TAKEN.format(slug=slug)]) from None
            if attempt == SLUG_ATTEMPTS - 1:  # the same slug taken at the same instant, thrice
                raise
            continue
        Membership.objects.create(organization=organization, user=by, role=Role.OWNER)
        OrganizationEvent.objects.create(
            organization=organization,
            kind=OrganizationEvent.Kind.ORGANIZATION_CREATED,
            user=by,
            detail=f"{name}, {IMPORTED}"[:500],
        )
        return organization
    raise AssertionError("unreachable")


def _teams(organization: Organization, entries: tuple[TeamEntry, ...], by: User) -> dict[str, Team]:
    teams = [
        Team(
            organization=organization,
            name=entry.name,
            description=entry.description,
            reassessment_months=entry.reassessment_months,
            archived_at=entry.archived_at,
        )
        for entry in entries
    ]
    _create_keeping_dates(teams, [entry.created_at for entry in entries])
    OrganizationEvent.objects.bulk_create(
        OrganizationEvent(
            organization=organization,
            kind=OrganizationEvent.Kind.TEAM_CREATED,
            user=by,
            detail=f"{team.name}, {IMPORTED}"[:500],
        )
        for team in teams
    )
    return {team.name: team for team in teams}


def _assessments(
    teams: dict[str, Team], checked: list[_Checked], by: User
) -> dict[tuple[str, str], Assessment]:
    """The assessments as they were, by (team, label)."""
    assessments = []
    for item in checked:
        file, entry, given = item.archived.file, item.archived.entry, item.given
        assessments.append(
            Assessment(
                team=teams[file.team],
                bank=item.bank,
                label=file.label,
                status=file.status,
                composition={role: presence.value for role, presence in given.team.items()},
                targets=dict(given.targets),
                created_by=by,
                submitted_at=file.submitted_at,
                submitted_by=_same_person(entry.submitted_by, by),
                result=file.result,
                engine_version=file.engine_version,
                result_version=entry.result_version,
                summary=entry.summary,
                name_respondents=entry.name_respondents,
                team_snapshot=entry.team_snapshot,
            )
        )
    _create_keeping_dates(assessments, [item.archived.file.created_at for item in checked])
    Respondent.objects.bulk_create(
        Respondent(assessment=assessment, user=by, is_lead=True) for assessment in assessments
    )
    AssessmentEvent.objects.bulk_create(
        AssessmentEvent(
            assessment=assessment,
            kind=AssessmentEvent.Kind.CREATED,
            user=by,
            detail=IMPORTED,
        )
        for assessment in assessments
    )
    return {
        (item.archived.file.team, item.archived.file.label): assessment
        for item, assessment in zip(checked, assessments, strict=True)
    }


def _answers(
    assessments: dict[tuple[str, str], Assessment], checked: list[_Checked], by: User
) -> None:
    """The scored answers as exported: a team's settled final answers, or the lead's sheet."""
    leads = {
        respondent.assessment_id: respondent
        for respondent in Respondent.objects.filter(
            assessment__in=list(assessments.values()), is_lead=True
        )
    }
    sheet: list[Answer] = []
    final: list[FinalAnswer] = []
    for item in checked:
        file, entry = item.archived.file, item.archived.entry
        assessment = assessments[(file.team, file.label)]
        if entry.answered_as_team:
            final += [
                FinalAnswer(
                    assessment=assessment,
                    question_code=code,
                    value=answer.value.value,
                    evidence=answer.evidence,
                    note=answer.note,
                    reason=answer.reason,
                )
                for code, answer in item.given.answers.items()
            ]
            continue
        lead = leads[assessment.pk]
        for code, answer in item.given.answers.items():
            how, source = entry.carried.get(code, ("", ""))
            sheet.append(
                Answer(
                    respondent=lead,
                    question_code=code,
                    value=answer.value.value,
                    evidence=answer.evidence,
                    note=answer.note,
                    reason=answer.reason,
                    updated_by=by,
                    carried=how,
                    carried_from=source,
                )
            )
        for code, record in entry.pending.items():
            if code in item.given.answers:
                continue
            how, source = entry.carried.get(code, ("", ""))
            sheet.append(
                Answer(
                    respondent=lead,
                    question_code=code,
                    value="",
                    evidence=record.evidence,
                    note=record.note,
                    updated_by=by,
                    carried=how,
                    carried_from=source,
                )
            )
    Answer.objects.bulk_create(sheet, batch_size=1000)
    FinalAnswer.objects.bulk_create(final, batch_size=1000)


def _commentaries(
    assessments: dict[tuple[str, str], Assessment], checked: list[_Checked], by: User
) -> None:
    rows = []
    for item in checked:
        commentary = item.archived.entry.commentary
        if commentary is None:
            continue
        file = item.archived.file
        rows.append(
            ReportCommentary(
                assessment=assessments[(file.team, file.label)],
                executive=commentary.executive,
                notes=dict(commentary.notes),
                published_at=commentary.published_at,
                frozen=commentary.frozen,
                updated_by=by,
                published_by=_same_person(commentary.published_by, by),
            )
        )
    ReportCommentary.objects.bulk_create(rows)


def _actions(
    teams: dict[str, Team],
    assessments: dict[tuple[str, str], Assessment],
    entries: tuple[TeamEntry, ...],
    by: User,
) -> None:
    # Sources are named by label, unique in a team whatever its case.
    by_label = {(team, label.casefold()): a for (team, label), a in assessments.items()}
    actions, dates = [], []
    for team_entry in entries:
        for entry in team_entry.actions:
            owner = _same_person(entry.owner, by)
            owner_name = entry.owner_name
            if owner is None and entry.owner is not None:
                owner_name = entry.owner.name[:OWNER_NAME_LENGTH]
            source = entry.source
            actions.append(
                Action(
                    team=teams[team_entry.name],
                    source=by_label[(source[0], source[1].casefold())] if source else None,
                    title=entry.title,
                    practices=list(entry.practices),
                    owner=owner,
                    owner_name=owner_name,
                    due_on=entry.due_on,
                    status=entry.status,
                    dropped_reason=entry.dropped_reason,
                    notes=entry.notes,
                    done_at=entry.done_at,
                    created_by=by,
                    updated_by=by,
                )
            )
            dates.append(entry.created_at)
    _create_keeping_dates(actions, dates)


def _same_person(person: Person | None, by: User) -> User | None:
    """The importer, when the export names them by their username; nobody otherwise."""
    if person is not None and person.username == by.get_username():
        return by
    return None


def _create_keeping_dates(rows: list[_Model], created: list[datetime]) -> None:
    """Insert `rows` and give each its `created_at` from the export. The field adds itself
    (`auto_now_add`) on insert, so the dates are set by an update after it."""
    if not rows:
        return
    model = type(rows[0])
    model._default_manager.bulk_create(rows, batch_size=1000)
    for row, moment in zip(rows, created, strict=True):
        row.created_at = moment  # type: ignore[attr-defined]
    model._default_manager.bulk_update(rows, ["created_at"], batch_size=500)
