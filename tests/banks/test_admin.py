from __future__ import annotations

import pytest

from tests.banks.sample import valid_bank_data, write_bank
from tests.banks.test_load_command import load
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_admin_shows_banks_read_only(client, tmp_path):
    load(write_bank(tmp_path, valid_bank_data()))
    client.force_login(UserFactory.create(username="root", is_staff=True, is_superuser=True))
    changelist = client.get("/admin/assessment/questionbank/")
    assert changelist.status_code == 200
    assert "Sample bank" in changelist.content.decode()
    assert client.get("/admin/assessment/questionbank/add/").status_code == 403
    bank_id = changelist.context["cl"].result_list[0].pk
    detail = client.get(f"/admin/assessment/questionbank/{bank_id}/change/")
    assert detail.status_code == 200  # a view, not a form
    assert 'name="title"' not in detail.content.decode()
    assert client.post(f"/admin/assessment/questionbank/{bank_id}/delete/").status_code == 403
