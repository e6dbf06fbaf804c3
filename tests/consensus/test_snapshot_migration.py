"""Migration 0008: stored snapshots become `TeamSnapshot.to_dict()`, and team assessments
submitted before snapshots existed get one, the same one submission takes today."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from assessment.models import Assessment
from assessment.services.answers import AnswerData, answers_save, final_answers_save
from assessment.services.assessments import assessment_submit
from assessment.services.respondents import respondent_add
from core.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

migration = importlib.import_module("assessment.migrations.0008_team_snapshot_typed")


@pytest.fixture
def submitted_team_assessment(draft, alice):
    """Alice and Carol answered on their own and disagree on DES-0-01; Alice settled all."""
    carol = UserFactory.create(username="carol", first_name="Carol")
    MembershipFactory.create(user=carol, organization=draft.team.organization, role=Role.MEMBER)
    carol_sheet = respondent_add(
        assessment=draft, user=carol, role="data_scientist", phases=[], by=alice
    )
    lead_sheet = draft.respondents.get(is_lead=True)
    answers_save(
        assessment=draft, respondent=lead_sheet, changes={"DES-0-01": AnswerData("1")}, by=alice
    )
    answers_save(
        assessment=draft,
        respondent=carol_sheet,
        changes={"DES-0-01": AnswerData("0", note="no baseline")},
        by=carol,
    )
    bank = draft.bank.bank()
    final_answers_save(
        assessment=draft,
        changes={q.code: AnswerData("1") for q in bank.questions}
        | {"DES-0-01": AnswerData("0.5", note="one model has one")},
        by=alice,
    )
    assessment_submit(assessment=draft, by=alice)
    draft.refresh_from_db()
    return draft


def test_a_snapshot_stored_as_a_list_is_wrapped(submitted_team_assessment):
    today = submitted_team_assessment.team_snapshot
    Assessment.objects.filter(pk=submitted_team_assessment.pk).update(
        team_snapshot=today["flagged"]
    )

    migration.forwards(apps, None)

    submitted_team_assessment.refresh_from_db()
    assert submitted_team_assessment.team_snapshot == today


def test_a_team_assessment_without_a_snapshot_gets_the_one_submission_takes(
    submitted_team_assessment,
):
    today = submitted_team_assessment.team_snapshot
    assert [q["code"] for q in today["flagged"]] == ["DES-0-01"]
    Assessment.objects.filter(pk=submitted_team_assessment.pk).update(team_snapshot=None)

    migration.forwards(apps, None)

    submitted_team_assessment.refresh_from_db()
    assert submitted_team_assessment.team_snapshot == today


def test_a_solo_assessment_keeps_no_snapshot(alice_client, draft):
    from tests.web.helpers import answer_everything

    answer_everything(alice_client, draft)
    alice_client.post(f"/assessments/{draft.pk}/submit/")

    migration.forwards(apps, None)

    draft.refresh_from_db()
    assert draft.result is not None
    assert draft.team_snapshot is None


def test_a_reopened_draft_gets_no_snapshot_from_answers_given_since(
    submitted_team_assessment, alice
):
    from assessment.services.assessments import assessment_reopen

    assessment_reopen(assessment=submitted_team_assessment, by=alice, reason="late change")
    Assessment.objects.filter(pk=submitted_team_assessment.pk).update(team_snapshot=None)

    migration.forwards(apps, None)

    submitted_team_assessment.refresh_from_db()
    assert submitted_team_assessment.team_snapshot is None
