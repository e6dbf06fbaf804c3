"""Every page of the demo parses as HTML without a single error (html5lib in strict mode):
no unclosed or misnested element, no duplicate attribute, no stray end tag."""

from __future__ import annotations

import html5lib
import pytest
from django.contrib.auth.models import User
from django.test import Client

from assessment.services.demo import DEMO_USERNAME, demo_load
from tests.web.helpers import demo_paths

pytestmark = pytest.mark.django_db


def test_every_demo_page_is_well_formed_html(client: Client, mlops_bank) -> None:
    demo_load()
    client.force_login(User.objects.get(username=DEMO_USERNAME))
    parser = html5lib.HTMLParser(strict=True)
    problems = {}
    for path in demo_paths():
        response = client.get(path)
        assert response.status_code == 200, path
        try:
            parser.parse(response.content.decode())
        except html5lib.html5parser.ParseError as error:
            problems[path] = str(error)
    assert problems == {}
