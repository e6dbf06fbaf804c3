from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command

from assessment.models import Answer, Assessment
from assessment.services.demo import CONSULTANT_USERNAME, DEMO_PASSWORD, DEMO_USERNAME
from core.models import Membership

pytestmark = pytest.mark.django_db


def summary(assessment: Assessment) -> Any:
    """The summary stored as JSON at submission."""
    assert assessment.summary is not None, assessment.label
    return assessment.summary


def test_the_demo_shows_results_trends_drafts_and_a_consultant(client, mlops_bank, settings):
    settings.DEBUG = True  # the demo loads in development only
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert f"Demo login: username {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r}" in out.getvalue()
    call_command("load_demo", stdout=StringIO())  # idempotent
    fraud = {a.label: a for a in Assessment.objects.filter(team__name="Fraud detection")}
    assert set(fraud) == {"2026 Q1", "2026 Q2", "2026 Q3", "2026 Q4"}
    assert [fraud[q].status for q in ("2026 Q1", "2026 Q2", "2026 Q3")] == ["submitted"] * 3
    assert fraud["2026 Q1"].submitted_at is not None
    assert fraud["2026 Q2"].submitted_at is not None
    assert fraud["2026 Q3"].submitted_at is not None
    assert (
        fraud["2026 Q1"].submitted_at
        < fraud["2026 Q2"].submitted_at
        < fraud["2026 Q3"].submitted_at
    )
    # Three quarters of visible progress.
    assert [summary(fraud[q])["overall"] for q in ("2026 Q1", "2026 Q2", "2026 Q3")] == [
        None,
        None,
        0,
    ]
    assert fraud["2026 Q3"].result is not None
    assert fraud["2026 Q3"].result["phases"]["design"]["level"] == 1
    draft = fraud["2026 Q4"]
    assert draft.status == "draft"
    assert 0 < Answer.objects.filter(respondent__assessment=draft).count() < 54
    consultant_orgs = Membership.objects.filter(user__username=CONSULTANT_USERNAME)
    assert sorted(consultant_orgs.values_list("organization__name", flat=True)) == [
        "Acme Analytics",
        "Globex Retail",
    ]
    # The printed login works, and the demo user sees the result and the draft.
    login = client.post("/login/", {"login": DEMO_USERNAME, "password": DEMO_PASSWORD})
    assert login.status_code == 302
    assert client.get(f"/assessments/{fraud['2026 Q3'].pk}/result/").status_code == 200
    assert client.get(f"/assessments/{draft.pk}/phases/design/").status_code == 200
    team_page = client.get(f"/teams/{draft.team.pk}/")
    assert "Maturity level over time" in team_page.content.decode()


def test_the_demo_refuses_to_load_outside_development(mlops_bank, settings):
    from django.core.management.base import CommandError

    from core.models import Organization

    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs only with DEBUG=1"):
        call_command("load_demo", stdout=StringIO())
    assert not Organization.objects.exists()
