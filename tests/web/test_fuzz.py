"""Hostile input on every page: malformed and hostile values in every form field and query
parameter (NUL bytes, invalid UTF-8, lone surrogates as a browser would encode them, very long
texts, formulas, markup). Nothing answers 500, and a refused write leaves nothing behind.

The values go over the wire as raw percent-encoded bytes, as a browser or a script sends them:
the test client would refuse to encode a lone surrogate itself.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.web.test_object_access import object_routes, snapshot, url_for, world

__all__ = ["world"]  # the fixture, shared with the access tests

pytestmark = pytest.mark.django_db

# Raw, already percent-encoded pieces that break naive decoders and databases.
HOSTILE = [
    "%00",  # NUL: PostgreSQL text refuses it
    "a%00b",
    "%ED%A0%80",  # a lone surrogate (U+D800) encoded as UTF-8
    "%FF%FE",  # not UTF-8 at all
    "%C0%AF",  # an overlong encoding
    quote("\ufeff=cmd|' /C calc'!A0"),
    quote("<script>alert(1)</script>"),
    quote("../../etc/passwd"),
    quote("x" * 5000),
    quote("-1"),
    quote("99999999999999999999"),
    quote(" "),
    "",
]
# Query parameters the pages read, and form fields they take, besides those found on the page.
PARAMETERS = ["q", "sort", "drafts", "slug", "before", "after", "page"]
FIELDS = [
    "reason",
    "naming",
    "remove",
    "role",
    "identifier",
    "user",
    "phases",
    "label",
    "bank",
    "copy_previous",
    "continue",
]
NAME = re.compile(r'name="([^"]+)"')

pieces = st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20).map(quote)), max_size=3)
values = pieces.map("".join)


def encoded(pairs: list[tuple[str, str]]) -> str:
    return "&".join(f"{quote(name)}={value}" for name, value in pairs)


def field_names(client: Client, path: str) -> list[str]:
    """The form fields the page itself shows, plus the usual suspects."""
    page = client.get(path)
    html = page.status_code == 200 and page["Content-Type"].startswith("text/html")
    shown = NAME.findall(page.content.decode()) if html else []
    return sorted({*shown, *FIELDS} - {"csrfmiddlewaretoken"})


ROUTES = object_routes()
# Pages without an object in their URL.
PLAIN_PATHS = ["/", "/orgs/", "/login/", "/healthz"]
PLAIN_FIELDS = ["username", "password", "slug", "q"]


@pytest.mark.parametrize("submitted", [False, True], ids=["draft", "submitted"])
@pytest.mark.parametrize(("route", "pattern"), ROUTES, ids=[p.name for _, p in ROUTES])
def test_no_hostile_value_gives_a_500_or_a_partial_write(
    alice_client, world, route, pattern, submitted
):
    path = url_for(route, world, submitted=submitted)
    names = field_names(alice_client, path)

    @settings(
        max_examples=12,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        query=st.lists(st.tuples(st.sampled_from(PARAMETERS), values), max_size=3),
        form=st.lists(st.tuples(st.sampled_from(names), values), min_size=1, max_size=6),
    )
    # Always tried, whatever hypothesis draws: every name at once with each worst value.
    @example(query=[(n, "%00") for n in PARAMETERS], form=[(n, "a%00b") for n in names])
    @example(query=[(n, "%ED%A0%80") for n in PARAMETERS], form=[(n, "%ED%A0%80") for n in names])
    def check(query: list[tuple[str, str]], form: list[tuple[str, str]]) -> None:
        separator = "&" if "?" in path else "?"
        get = alice_client.get(path + separator + encoded(query))
        assert get.status_code < 500, f"GET {path}?{encoded(query)}"

        before = snapshot()
        post = alice_client.post(
            path, encoded(form), content_type="application/x-www-form-urlencoded"
        )
        assert post.status_code < 500, f"POST {path} {encoded(form)}"
        if post.status_code != 302:  # refused or shown again with errors: nothing written
            assert snapshot() == before, f"POST {path} {encoded(form)} wrote despite refusing"

    check()


@pytest.mark.parametrize("path", PLAIN_PATHS)
def test_no_hostile_value_gives_a_500_on_pages_without_objects(alice_client, world, path):
    @settings(
        max_examples=12,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(
        query=st.lists(st.tuples(st.sampled_from(PARAMETERS), values), max_size=3),
        form=st.lists(st.tuples(st.sampled_from(PLAIN_FIELDS), values), max_size=4),
    )
    @example(query=[(n, "%00") for n in PARAMETERS], form=[(n, "a%00b") for n in PLAIN_FIELDS])
    @example(
        query=[(n, "%ED%A0%80") for n in PARAMETERS],
        form=[(n, "%ED%A0%80") for n in PLAIN_FIELDS],
    )
    def check(query: list[tuple[str, str]], form: list[tuple[str, str]]) -> None:
        get = alice_client.get(f"{path}?{encoded(query)}")
        assert get.status_code < 500, f"GET {path}?{encoded(query)}"
        post = alice_client.post(
            path, encoded(form), content_type="application/x-www-form-urlencoded"
        )
        assert post.status_code < 500, f"POST {path} {encoded(form)}"

    check()
