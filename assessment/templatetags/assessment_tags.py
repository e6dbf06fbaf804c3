from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString, mark_safe

from assessment.forms.questionnaire import ANSWER_FIELD
from assessment.forms.rendering import crispy_field_html, esc
from assessment.selectors.consensus import RespondentAnswer

register = template.Library()


@register.filter
def question_code(field_name: str) -> str:
    """ "DES-1-06-reason" -> "DES-1-06"; "" for fields that belong to no question."""
    match = ANSWER_FIELD.match(field_name)
    return match["code"] if match else ""


@register.filter
def as_fast_crispy_field(field: BoundField) -> SafeString:
    """`as_crispy_field` without its templates, for pages with a hundred fields or more."""
    return crispy_field_html(field)


@register.filter
def answer_cells(answers: list[tuple[RespondentAnswer, str]]) -> SafeString:
    """One `<td>` per respondent on the consensus page: the answer in words, then any note.
    Built here rather than in a template loop: a thousand cells on a 20-person team."""
    labels: dict[str, str] = {}  # a handful of distinct words, escaped once
    cells = []
    for answer, label in answers:
        if label not in labels:
            labels[label] = esc(label)
        note = (
            f'<br><span class="small text-body-secondary">“{esc(answer.note)}”</span>'
            if answer.note
            else ""
        )
        cells.append(f"<td>{labels[label]}{note}</td>")
    return mark_safe("".join(cells))  # noqa: S308 - the label and note are escaped
