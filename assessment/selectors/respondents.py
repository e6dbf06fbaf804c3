"""Who answers an assessment: its respondents, and whose sheet a user edits."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db.models import Count, QuerySet
from django.http import Http404

from assessment.models import Answer, Assessment, Respondent
from core.models import EDITING_ROLES, Membership
from core.selectors import AnyUser, display_name


def respondents(assessment: Assessment) -> list[Respondent]:
    """In the order everything shows them: the lead first, then by when they joined."""
    return list(
        Respondent.objects.filter(assessment=assessment)
        .select_related("user")
        .order_by("-is_lead", "created_at", "pk")
    )


def role_holders(assessment: Assessment) -> dict[str, str]:
    """Bank role code -> the names of the respondents who answer as that role, so the plan can
    say who, not only which role."""
    holders: dict[str, list[str]] = {}
    for respondent in respondents(assessment):
        if respondent.role:
            holders.setdefault(respondent.role, []).append(display_name(respondent.user))
    return {role: ", ".join(names) for role, names in holders.items()}


def lead_respondent(assessment: Assessment) -> Respondent:
    return Respondent.objects.get(assessment=assessment, is_lead=True)


def respondent_for(assessment: Assessment, user: AnyUser) -> Respondent | None:
    """Whose answers this user edits: their own when they are a respondent; the lead's shared
    sheet in a solo assessment (any editor may help fill it in); none otherwise."""
    everyone = list(Respondent.objects.filter(assessment=assessment).select_related("user"))
    for respondent in everyone:
        if respondent.user_id == user.pk:
            return respondent
    if len(everyone) == 1:
        return everyone[0]
    return None


def respondent_of(assessment: Assessment, respondent_id: int) -> Respondent:
    try:
        return Respondent.objects.select_related("assessment", "user").get(
            pk=respondent_id, assessment=assessment
        )
    except Respondent.DoesNotExist:
        raise Http404 from None


def answer_counts(assessment: Assessment) -> dict[int, int]:
    """Answered questions per respondent id."""
    return dict(
        Answer.objects.filter(respondent__assessment=assessment)
        .exclude(value="")
        .values("respondent_id")
        .annotate(count=Count("id"))
        .values_list("respondent_id", "count")
    )


def invitable_respondents(assessment: Assessment) -> QuerySet[User]:
    """Members of the assessment's organisation who may answer (not viewers) and do not yet."""
    taken = Respondent.objects.filter(assessment=assessment).values("user_id")
    editors = Membership.objects.filter(
        organization_id=assessment.team.organization_id, role__in=EDITING_ROLES
    ).values("user_id")
    return (
        get_user_model().objects.filter(pk__in=editors).exclude(pk__in=taken).order_by("username")
    )
