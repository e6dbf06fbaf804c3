"""One label per assessment of a team: the start page offers a free one, and a repeat is refused
in words, on the start page and on import."""

from __future__ import annotations

import importlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.timezone import now

from assessment.models import Assessment

pytestmark = pytest.mark.django_db


def this_quarter() -> str:
    today = now().date()
    return f"{today.year} Q{(today.month - 1) // 3 + 1}"


def test_the_start_page_offers_a_label_the_team_has_not_used(alice_client, draft):
    draft.label = this_quarter()
    draft.save()

    page = alice_client.get(f"/teams/{draft.team.pk}/assessments/new/")

    assert page.context["form"].initial["label"] == f"{this_quarter()} (2)"


def test_a_label_the_team_has_is_refused_with_a_free_one_suggested(alice_client, draft, mlops_bank):
    response = alice_client.post(
        f"/teams/{draft.team.pk}/assessments/new/",
        {"bank": mlops_bank.pk, "label": " 2026  q4 "},  # the same once spaces and case go
    )

    assert response.status_code == 200
    assert response.context["form"].errors["label"] == [
        "This team already has an assessment called \u201c2026 q4\u201d: choose another label, "
        "e.g. \u201c2026 q4 (2)\u201d."
    ]
    assert Assessment.objects.count() == 1


def test_an_import_under_a_label_the_team_has_is_refused(alice_client, draft):
    content = b"bank: mlops-maturity@2.0\nanswers: {DES-0-01: 1}\n"
    response = alice_client.post(
        f"/teams/{draft.team.pk}/assessments/import/",
        {"file": SimpleUploadedFile("a.yaml", content), "label": "2026 Q4"},
    )

    assert response.status_code == 200
    assert "already has an assessment called" in response.context["form"].errors["label"][0]
    assert Assessment.objects.count() == 1


def test_the_migration_numbers_labels_repeated_before_the_rule():
    migration = importlib.import_module("assessment.migrations.0011_one_label_per_team")
    rows = [
        (1, 7, "2026 Q4"),
        (2, 7, "2026 q4"),  # the same label for the constraint: case is ignored
        (3, 8, "2026 Q4"),  # another team: fine
        (4, 7, "2026 Q4 (2)"),  # taken already, so the repeat above must skip it
        (5, 7, "2026  Q4"),
    ]
    assert migration.repeated_labels(rows) == {2: "2026 q4 (3)", 5: "2026  Q4 (4)"}
    # Spaces repeated, and labels at the 100-character limit: every new label is free and fits.
    long = "L" * 100
    rows = [(1, 7, "2026  Q4"), (2, 7, "2026  Q4"), (3, 7, "2026  Q4"), (4, 7, long), (5, 7, long)]
    renamed = migration.repeated_labels(rows)
    assert renamed[2] == "2026  Q4 (2)"
    assert renamed[3] == "2026  Q4 (3)"
    assert renamed[5] == "L" * 96 + " (2)"
    final = [(team, renamed.get(pk, label).lower()) for pk, team, label in rows]
    assert len(set(final)) == len(final)
