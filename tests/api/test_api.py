"""The API end to end: an answers file pushed, submitted and read back as `score_answers` reads
it; tokens, problems, throttling, pagination and filters; action plans."""

from __future__ import annotations

import json
import random
from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from assessment.models import Action, Assessment, QuestionBank
from core.models import AccessToken, Role
from core.tokens import token_hash
from tests.api.conftest import Api, make_token
from tests.factories import MembershipFactory, TeamFactory, UserFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"


def answers_file(bank: QuestionBank, seed: int = 1, **overrides: Any) -> dict[str, Any]:
    """A complete answers file for `bank`: every question answered, a team, targets."""
    rng = random.Random(seed)
    content = bank.bank()
    answers: dict[str, Any] = {}
    for q in content.questions:
        value = rng.choice(["0", "0.5", "1", "1", "unknown"])
        answers[q.code] = (
            {"value": value, "evidence": f"https://wiki.example/{q.code}"}
            if value == "1"
            else value
        )
    data = {
        "bank": bank.key,
        "answers": answers,
        "team": {role.code: rng.choice(["present", "shared", "absent"]) for role in content.roles},
        "targets": {content.phases[-1].code: 1},
    }
    return data | overrides


def test_an_answers_file_pushed_and_submitted_reads_back_as_score_answers_scores_it(
    alice_api: Api, acme_team, mlops_bank, tmp_path: Path
):
    data = answers_file(mlops_bank)
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    out = StringIO()
    call_command("score_answers", str(path), stdout=out, stderr=StringIO())
    offline = json.loads(out.getvalue())

    created = alice_api.post("/api/v1/assessments/", {"team": acme_team.pk, "label": "2027 Q1"})
    assert created.status_code == 201, created.content
    assessment_id = created.json()["id"]
    assert created.json()["status"] == "draft"
    pushed = alice_api.put(
        f"/api/v1/assessments/{assessment_id}/answers-file/",
        path.read_bytes(),
        content_type="application/yaml",
    )
    assert pushed.status_code == 200, pushed.content
    assert pushed.json()["saved"] == len(data["answers"])
    submitted = alice_api.post(f"/api/v1/assessments/{assessment_id}/submit/")
    assert submitted.status_code == 200, submitted.content
    assert submitted.json()["status"] == "submitted"

    result = alice_api.get(f"/api/v1/assessments/{assessment_id}/result/")
    assert result.status_code == 200
    assert result.json() == offline


def test_an_assessment_can_start_from_an_answers_file_in_one_request(
    alice_api: Api, acme_team, mlops_bank
):
    data = answers_file(mlops_bank, seed=2)
    created = alice_api.post(
        "/api/v1/assessments/",
        {"team": acme_team.pk, "label": "From CI", "answers_file": data},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["bank"] == mlops_bank.key
    assert body["targets"] == data["targets"]
    assert body["composition"] == data["team"]
    answers = alice_api.get(f"/api/v1/assessments/{body['id']}/answers/").json()
    assert len(answers) == len(data["answers"])


def test_an_answers_file_lists_every_problem_and_saves_nothing(alice_api: Api, draft, mlops_bank):
    data = answers_file(mlops_bank)
    data["answers"]["NOPE-9-99"] = "1"
    first = list(data["answers"])[1]
    data["answers"][first] = "maybe"
    data["answers"]["DES-0-01"] = {"value": "0.5", "note": "x" * 2001}
    response = alice_api.put(
        f"/api/v1/assessments/{draft.pk}/answers-file/", yaml.safe_dump(data), "application/yaml"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "urn:mlops-maturity:problem:invalid"
    assert problem["detail"] == "3 problems: nothing was changed."
    fields = {e["field"]: e["message"] for e in problem["errors"]}
    assert fields["answers.NOPE-9-99"] == "no such question in mlops-maturity@2.0"
    assert "is not an answer" in fields[f"answers.{first}"]
    assert fields["answers.DES-0-01.note"] == "2001 characters; at most 2000"
    assert not draft.respondents.get().answers.exists()


@pytest.mark.parametrize(
    ("body", "content_type", "message"),
    [
        (b"answers: [1, 2", "application/yaml", "not valid YAML"),
        (b'{"bank": "mlops-maturity@2.0", "bank": "x"}', "application/json", "appears twice"),
        (b"\xff\xfe", "application/yaml", "not UTF-8"),
        (b"", "application/yaml", "bank"),
        (b"- 1\n- 2\n", "application/yaml", "must be a mapping"),
    ],
)
def test_a_broken_answers_file_is_a_problem_not_a_crash(
    alice_api: Api, draft, body, content_type, message
):
    response = alice_api.put(f"/api/v1/assessments/{draft.pk}/answers-file/", body, content_type)
    assert response.status_code == 400
    assert message in json.dumps(response.json()["errors"])


def test_answers_written_one_or_many_with_field_problems(alice_api: Api, draft):
    one = alice_api.put(f"/api/v1/assessments/{draft.pk}/answers/DES-0-01/", {"value": "1"})
    assert one.status_code == 200, one.content
    many = alice_api.patch(
        f"/api/v1/assessments/{draft.pk}/answers/",
        {"answers": {"DES-0-02": 0.5, "DES-0-03": {"value": "na"}, "DES-0-04": "9"}},
    )
    assert many.status_code == 400
    fields = [e["field"] for e in many.json()["errors"]]
    assert fields == ["answers.DES-0-03", "answers.DES-0-04"]
    # Nothing of a refused write is kept; the earlier answer is.
    stored = {
        a["code"]: a["value"]
        for a in alice_api.get(f"/api/v1/assessments/{draft.pk}/answers/").json()
    }
    assert stored == {"DES-0-01": "1"}


def test_submitting_an_incomplete_assessment_lists_the_missing_answers(
    alice_api: Api, draft, mlops_bank
):
    response = alice_api.post(f"/api/v1/assessments/{draft.pk}/submit/")
    assert response.status_code == 400
    assert len(response.json()["errors"]) == mlops_bank.question_count
    assert response.json()["errors"][0] == {
        "field": "answers.DES-0-01",
        "message": "not answered yet",
    }


def test_a_submitted_assessment_refuses_answers_with_409_and_reopens(
    alice_api: Api, acme_team, mlops_bank
):
    created = alice_api.post(
        "/api/v1/assessments/",
        {"team": acme_team.pk, "label": "Q", "answers_file": answers_file(mlops_bank)},
    ).json()
    assert alice_api.post(f"/api/v1/assessments/{created['id']}/submit/").status_code == 200
    again = alice_api.put(f"/api/v1/assessments/{created['id']}/answers/DES-0-01/", {"value": "0"})
    assert again.status_code == 409
    assert again["Content-Type"] == PROBLEM
    reopened = alice_api.post(f"/api/v1/assessments/{created['id']}/reopen/", {"reason": "typo"})
    assert reopened.json()["status"] == "draft"
    assert (
        alice_api.put(
            f"/api/v1/assessments/{created['id']}/answers/DES-0-01/", {"value": "0"}
        ).status_code
        == 200
    )


def test_the_report_pdf_and_a_comparison(alice_api: Api, acme_team, mlops_bank):
    ids = []
    for label, seed in (("Q1", 1), ("Q2", 2)):
        created = alice_api.post(
            "/api/v1/assessments/",
            {"team": acme_team.pk, "label": label, "answers_file": answers_file(mlops_bank, seed)},
        ).json()
        alice_api.post(f"/api/v1/assessments/{created['id']}/submit/")
        ids.append(created["id"])
    pdf = alice_api.get(f"/api/v1/assessments/{ids[1]}/report.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    comparison = alice_api.get(
        f"/api/v1/teams/{acme_team.pk}/comparison/", before=ids[1], after=ids[0]
    ).json()
    assert (comparison["before"], comparison["after"]) == (ids[0], ids[1])  # put in order
    assert {"overall", "phases", "cells", "improved", "regressed"} <= set(comparison)
    bad = alice_api.get(f"/api/v1/teams/{acme_team.pk}/comparison/", before="x", after=ids[0])
    assert bad.status_code == 400


def test_list_filters_and_pages(alice_api: Api, acme_team, alice, mlops_bank):
    other = TeamFactory.create(organization=acme_team.organization, name="Other")
    for index in range(5):
        Assessment.objects.create(
            team=acme_team, bank=mlops_bank, label=f"A{index}", created_by=alice
        )
    Assessment.objects.create(team=other, bank=mlops_bank, label="B", created_by=alice)
    page = alice_api.get("/api/v1/assessments/", team=acme_team.pk, page_size=2).json()
    assert page["count"] == 5
    assert len(page["results"]) == 2
    assert "page=2" in page["next"]
    assert page["previous"] is None
    assert alice_api.get("/api/v1/assessments/", label="a3").json()["count"] == 1
    assert alice_api.get("/api/v1/assessments/", status="submitted").json()["count"] == 0
    assert alice_api.get("/api/v1/assessments/", status="nope").status_code == 400
    assert alice_api.get("/api/v1/assessments/", team="1e9").status_code == 400


def test_creating_organisations_and_teams_by_script(alice_api: Api, alice):
    org = alice_api.post("/api/v1/organizations/", {"name": "Initech"})
    assert org.status_code == 201
    slug = org.json()["slug"]
    assert org.json()["role"] == "owner"
    team = alice_api.post(f"/api/v1/organizations/{slug}/teams/", {"name": "Churn"})
    assert team.status_code == 201
    assert team.json()["reassessment_months"] == 3
    again = alice_api.post(f"/api/v1/organizations/{slug}/teams/", {"name": "CHURN"})
    assert again.status_code == 400
    assert again.json()["errors"][0]["field"] == "name"


def test_action_plans_through_the_api(alice_api: Api, acme_team, alice, mlops_bank):
    created = alice_api.post(
        "/api/v1/assessments/",
        {"team": acme_team.pk, "label": "Q", "answers_file": answers_file(mlops_bank)},
    ).json()
    alice_api.post(f"/api/v1/assessments/{created['id']}/submit/")
    result = alice_api.get(f"/api/v1/assessments/{created['id']}/result/").json()
    codes = [rec["code"] for rec in result["recommendations"][:2]]
    accepted = alice_api.post(f"/api/v1/assessments/{created['id']}/plan/", {"practices": codes})
    assert accepted.status_code == 201
    assert [a["practices"] for a in accepted.json()] == [[c] for c in codes]
    action_id = accepted.json()[0]["id"]
    done = alice_api.patch(
        f"/api/v1/actions/{action_id}/", {"status": "done", "owner_id": alice.pk}
    )
    assert done.status_code == 200, done.content
    assert done.json()["done_at"] is not None
    assert done.json()["owner"] == "alice"
    own = alice_api.post(
        f"/api/v1/teams/{acme_team.pk}/actions/",
        {"title": "Write runbooks", "practices": ["ops-0-01"]},
    )
    assert own.status_code == 201
    assert own.json()["practices"] == ["OPS-0-01"]
    listed = alice_api.get(f"/api/v1/teams/{acme_team.pk}/actions/").json()
    assert listed["count"] == 3
    dropped = alice_api.patch(f"/api/v1/actions/{action_id}/", {"status": "dropped"})
    assert dropped.json()["errors"][0]["field"] == "dropped_reason"


# --- tokens and authentication ---------------------------------------------------------------


def test_without_a_token_the_api_answers_401_as_a_problem(client, acme_team):
    response = client.get("/api/v1/organizations/")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert response.json()["title"] == "Unauthorized"


@pytest.mark.parametrize("header", ["Bearer mmt_nope", "Bearer ", "Bearer " + "x" * 5000])
def test_an_unknown_token_is_refused(client, header):
    response = client.get("/api/v1/organizations/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert "unknown, expired or revoked" in response.json()["detail"]


def test_expired_and_revoked_tokens_stop_working(client, alice, acme_team):
    token, secret = make_token(alice)
    api = Api(client, secret)
    assert api.get("/api/v1/organizations/").status_code == 200
    AccessToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert api.get("/api/v1/organizations/").status_code == 401
    token2, secret2 = make_token(alice)
    AccessToken.objects.filter(pk=token2.pk).update(revoked_at=timezone.now())
    assert Api(client, secret2).get("/api/v1/organizations/").status_code == 401


def test_a_token_is_stored_hashed_and_its_last_use_recorded(client, alice, acme_team):
    token, secret = make_token(alice)
    assert secret.startswith("mmt_")
    assert token.token_hash == token_hash(secret) != secret
    assert not AccessToken.objects.filter(token_hash=secret).exists()
    Api(client, secret).get("/api/v1/organizations/")
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_read_token_reads_but_never_writes(client, alice, acme_team, draft):
    _, secret = make_token(alice, scope="read")
    api = Api(client, secret)
    assert api.get(f"/api/v1/assessments/{draft.pk}/").status_code == 200
    refused = api.put(f"/api/v1/assessments/{draft.pk}/answers/DES-0-01/", {"value": "1"})
    assert refused.status_code == 403
    assert "may only read" in refused.json()["detail"]


def test_a_token_restricted_to_one_organisation_sees_no_other(client, alice, acme_team, draft):
    other = TeamFactory.create(name="Elsewhere", organization__slug="elsewhere")
    MembershipFactory.create(user=alice, organization=other.organization, role=Role.OWNER)
    _, secret = make_token(alice, organization=acme_team.organization)
    api = Api(client, secret)
    slugs = [o["slug"] for o in api.get("/api/v1/organizations/").json()["results"]]
    assert slugs == ["acme"]
    assert api.get("/api/v1/organizations/elsewhere/").status_code == 404
    assert api.get(f"/api/v1/teams/{other.pk}/").status_code == 404
    assert api.post("/api/v1/organizations/", {"name": "New"}).status_code == 403


def test_the_session_works_for_the_pages_scripts_with_csrf_on_writes(alice, draft):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(alice)
    assert browser.get(f"/api/v1/assessments/{draft.pk}/").status_code == 200
    write = browser.put(
        f"/api/v1/assessments/{draft.pk}/answers/DES-0-01/",
        {"value": "1"},
        content_type="application/json",
    )
    assert write.status_code == 403
    assert "CSRF" in write.json()["detail"]


def test_requests_are_throttled_per_token(client, alice, acme_team, settings):
    from rest_framework.settings import api_settings

    rates: dict[str, Any] = dict(api_settings.DEFAULT_THROTTLE_RATES)
    try:
        from assessment.api.throttling import PerTokenThrottle

        PerTokenThrottle.THROTTLE_RATES = {"api": "3/minute"}
        cache.clear()
        _, first = make_token(alice)
        _, second = make_token(alice)
        codes = [Api(client, first).get("/api/v1/banks/").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        throttled = Api(client, first).get("/api/v1/banks/")
        assert throttled["Content-Type"] == PROBLEM
        assert int(throttled["Retry-After"]) > 0
        assert Api(client, second).get("/api/v1/banks/").status_code == 200  # its own count
    finally:
        PerTokenThrottle.THROTTLE_RATES = rates


def test_the_account_page_makes_a_token_once_and_revokes_it(client, alice, acme_team):
    client.force_login(alice)
    page = client.post(
        "/account/",
        {"name": "CI of fraud-model", "scope": "write", "organization": "", "days": "30"},
    )
    assert page.status_code == 200
    secret = page.context["new_token"]
    assert secret.startswith("mmt_")
    assert secret in page.content.decode()
    token = AccessToken.objects.get()
    assert (token.name, token.scope, token.organization) == ("CI of fraud-model", "write", None)
    assert secret not in client.get("/account/").content.decode()  # shown once
    revoked = client.post(f"/account/tokens/{token.pk}/revoke/")
    assert revoked.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"days": "0"}, "days"),
        ({"days": "367"}, "days"),
        ({"scope": "admin"}, "scope"),
        ({"organization": "999"}, "organization"),
        ({"name": ""}, "name"),
    ],
)
def test_a_bad_token_request_is_a_field_error(client, alice, acme_team, fields, field):
    client.force_login(alice)
    data = {"name": "x", "scope": "read", "organization": "", "days": "30"} | fields
    page = client.post("/account/", data)
    assert field in page.context["form"].errors
    assert not AccessToken.objects.exists()


def test_someone_elses_token_cannot_be_revoked(client, alice, bob, acme_team, globex_team):
    token, _ = make_token(bob)
    client.force_login(alice)
    assert client.post(f"/account/tokens/{token.pk}/revoke/").status_code == 404


def test_the_schema_and_reference_page_are_served(alice_api: Api, client, alice):
    schema = alice_api.get("/api/schema/", format="json")
    assert schema.status_code == 200
    paths = json.loads(schema.content)["paths"]
    assert "/api/v1/assessments/{assessment_id}/answers-file/" in paths
    client.force_login(alice)
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert "<script" in page.content.decode()
    assert "unsafe-inline" not in page["Content-Security-Policy"]


def test_a_viewer_reads_through_the_api_and_writes_nothing(client, draft, acme_team):
    viewer = UserFactory.create(username="vic")
    MembershipFactory.create(user=viewer, organization=acme_team.organization, role=Role.VIEWER)
    _, secret = make_token(viewer)
    api = Api(client, secret)
    assert api.get(f"/api/v1/assessments/{draft.pk}/answers/").status_code == 200
    response = api.put(f"/api/v1/assessments/{draft.pk}/answers/DES-0-01/", {"value": "1"})
    assert response.status_code == 403
    assert Action.objects.count() == 0


def test_addresses_work_without_their_final_slash(alice_api: Api, acme_team, mlops_bank):
    assert alice_api.get("/api/v1/organizations").status_code == 200
    created = alice_api.post("/api/v1/assessments", {"team": acme_team.pk, "label": "No slash"})
    assert created.status_code == 201, created.content
    schema = json.loads(alice_api.get("/api/schema/", format="json").content)
    assert not [path for path in schema["paths"] if not path.endswith(("/", ".pdf"))]


def test_the_bearer_scheme_is_case_insensitive(client, alice, acme_team):
    _, secret = make_token(alice)
    response = client.get("/api/v1/organizations/", headers={"Authorization": f"bearer {secret}"})
    assert response.status_code == 200


def test_an_anonymous_schema_request_gets_a_json_problem(client):
    response = client.get("/api/schema/")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    assert response.json()["title"] == "Unauthorized"


def test_a_threshold_in_a_new_assessments_file_is_refused(alice_api: Api, acme_team, mlops_bank):
    data = answers_file(mlops_bank, threshold=70)
    response = alice_api.post(
        "/api/v1/assessments/", {"team": acme_team.pk, "label": "T", "answers_file": data}
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "answers_file.threshold"
    assert not Assessment.objects.exists()


def test_members_give_the_ids_an_owner_takes(alice_api: Api, acme_team):
    members = alice_api.get("/api/v1/organizations/acme/members/").json()["results"]
    assert members == [
        {"user_id": members[0]["user_id"], "username": "alice", "name": "alice", "role": "owner"}
    ]


def test_a_name_replaces_a_member_as_owner_and_undated_actions_come_last(
    alice_api: Api, acme_team, alice
):
    dated = Action.objects.create(
        team=acme_team, title="Dated", created_by=alice, owner=alice, due_on=timezone.localdate()
    )
    Action.objects.create(team=acme_team, title="Undated", created_by=alice)
    renamed = alice_api.patch(f"/api/v1/actions/{dated.pk}/", {"owner_name": "Sam (contractor)"})
    assert renamed.status_code == 200, renamed.content
    assert (renamed.json()["owner_id"], renamed.json()["owner"]) == (None, "Sam (contractor)")
    titles = [
        a["title"]
        for a in alice_api.get(f"/api/v1/teams/{acme_team.pk}/actions/").json()["results"]
    ]
    assert titles == ["Dated", "Undated"]


def test_accepting_what_is_already_planned_creates_nothing(alice_api: Api, acme_team, mlops_bank):
    created = alice_api.post(
        "/api/v1/assessments/",
        {"team": acme_team.pk, "label": "Q", "answers_file": answers_file(mlops_bank)},
    ).json()
    alice_api.post(f"/api/v1/assessments/{created['id']}/submit/")
    code = alice_api.get(f"/api/v1/assessments/{created['id']}/result/").json()["recommendations"][
        0
    ]["code"]
    first = alice_api.post(
        f"/api/v1/assessments/{created['id']}/plan/", {"practices": [code.lower()]}
    )
    assert first.status_code == 201
    again = alice_api.post(f"/api/v1/assessments/{created['id']}/plan/", {"practices": [code]})
    assert (again.status_code, again.json()) == (200, [])


def test_a_cache_url_shares_the_counts_between_processes():
    """Two interpreters with CACHE_URL count one token's requests together (the API's throttle
    and allauth's limits live there), against the Redis server the machine runs."""
    from tests.core.test_settings import run_python

    count = (
        "import django; django.setup(); from django.core.cache import cache; "
        "print(cache.incr('api-tests-shared', 1) if cache.get('api-tests-shared') is not None "
        "else cache.set('api-tests-shared', 1) or 1)"
    )
    url = "redis://127.0.0.1:6379/15"
    first = run_python(
        "import django; django.setup(); from django.core.cache import cache; "
        "cache.delete('api-tests-shared')",
        DEBUG="1",
        CACHE_URL=url,
    )
    if first.returncode != 0 and "Connection refused" in first.stderr:
        pytest.skip("no Redis server on 127.0.0.1:6379")
    assert first.returncode == 0, first.stderr
    seen = [run_python(count, DEBUG="1", CACHE_URL=url).stdout.strip() for _ in range(2)]
    assert seen == ["1", "2"]


def test_a_bad_cache_url_stops_start_up_with_one_clear_line():
    from tests.core.test_settings import run_python

    result = run_python("import django; django.setup()", DEBUG="1", CACHE_URL="memcached://x")
    assert result.returncode != 0
    assert "CACHE_URL must be a redis:// or rediss:// URL, not 'memcached://x'" in result.stderr
