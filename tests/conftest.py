from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from core.models import Role, Team
from tests.factories import PASSWORD, MembershipFactory, TeamFactory, UserFactory

pytest_plugins = ["tests.mail"]

if TYPE_CHECKING:
    from pathlib import Path

    from django.contrib.auth.models import User
    from django.test import Client
    from pytest_django import Settings

    from assessment.models import Assessment, QuestionBank


@pytest.fixture(scope="session", autouse=True)
def _plain_http_and_static_files(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests talk plain HTTP and never run collectstatic; everything else stays as in production
    (DEBUG off, secure cookies, HSTS, CSP). Session-wide, so the live server starts with it.

    Passwords are hashed with a fast hasher: production's PBKDF2 spends ~0.4 s per user on
    purpose, which tests would pay for every user a factory makes. Logins work the same."""
    from django.test import override_settings

    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        # Rendered PDFs and exports go to a throw-away folder, never the project's media/.
        # Each xdist worker has its own (tmp_path_factory is per worker).
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        SECURE_SSL_REDIRECT=False,
        # The local disk as in production (not a bucket, even with STORAGE_BUCKET set);
        # tests/hosts/ switch to a bucket of their own.
        STORAGES={"default": {"BACKEND": "core.storage.AtomicFileSystemStorage"}}
        | {"staticfiles": static},
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """django-allauth counts sign-in attempts, sign-ups and resets in the cache: each test starts
    with none, as a new visitor would."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def media(settings: Settings, tmp_path: Path) -> Path:
    """This test's own MEDIA_ROOT, empty: what a test saved there is all it finds."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def alice(db: None) -> User:
    """Alice leads the Fraud team at Acme."""
    return UserFactory.create(username="alice")


@pytest.fixture
def acme_team(db: None, alice: User) -> Team:
    team = TeamFactory.create(
        name="Fraud detection", organization__name="Acme", organization__slug="acme"
    )
    MembershipFactory.create(user=alice, organization=team.organization, role=Role.OWNER)
    return team


@pytest.fixture
def bob(db: None) -> User:
    """Bob belongs to Globex only: he must never see Acme's data."""
    return UserFactory.create(username="bob")


@pytest.fixture
def globex_team(db: None, bob: User) -> Team:
    team = TeamFactory.create(
        name="Search ranking", organization__name="Globex", organization__slug="globex"
    )
    MembershipFactory.create(user=bob, organization=team.organization, role=Role.OWNER)
    return team


@pytest.fixture
def alice_client(client: Client, alice: User) -> Client:
    client.force_login(alice)
    return client


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture
def mlops_bank(db: None) -> QuestionBank:
    """The bundled bank's newest version (2.0), published through the service that
    `load_question_bank` (and so `make run`) uses. The files are parsed once per session; the
    command itself is tested on its own."""
    from assessment.models import QuestionBank
    from assessment.services.banks import question_banks_load
    from tests.bundled import bundled_bank_files

    question_banks_load(files=list(bundled_bank_files()))
    return QuestionBank.objects.get(slug="mlops-maturity", version="2.0")


@pytest.fixture
def mlops_bank_1(mlops_bank: QuestionBank) -> QuestionBank:
    """Version 1.0 of the bundled bank, still loaded beside 2.0 for the results scored on it."""
    from assessment.models import QuestionBank

    return QuestionBank.objects.get(slug="mlops-maturity", version="1.0")


@pytest.fixture
def draft(acme_team: Team, alice: User, mlops_bank: QuestionBank) -> Assessment:
    """Alice's draft assessment of the Fraud team, team composition filled in."""
    from assessment.services.assessments import assessment_set_composition, assessment_start

    assessment = assessment_start(
        team=acme_team, bank=mlops_bank, label="2026 Q4", targets={}, by=alice
    )
    composition = {role.code: "present" for role in mlops_bank.bank().roles}
    assessment_set_composition(assessment=assessment, composition=composition, by=alice)
    return assessment
