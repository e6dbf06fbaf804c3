"""Two people saving the same assessment at the same moment both keep their answers."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from assessment.models import Answer
from assessment.services.answers import AnswerData, answers_save
from assessment.services.assessments import assessment_start
from assessment.services.respondents import respondent_add
from core.models import Role
from tests.factories import MembershipFactory, UserFactory
from tests.web.helpers import phase_post_data

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (run with DATABASE_URL=postgres://...)")


def save_concurrently(posts: list[tuple[Client, str, dict]]) -> list[int]:
    """Post each request from its own thread and connection, released at the same instant."""
    barrier = threading.Barrier(len(posts))
    statuses: list[int] = [0] * len(posts)

    def worker(index: int, client: Client, path: str, data: dict) -> None:
        try:
            barrier.wait()
            statuses[index] = client.post(path, data).status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, *post)) for i, post in enumerate(posts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return statuses


def test_two_people_saving_different_answers_both_keep_them(acme_team, alice, mlops_bank):
    carol = UserFactory.create(username="carol")
    MembershipFactory.create(user=carol, organization=acme_team.organization, role=Role.MEMBER)
    assessment = assessment_start(
        team=acme_team, bank=mlops_bank, label="2026 Q4", targets={}, by=alice
    )
    clients = []
    for user in (alice, carol):
        client = Client()
        client.force_login(user)
        clients.append(client)
    path = f"/assessments/{assessment.pk}/phases/design/"
    for _ in range(5):  # several rounds make an unlucky interleaving likely
        Answer.objects.all().delete()
        statuses = save_concurrently(
            [
                (clients[0], path, phase_post_data(assessment, "design", {"DES-0-01": "1"})),
                (clients[1], path, phase_post_data(assessment, "design", {"DES-0-02": "0.5"})),
            ]
        )
        assert statuses == [302, 302]
        values = dict(Answer.objects.values_list("question_code", "value"))
        assert values == {"DES-0-01": "1", "DES-0-02": "0.5"}
        writers = dict(Answer.objects.values_list("question_code", "updated_by__username"))
        assert writers == {"DES-0-01": "alice", "DES-0-02": "carol"}


def test_a_save_racing_a_submit_never_lands_after_the_freeze(acme_team, alice, mlops_bank):
    assessment = assessment_start(
        team=acme_team, bank=mlops_bank, label="2026 Q4", targets={}, by=alice
    )
    respondent = assessment.respondents.get()
    answers_save(
        assessment=assessment,
        respondent=respondent,
        changes={q.code: AnswerData(value="1") for q in mlops_bank.bank().questions},
        by=alice,
    )
    client_a, client_b = Client(), Client()
    client_a.force_login(alice)
    client_b.force_login(alice)
    statuses = save_concurrently(
        [
            (client_a, f"/assessments/{assessment.pk}/submit/", {}),
            (
                client_b,
                f"/assessments/{assessment.pk}/phases/design/",
                phase_post_data(
                    assessment, "design", {"DES-0-01": "0"}, seen={"DES-0-01-value": "1"}
                ),
            ),
        ]
    )
    assert statuses == [302, 302]  # the late save is refused politely, never a 500
    assessment.refresh_from_db()
    assert assessment.status == "submitted"
    stored = Answer.objects.get(question_code="DES-0-01").value
    assert assessment.result is not None
    scored = next(
        a["value"]
        for a in assessment.result["phases"]["design"]["cells"]["0"]["answers"]
        if a["code"] == "DES-0-01"
    )
    # Whichever came first, the frozen result and the stored answers agree.
    assert stored == scored


def test_respondents_saving_at_once_each_keep_their_answers(acme_team, alice, mlops_bank):
    assessment = assessment_start(
        team=acme_team, bank=mlops_bank, label="Team", targets={}, by=alice
    )
    users = [alice]
    for name in ("carol", "dave"):
        user = UserFactory.create(username=name)
        MembershipFactory.create(user=user, organization=acme_team.organization, role=Role.MEMBER)
        respondent_add(assessment=assessment, user=user, role="data_scientist", phases=[], by=alice)
        users.append(user)
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    path = f"/assessments/{assessment.pk}/phases/design/"
    values = ["1", "0", "0.5"]
    statuses = save_concurrently(
        [
            (client, path, phase_post_data(assessment, "design", {"DES-0-01": value}))
            for client, value in zip(clients, values, strict=True)
        ]
    )
    assert statuses == [302, 302, 302]
    stored = dict(
        Answer.objects.filter(question_code="DES-0-01").values_list(
            "respondent__user__username", "value"
        )
    )
    assert stored == {"alice": "1", "carol": "0", "dave": "0.5"}
