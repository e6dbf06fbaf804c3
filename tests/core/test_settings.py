"""Settings come from the environment and refuse what would be unsafe or unusable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.checks import DEVELOPMENT_KEY_IN_PRODUCTION
from core.env import database_from_url, env_bool, env_int

ROOT = Path(__file__).resolve().parents[2]


def run_python(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run code in a fresh interpreter, so settings are read from exactly this environment."""
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "core.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_it_reads_booleans_strictly(monkeypatch):
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG", default=False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", default=True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be one of 1/0"):
        env_bool("FLAG", default=False)


def test_it_rejects_a_non_number(monkeypatch):
    monkeypatch.setenv("COUNT", "five")
    with pytest.raises(ImproperlyConfigured, match="COUNT must be a whole number; got 'five'"):
        env_int("COUNT", default=1)


def test_it_parses_a_postgres_url_with_health_checks():
    config = database_from_url("postgres://app:secret@db.internal:5433/maturity")
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert (config["USER"], config["PASSWORD"]) == ("app", "secret")
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db.internal", 5433, "maturity")
    assert config["CONN_HEALTH_CHECKS"] is True
    assert config["CONN_MAX_AGE"] == 60


def test_it_parses_a_sqlite_url():
    config = database_from_url("sqlite:////tmp/maturity.sqlite3")
    assert config["ENGINE"] == "django.db.backends.sqlite3"
    assert config["NAME"] == "/tmp/maturity.sqlite3"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mongodb://localhost/x", "DATABASE_URL 'mongodb' is not a database URL we understand"),
        ("not a url", "DATABASE_URL 'not a url' is not a database URL we understand"),
        ("mysql://root@localhost/x", "DATABASE_URL uses an unsupported database"),
        ("postgres://localhost", "DATABASE_URL names no database"),
    ],
)
def test_it_explains_a_bad_database_url(url, message):
    with pytest.raises(ImproperlyConfigured) as error:
        database_from_url(url)
    assert str(error.value).startswith(message)


def test_a_bad_database_url_stops_start_up_with_one_clear_line():
    result = run_python(
        "import django; django.setup()", DEBUG="1", DATABASE_URL="mongodb://localhost/x"
    )
    assert result.returncode != 0
    assert "DATABASE_URL 'mongodb' is not a database URL we understand" in result.stderr


def test_it_refuses_to_serve_without_a_production_secret_key():
    result = run_python("import core.wsgi", DEBUG="0")
    assert result.returncode != 0
    assert DEVELOPMENT_KEY_IN_PRODUCTION in result.stderr


def test_management_commands_refuse_the_development_key_when_debug_is_off():
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k not in {"SECRET_KEY"}} | {"DEBUG": "0"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert "core.E001" in result.stderr


def test_check_deploy_is_clean_with_the_documented_production_variables(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DATABASE_URL"}
        }
        | {
            "DEBUG": "0",
            "SECRET_KEY": "x7" * 30 + "-production-key-for-the-test",
            "ALLOWED_HOSTS": "example.com",
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
