from __future__ import annotations

import pytest

from tests.core.test_settings import run_python

pytestmark = pytest.mark.django_db


def test_it_answers_ok_without_a_login(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Type"].startswith("text/plain")


def test_it_answers_503_when_the_database_is_unreachable(tmp_path):
    # A real unreachable database: an SQLite file in a folder that does not exist.
    code = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "response = Client().get('/healthz')\n"
        "print(response.status_code, response.content.decode())\n"
    )
    result = run_python(
        code,
        DEBUG="1",
        ALLOWED_HOSTS="testserver",
        DATABASE_URL=f"sqlite:///{tmp_path}/missing/db.sqlite3",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "503 database unavailable"


def test_health_is_answered_over_plain_http_while_pages_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    response = client.get("/login/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/login/"
