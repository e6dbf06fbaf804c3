"""What an organisation's export says beside its assessments' files (`organization.json`,
formats/organization_file.py), read in six queries whatever the organisation's size; and the
people an import may name as its owner."""

from __future__ import annotations

from collections import defaultdict

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, Q

from assessment.formats.organization_file import (
    OWNER_NAME_LENGTH,
    ActionEntry,
    AssessmentEntry,
    CommentaryEntry,
    OrganizationManifest,
    Person,
    TeamEntry,
    organization_manifest_bytes,
)
from assessment.formats.records import AnswerRecord
from assessment.models import Action, Answer, Assessment, FinalAnswer, ReportCommentary
from core.models import Organization, Team
from core.selectors import display_name


def organization_manifest(organization_id: int) -> bytes:
    """`organization.json` for the organisation's export."""
    return organization_manifest_bytes(organization_manifest_entries(organization_id))


def organization_manifest_entries(organization_id: int) -> OrganizationManifest:
    organization = Organization.objects.only("name", "slug").get(pk=organization_id)
    teams = list(Team.objects.filter(organization_id=organization_id).order_by("name", "pk"))
    actions = _actions(organization_id)
    return OrganizationManifest(
        name=organization.name,
        slug=organization.slug,
        teams=tuple(
            TeamEntry(
                name=team.name,
                description=team.description,
                reassessment_months=team.reassessment_months,
                created_at=team.created_at,
                archived_at=team.archived_at,
                actions=tuple(actions.get(team.pk, ())),
            )
            for team in teams
        ),
        assessments=_assessments(organization_id),
    )


def user_by_username(username: str) -> User | None:
    """An account of this instance, for commands run by an operator."""
    return User.objects.filter(username=username).first()


def _person(user: User | None) -> Person | None:
    if user is None:
        return None
    return Person(username=user.get_username(), name=display_name(user)[:OWNER_NAME_LENGTH])


def _actions(organization_id: int) -> dict[int, list[ActionEntry]]:
    rows = (
        Action.objects.filter(team__organization_id=organization_id)
        .select_related("owner", "source__team")
        .order_by("team_id", "created_at", "pk")
    )
    by_team: dict[int, list[ActionEntry]] = defaultdict(list)
    for action in rows:
        source = action.source
        by_team[action.team_id].append(
            ActionEntry(
                title=action.title,
                practices=tuple(action.practices),
                owner=_person(action.owner),
                owner_name=action.owner_name,
                due_on=action.due_on,
                status=action.status,
                dropped_reason=action.dropped_reason,
                notes=action.notes,
                done_at=action.done_at,
                created_at=action.created_at,
                source=(source.team.name, source.label) if source is not None else None,
            )
        )
    return by_team


def _assessments(organization_id: int) -> tuple[AssessmentEntry, ...]:
    assessments = list(
        Assessment.objects.filter(team__organization_id=organization_id)
        .select_related("team", "submitted_by")
        .defer("result", "team__description")
        .annotate(
            respondent_count=Count("respondents"),
            settled=Exists(FinalAnswer.objects.filter(assessment=OuterRef("pk"))),
        )
        .order_by("team__name", "created_at", "pk")
    )
    pending, carried = _lead_sheet_marks(organization_id)
    commentaries = {
        c.assessment_id: c
        for c in ReportCommentary.objects.filter(
            assessment__team__organization_id=organization_id
        ).select_related("published_by")
    }
    entries = []
    for assessment in assessments:
        # As `selectors.answers.is_team_assessment` decides it, without a query per assessment.
        as_team = assessment.respondent_count > 1 or assessment.settled
        commentary = commentaries.get(assessment.pk)
        entries.append(
            AssessmentEntry(
                team=assessment.team.name,
                label=assessment.label,
                summary=assessment.summary,
                result_version=assessment.result_version,
                name_respondents=assessment.name_respondents,
                team_snapshot=assessment.team_snapshot,
                answered_as_team=bool(as_team),
                submitted_by=_person(assessment.submitted_by),
                # The lead's sheet is what is scored only when answered alone.
                pending={} if as_team else pending.get(assessment.pk, {}),
                carried={} if as_team else carried.get(assessment.pk, {}),
                commentary=(
                    CommentaryEntry(
                        executive=commentary.executive,
                        notes=dict(commentary.notes),
                        published_at=commentary.published_at,
                        published_by=_person(commentary.published_by),
                        frozen=commentary.frozen,
                    )
                    if commentary is not None
                    else None
                ),
            )
        )
    return tuple(entries)


def _lead_sheet_marks(
    organization_id: int,
) -> tuple[dict[int, dict[str, AnswerRecord]], dict[int, dict[str, tuple[str, str]]]]:
    """Per assessment, what its JSON file does not hold of the lead's answers: those typed but
    not answered yet, and the marks of those carried over from another bank version."""
    rows = (
        Answer.objects.filter(
            respondent__assessment__team__organization_id=organization_id,
            respondent__is_lead=True,
        )
        .filter(Q(value="") | ~Q(carried=""))
        .values_list(
            "respondent__assessment_id",
            "question_code",
            "value",
            "evidence",
            "note",
            "carried",
            "carried_from",
        )
        .order_by("respondent__assessment_id", "question_code")
    )
    pending: dict[int, dict[str, AnswerRecord]] = defaultdict(dict)
    carried: dict[int, dict[str, tuple[str, str]]] = defaultdict(dict)
    for assessment_id, code, value, evidence, note, how, source in rows:
        if not value:
            pending[assessment_id][code] = AnswerRecord(value="", evidence=evidence, note=note)
        if how:
            carried[assessment_id][code] = (how, source)
    return pending, carried
