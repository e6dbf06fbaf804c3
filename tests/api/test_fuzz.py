"""The API fuzzed from its own OpenAPI schema (schemathesis) against the live test server: for
every operation, generated requests, valid and not, never get a 500 and never get a response
that breaks the schema (status codes, content types, bodies; errors as problem details).

Half of the generated ids are swapped for real ones, so the operations are exercised on objects
that exist (an assessment with a result, a team with actions), not only on 404s. Hypothesis runs
derandomized: the same examples every run, so a failure here is reproducible, never flaky."""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from assessment.api.throttling import PerTokenThrottle
from assessment.models import Action
from assessment.services.assessments import assessment_submit
from tests.api.conftest import make_token
from tests.web.helpers import answer_everything_via_services

pytestmark = [pytest.mark.django_db(transaction=True)]

EXAMPLES = 25
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def world(alice, draft, mlops_bank) -> dict[str, Any]:
    answer_everything_via_services(alice, draft, "0.5")
    assessment_submit(assessment=draft, by=alice)
    action = Action.objects.create(team=draft.team, title="Version the data", created_by=alice)
    _, secret = make_token(alice)
    return {
        "secret": secret,
        "ids": {
            "assessment_id": draft.pk,
            "team_id": draft.team_id,
            "action_id": action.pk,
            "slug": draft.team.organization.slug,
            "version": mlops_bank.version,
            "code": "DES-0-01",
        },
    }


@pytest.fixture(autouse=True)
def _generous_throttle() -> Iterator[None]:
    """The fuzzer sends hundreds of requests a minute; the throttle has its own test."""
    rates = PerTokenThrottle.THROTTLE_RATES
    PerTokenThrottle.THROTTLE_RATES = {"api": "100000/minute"}
    yield
    PerTokenThrottle.THROTTLE_RATES = rates


def served_schema() -> dict[str, Any]:
    """The schema /api/schema/ serves (tests/api/test_api.py checks it is served), built the
    same way at collection, when the test server is not up yet."""
    from drf_spectacular.generators import SchemaGenerator

    generated: dict[str, Any] = SchemaGenerator().get_schema(request=None, public=True)
    # Through JSON, as a client reads it (dates, lazy strings and tuples become plain values).
    plain: dict[str, Any] = json.loads(json.dumps(generated, default=str))
    return plain


schema = schemathesis.openapi.from_dict(served_schema())


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_request_gets_a_500_or_a_response_outside_the_schema(
    case: Any, live_server: Any, world: dict[str, Any]
) -> None:
    # Every other example on a real object: a deterministic choice, from the example.
    chosen = json.dumps(case.path_parameters or {}, sort_keys=True, default=str).encode()
    if case.path_parameters and zlib.crc32(chosen) % 2:
        for name in case.path_parameters:
            if name in world["ids"]:
                case.path_parameters[name] = world["ids"][name]
    response = case.call(
        base_url=live_server.url,
        headers={"Authorization": f"Bearer {world['secret']}"},
        timeout=30,
    )
    case.validate_response(response, checks=CHECKS)
