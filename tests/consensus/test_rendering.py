"""The consensus page's fast field rendering is crispy's HTML, field for field, in every state."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.test.html import parse_html

from assessment.forms.consensus import ConsensusForm
from assessment.forms.rendering import crispy_field_html
from assessment.models import FinalAnswer, QuestionBank
from assessment.selectors.consensus import ConsensusRow
from assessment.templatetags.assessment_tags import answer_cells


def assert_same_html(make_form: Callable[[], forms.Form]) -> None:
    # Two forms: crispy writes its classes into the widgets it renders.
    fast, crispy = make_form(), make_form()
    for name in fast.fields:
        expected = parse_html(str(as_crispy_field(crispy[name])))
        assert parse_html(str(crispy_field_html(fast[name]))) == expected, name


def rows(bank: QuestionBank) -> list[ConsensusRow]:
    questions = bank.bank().questions
    with_na = next(q for q in questions if q.allow_na)
    settled = FinalAnswer(question_code=questions[1].code, value="0.5", note='"<so>" & so')
    return [
        ConsensusRow(with_na, (), None, False, None, "1"),
        ConsensusRow(questions[1], (), 0.5, True, settled, "0"),
        ConsensusRow(questions[2], (), None, False, None, ""),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        None,  # first shown: the hidden initial inputs carry the starting values
        {},  # posted empty: every field blank
        "not applicable without a reason",  # errors: is-invalid, aria-invalid, aria-describedby
    ],
)
def test_consensus_fields_render_as_crispy_renders_them(mlops_bank, data):
    table = rows(mlops_bank)
    with_errors = data == "not applicable without a reason"
    if with_errors:
        code = table[0].question.code
        data = {f"{code}-final": "na", f"initial-{code}-final": "1", f"{code}-why": " "}

    def make() -> forms.Form:
        form = ConsensusForm(data, rows=table)
        if data is not None:
            form.is_valid()
        return form

    assert_same_html(make)
    assert bool(make().errors) is with_errors


class Everything(forms.Form):
    name = forms.CharField(help_text="Your <b>name</b>.", widget=forms.TextInput({"class": "x"}))
    count = forms.IntegerField(required=False, initial=3, show_hidden_initial=True)
    kind = forms.ChoiceField(choices=[("Group", [("a", "A & a")]), ("b", "B")], required=False)
    flavour = forms.ChoiceField(choices=[("'", "<quote>")], label="Flavour & co")
    agree = forms.BooleanField(required=False)  # crispy's own path


@pytest.mark.parametrize(
    "data", [None, {}, {"name": '"><script>', "count": "x", "kind": "zz", "initial-count": "4"}]
)
def test_any_field_renders_as_crispy_renders_it(data: dict[str, Any] | None) -> None:
    def make() -> forms.Form:
        form = Everything(data)
        if data is not None:
            form.is_valid()
        return form

    assert_same_html(make)


def test_answer_cells_escape_words_and_notes() -> None:
    class Answer:
        note = '<i>"x"</i>'

    class Blank:
        note = ""

    html = answer_cells([(Answer(), "A & B"), (Blank(), "—")])  # type: ignore[list-item]
    assert html == (
        '<td>A &amp; B<br><span class="small text-body-secondary">'
        "“&lt;i&gt;&quot;x&quot;&lt;/i&gt;”</span></td><td>—</td>"
    )
