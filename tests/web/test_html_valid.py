"""Every page of the demo parses as HTML without a single error (html5lib in strict mode):
no unclosed or misnested element, no duplicate attribute, no stray end tag."""

from __future__ import annotations

import html5lib
import pytest
from django.contrib.auth.models import User
from django.test import Client

from assessment.models import Assessment
from assessment.services.demo import DEMO_USERNAME, demo_load

pytestmark = pytest.mark.django_db


def demo_paths() -> list[str]:
    fraud = Assessment.objects.filter(team__name="Fraud detection")
    submitted = fraud.filter(status="submitted").order_by("submitted_at")
    first, last = submitted.first(), submitted.last()
    assert first is not None
    assert last is not None
    draft = fraud.get(status="draft")
    team, org = last.team, last.team.organization.slug
    return [
        "/",
        f"/orgs/{org}/",
        f"/orgs/{org}/members/",
        f"/orgs/{org}/activity/",
        f"/teams/{team.pk}/",
        f"/teams/{team.pk}/compare/?before={first.pk}&after={last.pk}",
        f"/teams/{team.pk}/assessments/new/",
        f"/teams/{team.pk}/assessments/import/",
        f"/assessments/{draft.pk}/team/",
        f"/assessments/{draft.pk}/phases/design/",
        f"/assessments/{draft.pk}/review/",
        f"/assessments/{draft.pk}/respondents/",
        f"/assessments/{draft.pk}/consensus/",
        f"/assessments/{draft.pk}/submit/",
        f"/assessments/{last.pk}/result/",
        f"/assessments/{last.pk}/report/",
        f"/assessments/{last.pk}/reopen/",
    ]


def test_every_demo_page_is_well_formed_html(client: Client, mlops_bank) -> None:
    demo_load()
    client.force_login(User.objects.get(username=DEMO_USERNAME))
    parser = html5lib.HTMLParser(strict=True)
    problems = {}
    for path in demo_paths():
        response = client.get(path)
        assert response.status_code == 200, path
        try:
            parser.parse(response.content.decode())
        except html5lib.html5parser.ParseError as error:
            problems[path] = str(error)
    assert problems == {}
