"""Who may do what, and what we say when they may not. Every rule about roles lives here; views
ask these questions and raise `PermissionDenied` with the matching message.

Organisation roles (see `core.models.Role`): owners and consultants manage (`can_manage`),
members also edit (`can_edit`), viewers only read. Owners alone manage who belongs.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User

from assessment.models import Assessment
from core.models import Membership

READ_ONLY_ROLE = "Your role in this organisation lets you read assessments, not change them."
SUBMITTED_READ_ONLY = "This assessment is submitted; an owner can reopen it to change answers."
LEAD_ONLY = "In a team assessment, only the lead settles the answers and submits."
REOPEN_REFUSED = "Only an owner or a consultant can reopen a submitted assessment."
OWNERS_ONLY = "Only an owner of this organisation can manage its members."
NO_EXPORTS = "Your role in this organisation does not include exports."
NO_EXPORT_CANCEL = "Only an owner or a consultant can cancel an export."
NO_IMPORTS = "Your role in this organisation lets you read, not import."
NOT_A_RESPONDENT = (
    "This assessment is answered as a team and you are not one of its respondents: the lead can "
    "invite you."
)
NOT_YOUR_PHASE = "You answer {phases} in this assessment; this phase is for others."


def may_edit(membership: Membership) -> bool:
    """Start, answer, import and export assessments: everyone but viewers."""
    return membership.can_edit


def may_reopen(membership: Membership) -> bool:
    return membership.can_manage


NO_SHARING = "Only an owner or a consultant can share a report outside the organisation."


TEAM_ARCHIVED = (
    "This team is archived: restore it from its settings to start or import an assessment."
)
PLAN_ARCHIVED = (
    "This team is archived: its action plan is kept to read; restore the team to change it."
)


def plan_refusal(membership: Membership, archived: bool) -> str:
    """Why a team's action plan may not be changed ("" when it may): viewers read it, and an
    archived team's is kept to read. The pages and the API ask the same question."""
    if not may_edit(membership):
        return READ_ONLY_ROLE
    return PLAN_ARCHIVED if archived else ""


NO_TEAMS = "Only an owner or a consultant can create, rename or archive teams."
NO_ORGANIZATIONS = "Only staff can create organisations on this instance: ask an administrator."


def may_create_organizations(user: User) -> bool:
    """Anyone signed in, unless ORGANIZATION_CREATION=staff keeps it to staff."""
    return settings.ORGANIZATION_CREATION != "staff" or user.is_staff


def may_manage_teams(membership: Membership) -> bool:
    """Create, rename, archive and restore teams: owners and consultants."""
    return membership.can_manage


NO_COMMENTARY = "Only an owner or a consultant can write and publish a report's commentary."


def may_sign_reports(membership: Membership) -> bool:
    """Write and publish a report's commentary and set the organisation's report branding:
    owners and consultants, who answer for what the client reads."""
    return membership.can_manage


def may_share(membership: Membership) -> bool:
    """Make and revoke read-only links to a report: owners and consultants."""
    return membership.can_manage


def may_cancel_export(membership: Membership) -> bool:
    """Stop an organisation's export under way, whoever started it: owners and consultants."""
    return membership.can_manage


def may_manage_members(membership: Membership) -> bool:
    return membership.can_manage_members


def leads(
    assessment: Assessment, user: AbstractBaseUser | AnonymousUser, membership: Membership
) -> bool:
    """Who settles a team's answers, sets its composition and submits: the assessment's lead,
    or an owner or consultant of the organisation (who may stand in for an absent lead)."""
    return membership.can_edit and (assessment.created_by_id == user.pk or membership.can_manage)


def phase_refusal(respondent_phases: list[str] | None, phase: str) -> str:
    """Why a user may not answer this phase ("" when they may). `None`: they are not a
    respondent of this team assessment; `[]`: they answer every phase."""
    if respondent_phases is None:
        return NOT_A_RESPONDENT
    if respondent_phases and phase not in respondent_phases:
        return NOT_YOUR_PHASE.format(phases=", ".join(respondent_phases))
    return ""


NO_WEBHOOKS = "Only an owner of this organisation can see and manage its webhooks."


def may_manage_webhooks(membership: Membership) -> bool:
    """Webhooks carry a signing secret and send the organisation's data elsewhere: owners."""
    return membership.can_manage_members
