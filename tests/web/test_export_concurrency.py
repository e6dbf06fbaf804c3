"""Eight people asking for an organisation's export at the same instant get one export."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from assessment.models import ExportJob
from core.models import Role
from tests.factories import MembershipFactory, UserFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _needs_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (run with DATABASE_URL=postgres://...)")


def request_concurrently(clients: list[Client], path: str) -> list[str]:
    """Post from each client in its own thread and connection, released at the same instant;
    return where each was redirected."""
    barrier = threading.Barrier(len(clients))
    locations: list[str] = [""] * len(clients)

    def worker(index: int, client: Client) -> None:
        try:
            barrier.wait()
            locations[index] = client.post(path)["Location"]
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return locations


def test_eight_simultaneous_requests_start_one_export(acme_team, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    clients = []
    for index in range(8):
        user = UserFactory.create(username=f"owner{index}")
        MembershipFactory.create(user=user, organization=acme_team.organization, role=Role.OWNER)
        client = Client()
        client.force_login(user)
        clients.append(client)
    slug = acme_team.organization.slug
    for _ in range(3):  # several rounds make an unlucky interleaving likely
        ExportJob.objects.all().delete()
        locations = request_concurrently(clients, f"/orgs/{slug}/exports/")
        job = ExportJob.objects.get()
        assert job.status == "queued"
        assert locations == [f"/orgs/{slug}/exports/{job.pk}/"] * 8
