"""The questionnaire's fields, written directly rather than through crispy's templates, keep
their accessible structure: labels, the radio group's legend, help text and errors tied to the
control, and the hidden copy of the value the page showed."""

from __future__ import annotations

from assessment.formats.records import AnswerRecord
from assessment.forms.questionnaire import PhaseAnswersForm
from assessment.forms.rendering import crispy_field_html as answer_field
from tests.scoring.tiny_bank import TINY_BANK

QUESTIONS = TINY_BANK.questions_in("design")
NA_QUESTION = next(q for q in TINY_BANK.questions if q.allow_na)


def test_the_radio_group_has_a_legend_and_the_shown_answer_in_a_hidden_copy():
    form = PhaseAnswersForm(questions=QUESTIONS, answers={"DES-0-01": AnswerRecord("0.5")})

    html = answer_field(form["DES-0-01-value"])

    assert '<fieldset><legend class="form-label fs-6">Your answer</legend>' in html
    assert (
        '<input type="radio" class="form-check-input" name="DES-0-01-value" value="0.5" '
        'id="id_DES-0-01-value_1" checked>'
    ) in html
    assert '<label for="id_DES-0-01-value_1" class="form-check-label">Done manually:' in html
    assert (
        '<input type="hidden" name="initial-DES-0-01-value" value="0.5" '
        'id="initial-id_DES-0-01-value">'
    ) in html


def test_a_text_field_is_labelled_and_described_by_its_help_text():
    form = PhaseAnswersForm(questions=QUESTIONS, answers={})

    html = answer_field(form["DES-0-01-evidence"])

    assert '<label for="id_DES-0-01-evidence" class="form-label">Evidence</label>' in html
    assert 'aria-describedby="id_DES-0-01-evidence_helptext"' in html
    assert '<div id="id_DES-0-01-evidence_helptext" class="form-text">A link' in html
    # No maxlength: the browser would cut a pasted text silently; a live counter shows the limit.
    assert "maxlength" not in html
    assert 'data-max-length="2000"' in html


def test_an_error_marks_the_field_invalid_and_is_tied_to_it():
    code = NA_QUESTION.code
    questions = TINY_BANK.questions_in(NA_QUESTION.phase)
    data = {f"{code}-value": "na", f"{code}-reason": ""}
    form = PhaseAnswersForm(data, questions=questions, answers={})
    assert not form.is_valid()

    html = answer_field(form[f"{code}-reason"])

    assert 'class="textinput form-control is-invalid"' in html
    assert f'aria-describedby="id_{code}-reason_error"' in html
    assert 'aria-invalid="true"' in html
    assert (
        f'<div id="id_{code}-reason_error" class="invalid-feedback">'
        f'<p id="error_1_id_{code}-reason">'
        "<strong>Say why this practice does not apply to your team.</strong></p></div>"
    ) in html


def test_text_is_escaped():
    form = PhaseAnswersForm(
        questions=QUESTIONS, answers={"DES-0-01": AnswerRecord("1", note="<b>bold</b> & co")}
    )

    html = answer_field(form["DES-0-01-note"])

    assert "&lt;b&gt;bold&lt;/b&gt; &amp; co</textarea>" in html
