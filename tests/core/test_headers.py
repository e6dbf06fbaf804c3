"""Headers: every response says which browser features it may use; nothing a signed-in person
sees (pages and downloads alike) is kept by a shared cache or on the browser's disk."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from assessment.models import ExportJob
from assessment.selectors.exports import export_name
from core.middleware import PERMISSIONS_POLICY
from tests.reports.helpers import realistic_input, submitted_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(acme_team, alice, mlops_bank):
    return submitted_assessment(
        team=acme_team,
        bank=mlops_bank,
        by=alice,
        label="2026 Q4",
        given=realistic_input(mlops_bank.bank(), seed=5),
    )


@pytest.fixture
def export(acme_team, alice, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    job = ExportJob.objects.create(
        organization=acme_team.organization,
        requested_by=alice,
        status=ExportJob.Status.DONE,
        file_name="acme.zip",
    )
    default_storage.save(export_name(job), ContentFile(b"PK\x05\x06" + bytes(18)))  # empty ZIP
    return job


def test_signed_in_pages_and_every_download_are_private_and_not_stored(
    alice_client, submitted, export
):
    urls = [
        "/",
        "/orgs/acme/",
        f"/assessments/{submitted.pk}/result/",
        f"/assessments/{submitted.pk}/report/",
        f"/assessments/{submitted.pk}/report.pdf",
        f"/assessments/{submitted.pk}/export.csv",
        f"/assessments/{submitted.pk}/export.json",
        f"/orgs/acme/exports/{export.pk}/download/",
    ]
    for url in urls:
        response = alice_client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url
        assert response["Permissions-Policy"] == PERMISSIONS_POLICY, url


@pytest.mark.parametrize("url", ["/login/", "/healthz"])
def test_public_responses_carry_the_permissions_policy(client, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Permissions-Policy"] == PERMISSIONS_POLICY


def test_the_policy_switches_off_what_no_page_uses():
    assert "camera=()" in PERMISSIONS_POLICY
    assert "geolocation=()" in PERMISSIONS_POLICY
    assert "microphone=()" in PERMISSIONS_POLICY
