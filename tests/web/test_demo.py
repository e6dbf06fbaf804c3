from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from assessment.demo import DEMO_PASSWORD, DEMO_USERNAME
from assessment.models import Answer, Assessment

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_submitted_result_and_a_draft_and_is_idempotent(client, mlops_bank):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert f"Demo login: username {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r}" in out.getvalue()
    call_command("load_demo", stdout=StringIO())
    assessments = {a.label: a for a in Assessment.objects.all()}
    assert set(assessments) == {"2026 Q3", "2026 Q4"}
    submitted, draft = assessments["2026 Q3"], assessments["2026 Q4"]
    assert submitted.status == "submitted"
    assert submitted.result["bank"] == "mlops-maturity@1.0"
    assert submitted.result["phases"]["design"]["level"] == 1
    assert submitted.result["overall"]["level"] == 0
    assert draft.status == "draft"
    assert 0 < Answer.objects.filter(respondent__assessment=draft).count() < 54
    # The printed login works, and the demo user sees both.
    login = client.post("/login/", {"username": DEMO_USERNAME, "password": DEMO_PASSWORD})
    assert login.status_code == 302
    assert client.get(f"/assessments/{submitted.pk}/result/").status_code == 200
    assert client.get(f"/assessments/{draft.pk}/phases/design/").status_code == 200
