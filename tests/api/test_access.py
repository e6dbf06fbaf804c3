"""Every API endpoint, enumerated from the URL patterns so a new one cannot forget its checks:
another organisation's token gets 404, a viewer's writes 403, a read-only token's writes 403, and
a token restricted to another organisation 404. Nothing changes in any of these cases."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import URLPattern

from assessment.models import Action, Answer, Assessment
from assessment.services.assessments import assessment_submit
from core.models import Organization, Role, Team
from tests.api.conftest import Api, make_token
from tests.core.test_access import all_url_patterns
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.web.helpers import answer_everything_via_services

pytestmark = pytest.mark.django_db

KWARG = re.compile(r"<(?:\w+:)?(\w+)>")
# Endpoints that hold no organisation's object: the banks are the same for everyone, and the
# schema describes the API itself.
GLOBAL = {"api_banks", "api_bank", "api_schema", "api_docs"}
# Creating an organisation writes nothing of anyone else's (tests/api/test_api.py covers it).
OWN_WRITES = {("api_organizations", "post")}
WRITE_METHODS = ("post", "put", "patch", "delete")


def api_routes() -> list[tuple[str, URLPattern]]:
    return [
        (route, pattern)
        for route, pattern in all_url_patterns()
        # Unnamed: the same views without their final slash (tests/api/test_api.py).
        if route.startswith("api/") and pattern.name and pattern.name not in GLOBAL
    ]


def methods(pattern: URLPattern) -> list[str]:
    view_class = pattern.callback.cls  # type: ignore[attr-defined]
    return [m for m in ("get", *WRITE_METHODS) if hasattr(view_class, m)]


@pytest.fixture
def world(alice, draft, mlops_bank) -> dict[str, Any]:
    answer_everything_via_services(alice, draft, "0.5")
    assessment_submit(assessment=draft, by=alice)
    draft.refresh_from_db()
    action = Action.objects.create(team=draft.team, title="Version the data", created_by=alice)
    return {
        "slug": draft.team.organization.slug,
        "team_id": draft.team_id,
        "assessment_id": draft.pk,
        "action_id": action.pk,
        "code": "DES-0-01",
        "version": mlops_bank.version,
    }


def url_for(route: str, world: dict[str, Any]) -> str:
    path = "/" + KWARG.sub(lambda m: str(world[m.group(1)]), route)
    if path.endswith("/comparison/"):
        path += f"?before={world['assessment_id']}&after={world['assessment_id']}"
    return path


def payload(world: dict[str, Any]) -> dict[str, Any]:
    """A body each write would accept from someone allowed to make it."""
    return {
        "team": world["team_id"],
        "label": "By a stranger",
        "name": "By a stranger",
        "title": "By a stranger",
        "practices": ["DES-0-01"],
        "answers": {"DES-0-01": "1"},
        "value": "1",
        "reason": "a stranger's",
        "status": "done",
    }


def snapshot() -> tuple[Any, ...]:
    return (
        list(Assessment.objects.order_by("pk").values_list("status", "label", "result_version")),
        list(Answer.objects.order_by("pk").values_list("question_code", "value")),
        list(Action.objects.order_by("pk").values_list("title", "status")),
        list(Team.objects.order_by("pk").values_list("name")),
        Organization.objects.count(),
    )


def call(api: Api, method: str, path: str, world: dict[str, Any]) -> int:
    if method == "get":
        return int(api.get(path).status_code)
    if method == "delete":
        return int(api.delete(path).status_code)
    return int(getattr(api, method)(path, payload(world)).status_code)


def test_every_api_endpoint_is_enumerated():
    names = {pattern.name for _, pattern in api_routes()}
    assert {
        "api_organizations",
        "api_teams",
        "api_team",
        "api_assessments",
        "api_assessment",
        "api_answers",
        "api_answer",
        "api_answers_file",
        "api_assessment_submit",
        "api_assessment_reopen",
        "api_assessment_result",
        "api_assessment_report",
        "api_team_comparison",
        "api_team_actions",
        "api_action",
        "api_assessment_plan",
        "api_members",
    } <= names


@pytest.mark.parametrize(("route", "pattern"), api_routes(), ids=lambda v: str(v))
def test_another_organisations_token_gets_404(client, world, bob, globex_team, route, pattern):
    api = Api(client, make_token(bob)[1])
    before = snapshot()
    path = url_for(route, world)
    for method in methods(pattern):
        if pattern.name in {"api_organizations", "api_assessments"}:
            continue  # lists of one's own: bob's lists hold none of Acme's (below)
        assert call(api, method, path, world) == 404, f"{method.upper()} {path}"
    assert snapshot() == before


def test_another_organisations_lists_hold_nothing_of_acme(client, world, bob, globex_team):
    api = Api(client, make_token(bob)[1])
    assert [o["slug"] for o in api.get("/api/v1/organizations/").json()["results"]] == ["globex"]
    assert api.get("/api/v1/assessments/").json()["count"] == 0
    created = api.post("/api/v1/assessments/", payload(world))
    # Acme's team, as far as bob can tell, does not exist: the same answer as for no team at all.
    assert created.status_code == 400
    assert created.json()["errors"][0]["field"] == "team"
    assert api.post("/api/v1/assessments/", payload(world) | {"team": 99999}).json() == (
        created.json()
    )


@pytest.mark.parametrize(("route", "pattern"), api_routes(), ids=lambda v: str(v))
def test_a_viewer_reads_and_every_write_is_403(client, world, route, pattern):
    viewer = UserFactory.create(username="vic")
    organization = Organization.objects.get(slug=world["slug"])
    MembershipFactory.create(user=viewer, organization=organization, role=Role.VIEWER)
    api = Api(client, make_token(viewer)[1])
    before = snapshot()
    path = url_for(route, world)
    for method in methods(pattern):
        code = call(api, method, path, world)
        if method == "get":
            assert code == 200, f"GET {path}: {code}"
        elif (pattern.name, method) not in OWN_WRITES:
            assert code == 403, f"{method.upper()} {path}: {code}"
    assert snapshot()[:4] == before[:4]


@pytest.mark.parametrize(("route", "pattern"), api_routes(), ids=lambda v: str(v))
def test_a_read_token_never_writes(client, world, alice, route, pattern):
    api = Api(client, make_token(alice, scope="read")[1])
    before = snapshot()
    path = url_for(route, world)
    for method in methods(pattern):
        if method != "get":
            assert call(api, method, path, world) == 403, f"{method.upper()} {path}"
    assert snapshot() == before


@pytest.mark.parametrize(("route", "pattern"), api_routes(), ids=lambda v: str(v))
def test_a_token_restricted_to_another_organisation_sees_404(client, world, alice, route, pattern):
    elsewhere = OrganizationFactory.create(slug="elsewhere")
    MembershipFactory.create(user=alice, organization=elsewhere, role=Role.OWNER)
    api = Api(client, make_token(alice, organization=elsewhere)[1])
    before = snapshot()
    path = url_for(route, world)
    for method in methods(pattern):
        if pattern.name in {"api_organizations", "api_assessments"}:
            continue  # lists: filtered to the token's organisation (tests/api/test_api.py)
        assert call(api, method, path, world) in (404, 403), f"{method.upper()} {path}"
        if method == "get":
            assert call(api, method, path, world) == 404
    assert snapshot() == before
