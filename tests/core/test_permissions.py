"""Every role rule in one module: who may edit, reopen, manage members and lead a team
assessment."""

from __future__ import annotations

import pytest

from assessment.permissions import (
    NOT_A_RESPONDENT,
    leads,
    may_edit,
    may_manage_members,
    may_reopen,
    phase_refusal,
)
from core.models import Membership, Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

#                   edit   reopen manage members
RULES = {
    Role.OWNER: (True, True, True),
    Role.CONSULTANT: (True, True, False),
    Role.MEMBER: (True, False, False),
    Role.VIEWER: (False, False, False),
}


@pytest.mark.parametrize("role", list(Role))
def test_what_each_role_may_do(role):
    membership = Membership(role=role)
    assert (may_edit(membership), may_reopen(membership), may_manage_members(membership)) == RULES[
        role
    ]


@pytest.mark.parametrize(
    ("role", "is_creator", "expected"),
    [
        (Role.MEMBER, True, True),  # the lead who started it
        (Role.MEMBER, False, False),  # another member
        (Role.OWNER, False, True),  # an owner stands in for an absent lead
        (Role.CONSULTANT, False, True),
        (Role.VIEWER, True, False),  # a lead demoted to viewer no longer leads
    ],
)
def test_who_leads_a_team_assessment(draft, role, is_creator, expected):
    user = draft.created_by if is_creator else UserFactory.create(username="someone")
    # Unsaved: only the role matters to the rule.
    membership = Membership(user=user, organization=draft.team.organization, role=role)
    assert leads(draft, user, membership) is expected


def test_which_phases_a_respondent_may_answer():
    assert phase_refusal(None, "design") == NOT_A_RESPONDENT
    assert phase_refusal([], "design") == ""
    assert phase_refusal(["design"], "design") == ""
    assert phase_refusal(["design", "operations"], "development") == (
        "You answer design, operations in this assessment; this phase is for others."
    )
