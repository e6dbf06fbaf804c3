"""Answering as a team: the lead invites respondents, each with a role and the phases they know."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction

from assessment.models import Assessment, AssessmentEvent, Respondent
from assessment.services.assessments import AssessmentLocked, lock_draft
from core.selectors import display_name

LEAD_STAYS = "The lead cannot be removed from their own assessment."


def respondent_add(
    *,
    assessment: Assessment,
    user: User,
    role: str,
    phases: list[str],
    by: User,
) -> Respondent:
    """Invite a team member to answer on their own. From the second respondent on, the
    assessment is answered as a team: only the final answers the lead settles are scored."""
    with transaction.atomic():
        locked = lock_draft(assessment)
        respondent = Respondent.objects.create(
            assessment=locked, user=user, role=role, phases=phases, is_lead=False
        )
        AssessmentEvent.objects.create(
            assessment=locked,
            kind=AssessmentEvent.Kind.RESPONDENT_ADDED,
            user=by,
            detail=display_name(user),
        )
    return respondent


def respondent_remove(*, respondent: Respondent, by: User) -> None:
    with transaction.atomic():
        locked = lock_draft(respondent.assessment)
        if respondent.is_lead:
            raise AssessmentLocked(LEAD_STAYS)
        respondent.delete()
        AssessmentEvent.objects.create(
            assessment=locked,
            kind=AssessmentEvent.Kind.RESPONDENT_REMOVED,
            user=by,
            detail=display_name(respondent.user),
        )
