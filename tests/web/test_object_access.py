"""Every view that takes an object id: another organisation's member gets 404, a viewer gets 403
on every write. The URL patterns are enumerated, so a new view cannot forget its check."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import URLPattern
from django.utils import timezone

from assessment.models import (
    Action,
    Answer,
    Assessment,
    AssessmentEvent,
    ExportJob,
    FinalAnswer,
    ReportCommentary,
    ReportShare,
    Respondent,
    Webhook,
    WebhookDelivery,
)
from assessment.selectors.exports import export_name
from assessment.services.assessments import assessment_submit
from assessment.services.shares import share_create
from core.models import Invitation, Membership, ReportBranding, Role, Team
from tests.core.test_access import all_url_patterns
from tests.factories import MembershipFactory, UserFactory
from tests.web.helpers import answer_everything_via_services

pytestmark = pytest.mark.django_db

# Views without an object in their URL, which other tests cover.
NO_OBJECT = {
    "home",
    "healthz",
    "readyz",  # public readiness: tests/ops/test_readiness.py
    "metrics",  # operators only, 404 to anyone else: tests/ops/test_metrics.py
    "login",
    "logout",
    "organization_switch",
    "account_settings",  # the person's own account
    "access_token_revoke",  # their own tokens only: tests/api/test_api.py
    "organization_create",  # a new organisation: tests/web/test_onboarding.py
    "invitation",  # public by token: tests/web/test_invitations.py
    # Public by token: anyone holding a live link reads the report (tests/web/test_shares.py).
    "shared_report",
    "shared_report_pdf",
}
# A POST that would change something on any page that takes it.
WRITES = {
    "DES-0-01-value": "0",
    "role": "owner",
    "executive": "Written by a stranger",
    "action": "publish",
    "prepared_by": "A stranger",
    "name": "Renamed by a stranger",
    "archive": "1",
    "email": "stranger@example.org",
    "title": "Planned by a stranger",
    "status": "done",
    "practices": "DES-0-01",
}
KWARG = re.compile(r"<(?:\w+:)?(\w+)>")


@pytest.fixture
def world(alice, draft, mlops_bank, settings, tmp_path):
    """Acme's objects: a submitted assessment, a draft, a second member. Built through the
    services: the views under test here are only read and refused."""
    answer_everything_via_services(alice, draft, "1")
    assessment_submit(assessment=draft, by=alice)
    draft.refresh_from_db()
    second = Assessment.objects.create(
        team=draft.team, bank=mlops_bank, label="Draft", created_by=alice
    )
    second.respondents.create(user=alice, is_lead=True)
    member = MembershipFactory.create(
        user=UserFactory.create(username="carol"),
        organization=draft.team.organization,
        role=Role.MEMBER,
    )
    settings.MEDIA_ROOT = tmp_path
    job = ExportJob.objects.create(
        organization=draft.team.organization,
        requested_by=alice,
        status=ExportJob.Status.DONE,
        file_name="acme.zip",
    )
    default_storage.save(export_name(job), ContentFile(b"PK\x05\x06" + bytes(18)))  # empty ZIP
    respondent = second.respondents.create(user=member.user, role="data_scientist")
    share, _ = share_create(assessment=draft, by=alice)
    invitation = Invitation.objects.create(
        organization=draft.team.organization,
        email="someone@example.org",
        role=Role.MEMBER,
        token_hash="0" * 64,
        created_by=alice,
        sent_at=timezone.now() - timedelta(hours=1),
        expires_at=timezone.now() + timedelta(days=1),
    )
    action = Action.objects.create(
        team=draft.team, source=draft, title="Version the data", created_by=alice
    )
    webhook = Webhook.objects.create(
        organization=draft.team.organization,
        url="https://93.184.215.14/hooks",
        events=["assessment.submitted"],
        secret="whsec_acme",
        created_by=alice,
    )
    return {
        "webhook_id": webhook.pk,
        "action_id": action.pk,
        "invitation_id": invitation.pk,
        "share_id": share.pk,
        "respondent_id": respondent.pk,
        "job_id": job.pk,
        "slug": draft.team.organization.slug,
        "team_id": draft.team.pk,
        "assessment_id": second.pk,
        "submitted_id": draft.pk,
        "membership_id": member.pk,
        "phase": "design",
    }


def object_routes() -> list[tuple[str, URLPattern]]:
    return [
        (route, pattern)
        for route, pattern in all_url_patterns()
        if not route.startswith("admin/")
        # django-allauth's pages hold no organisation's object: tests/core/test_access.py checks
        # that those needing a session ask for one.
        and not route.startswith("accounts/")
        # The API answers tokens with problems, not pages: tests/api/test_access.py enumerates it.
        and not route.startswith("api/")
        and pattern.name not in NO_OBJECT
    ]


def url_for(route: str, world: dict, *, submitted: bool = False) -> str:
    def fill(match: re.Match) -> str:
        name = match.group(1)
        if name == "assessment_id" and submitted:
            return str(world["submitted_id"])
        return str(world[name])

    path = "/" + KWARG.sub(fill, route)
    if "compare/" in path:
        path += f"?before={world['submitted_id']}&after={world['submitted_id']}"
    return path


def snapshot() -> tuple:
    return (
        list(Answer.objects.order_by("pk").values_list("question_code", "value")),
        list(Assessment.objects.order_by("pk").values_list("status", "label", "composition")),
        list(Membership.objects.order_by("pk").values_list("user_id", "role")),
        list(Respondent.objects.order_by("pk").values_list("user_id", "role", "phases")),
        list(FinalAnswer.objects.order_by("pk").values_list("question_code", "value")),
        AssessmentEvent.objects.count(),
        list(ExportJob.objects.order_by("pk").values_list("status", "cancelled_by")),
        list(ReportShare.objects.order_by("pk").values_list("revoked_at", "expires_at")),
        list(ReportCommentary.objects.values_list("executive", "published_at")),
        list(ReportBranding.objects.values_list("prepared_by", "confidentiality")),
        list(Invitation.objects.order_by("pk").values_list("token_hash", "revoked_at")),
        list(Team.objects.order_by("pk").values_list("name", "archived_at")),
        list(Action.objects.order_by("pk").values_list("title", "status", "practices")),
        list(Webhook.objects.order_by("pk").values_list("url", "events", "secret", "is_active")),
        WebhookDelivery.objects.count(),
    )


def test_every_object_view_is_enumerated(world):
    names = {pattern.name for _, pattern in object_routes()}
    assert {
        "team_detail",
        "assessment_phase",
        "assessment_submit",
        "assessment_export_csv",
        "organization_detail",
        "organization_portfolio_pdf",
        "organization_member_update",
        "report_commentary",
        "report_commentary_withdraw",
        "organization_branding",
        "assessment_report_docx",
        "assessment_plan_accept",
        "team_plan",
        "team_plan_csv",
        "team_plan_json",
        "action_edit",
        "organization_actions",
        "organization_webhooks",
        "webhook_detail",
        "webhook_test",
        "webhook_rotate_secret",
        "webhook_delete",
    } <= names


@pytest.mark.parametrize(("route", "pattern"), object_routes(), ids=lambda v: str(v))
def test_another_organisation_gets_404(client, world, bob, globex_team, route, pattern):
    client.force_login(bob)
    before = snapshot()
    for submitted in (False, True):
        path = url_for(route, world, submitted=submitted)
        get = client.get(path)
        post = client.post(path, WRITES | {"identifier": "bob"})
        assert get.status_code in (404, 405), f"GET {path}: {get.status_code}"
        assert post.status_code in (404, 405), f"POST {path}: {post.status_code}"
    assert snapshot() == before


@pytest.mark.parametrize(("route", "pattern"), object_routes(), ids=lambda v: str(v))
def test_a_viewer_reads_but_every_write_is_403(client, world, route, pattern):
    viewer = UserFactory.create(username="vic")
    MembershipFactory.create(
        user=viewer,
        organization_id=Membership.objects.get(pk=world["membership_id"]).organization_id,
        role=Role.VIEWER,
    )
    client.force_login(viewer)
    before = snapshot()
    for submitted in (False, True):
        path = url_for(route, world, submitted=submitted)
        get = client.get(path)
        # Pages that only exist to write (forms) refuse a viewer from the start.
        assert get.status_code in (200, 302, 403, 405), f"GET {path}: {get.status_code}"
        post = client.post(path, WRITES | {"identifier": "vic"})
        assert post.status_code in (403, 405), f"POST {path}: {post.status_code}"
    assert snapshot() == before
