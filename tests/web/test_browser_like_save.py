"""A save posts what the page rendered, as a browser does: every hidden "initial-" copy the page
holds. Two people saving the same phase then each keep what the other changed meanwhile."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from assessment.models import Answer
from assessment.services.answers import AnswerData, answers_save

pytestmark = pytest.mark.django_db


class FormFields(HTMLParser):
    """The name/value pairs a browser would submit from the page as rendered (no changes)."""

    def __init__(self) -> None:
        super().__init__()
        self.pairs: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag != "input" or "name" not in a:
            return
        if a.get("type") == "radio" and "checked" not in a:
            return
        self.pairs[a["name"]] = a.get("value", "")


def rendered_form(client, url: str) -> dict[str, str]:
    parser = FormFields()
    parser.feed(client.get(url).content.decode())
    return parser.pairs


def test_the_page_renders_a_hidden_copy_of_each_shown_answer(alice_client, draft, alice):
    lead = draft.respondents.get(is_lead=True)
    answers_save(
        assessment=draft, respondent=lead, changes={"DES-0-01": AnswerData("0.5")}, by=alice
    )

    fields = rendered_form(alice_client, f"/assessments/{draft.pk}/phases/design/")

    assert fields["initial-DES-0-01-value"] == "0.5"
    assert fields["initial-DES-0-02-value"] == ""


def test_a_save_keeps_what_someone_else_changed_since_the_page_was_shown(
    alice_client, draft, alice
):
    lead = draft.respondents.get(is_lead=True)
    answers_save(
        assessment=draft,
        respondent=lead,
        changes={"DES-0-01": AnswerData("0"), "DES-0-02": AnswerData("0")},
        by=alice,
    )
    url = f"/assessments/{draft.pk}/phases/design/"
    form = rendered_form(alice_client, url)  # Alice opens the page...
    # ...a colleague sets DES-0-01 to automated meanwhile...
    answers_save(assessment=draft, respondent=lead, changes={"DES-0-01": AnswerData("1")}, by=alice)
    # ...and Alice changes only DES-0-02, then saves.
    form["DES-0-02-value"] = "0.5"
    response = alice_client.post(url, form)

    assert response.status_code == 302
    values = dict(Answer.objects.filter(respondent=lead).values_list("question_code", "value"))
    assert (values["DES-0-01"], values["DES-0-02"]) == ("1", "0.5")
