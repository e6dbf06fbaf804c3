"""Every page needs a login, and users see only their own organisations' data."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

# The only pages an anonymous visitor may reach.
# Public: signing in, health, and the read-only report links, which open with their token alone
# (tests/web/test_shares.py covers their expiry, revocation and logging).
PUBLIC_URL_NAMES = {"login", "healthz", "shared_report", "shared_report_pdf"}
# Readiness is public like health; the metrics refuse anyone but operators themselves, with a 404
# (tests/ops/test_metrics.py).
PUBLIC_URL_NAMES |= {"readyz", "metrics"}
# An invitation's link opens with its token alone (tests/web/test_invitations.py).
PUBLIC_URL_NAMES |= {"invitation"}
# django-allauth's pages that come before an account or a session: signing in (with a code or a
# second factor), signing up, confirming an address, resetting a password, single sign-on.
PUBLIC_URL_NAMES |= {
    "account_login",
    "account_signup",
    "account_confirm_email",
    "account_confirm_login_code",
    "account_email_verification_sent",
    "account_inactive",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key",
    "account_reset_password_from_key_done",
    "mfa_authenticate",
    "openid_connect_login",
    "openid_connect_callback",
    "socialaccount_login_cancelled",
    "socialaccount_signup",
}


def all_url_patterns(
    resolver: URLResolver | None = None, prefix: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    """Yield (route, pattern) for every URL the project serves, so new views are covered."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from all_url_patterns(pattern, route)
        elif isinstance(pattern, URLPattern):
            yield route, pattern


def example_path(route: str) -> str:
    """Fill path converters and regex groups with plausible values."""
    path = re.sub(r"<int:\w+>", "1", route)
    path = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000001", path)
    path = re.sub(r"<(?:str|slug|path)?:?\w+>", "x", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)  # admin's regex routes
    path = path.lstrip("^").rstrip("$").replace("\\", "")
    return "/" + path


def own_routes() -> list[tuple[str, URLPattern]]:
    return [
        (route, pattern)
        for route, pattern in all_url_patterns()
        if not route.startswith(("admin/", "api/v1/", "api/schema/"))
        and pattern.name not in PUBLIC_URL_NAMES
    ]


def api_routes() -> list[tuple[str, URLPattern]]:
    return [
        (route, pattern)
        for route, pattern in all_url_patterns()
        if route.startswith(("api/v1/", "api/schema/"))
    ]


def test_the_enumeration_finds_our_views():
    names = {pattern.name for _, pattern in own_routes()}
    assert {"home", "organization_detail", "team_detail", "logout"} <= names


@pytest.mark.parametrize(("route", "pattern"), own_routes(), ids=lambda v: str(v))
def test_every_page_requires_a_login(client, route, pattern):
    for method in (client.get, client.post):
        response = method(example_path(route))
        assert response.status_code == 302, f"{route} answered {response.status_code}"
        assert response["Location"].startswith("/login/"), route


@pytest.mark.parametrize(("route", "pattern"), api_routes(), ids=lambda v: str(v))
def test_every_api_endpoint_answers_401_without_a_token(client, route, pattern):
    """Scripts get a problem they can read, not a sign-in page (tests/api cover the rest)."""
    for method in (client.get, client.post):
        response = method(example_path(route))
        assert response.status_code == 401, f"{route} answered {response.status_code}"
        assert response["Content-Type"] == "application/problem+json", route


def test_the_admin_requires_a_staff_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_home_page_lists_the_users_organisations_and_teams(alice_client, acme_team):
    response = alice_client.get("/")
    assert response.status_code == 200
    assert response.context["memberships"][0].organization == acme_team.organization
    body = response.content.decode()
    assert "Acme" in body
    assert f'href="/teams/{acme_team.pk}/"' in body


def test_the_home_page_tells_a_newcomer_what_to_do(client, alice):
    client.force_login(alice)
    body = client.get("/").content.decode()
    assert "You do not belong to any organisation yet." in body
    assert "ask one of its owners to invite you" in body
    assert 'href="/orgs/new/">Create an organisation</a>' in body


def test_a_member_of_acme_gets_404_for_globex_team(alice_client, acme_team, globex_team):
    assert alice_client.get(f"/teams/{acme_team.pk}/").status_code == 200
    assert alice_client.get(f"/teams/{globex_team.pk}/").status_code == 404


def test_a_member_of_acme_gets_404_for_globex_organisation(alice_client, acme_team, globex_team):
    assert alice_client.get("/orgs/acme/").status_code == 200
    assert alice_client.get("/orgs/globex/").status_code == 404


def test_the_home_page_never_shows_another_organisation(alice_client, acme_team, globex_team):
    body = alice_client.get("/").content.decode()
    assert "Globex" not in body
    assert "Search ranking" not in body


def test_every_model_has_an_admin_page(client):
    from django.apps import apps
    from django.contrib import admin

    from tests.factories import UserFactory

    ours = [
        model for app in ("core", "assessment") for model in apps.get_app_config(app).get_models()
    ]
    assert [m.__name__ for m in ours if not admin.site.is_registered(m)] == []
    client.force_login(UserFactory.create(username="root", is_staff=True, is_superuser=True))
    for model in ours:
        meta = model._meta
        url = f"/admin/{meta.app_label}/{meta.model_name}/"
        assert client.get(url).status_code == 200, url
