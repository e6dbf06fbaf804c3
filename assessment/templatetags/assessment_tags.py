from __future__ import annotations

from django import template

from assessment.forms.questionnaire import ANSWER_FIELD

register = template.Library()


@register.filter
def question_code(field_name: str) -> str:
    """ "DES-1-06-reason" -> "DES-1-06"; "" for fields that belong to no question."""
    match = ANSWER_FIELD.match(field_name)
    return match["code"] if match else ""
