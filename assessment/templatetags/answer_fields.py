"""The questionnaire's fields as HTML, written here rather than through crispy-forms' templates.

A phase page shows 18 questions with up to four fields each; rendering them through crispy's
nested templates and Django's widget templates took about 90 % of the page's time (bench/load.py).
This writes the same Bootstrap 5 markup directly, with the same accessible structure: a label
(a fieldset and legend for the radio group), `aria-describedby` to the help text and the error,
`aria-invalid` on a field with an error, and the hidden copy of the shown value that lets a save
tell what this person changed.
"""

from __future__ import annotations

from django import forms, template
from django.forms import BoundField
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _attrs(pairs: dict[str, object]) -> SafeString:
    """name="value" pairs, escaped; True renders the bare attribute, None and False none."""
    parts = []
    for name, value in pairs.items():
        if value is None or value is False:
            continue
        if value is True:
            parts.append(format_html(" {}", name))
        else:
            parts.append(format_html(' {}="{}"', name, value))
    return mark_safe("".join(parts))  # noqa: S308  (every part went through format_html)


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _errors(field: BoundField) -> SafeString:
    if not field.errors:
        return mark_safe("")
    items = format_html_join(
        "",
        '<p id="error_{}_{}"><strong>{}</strong></p>',
        ((number, field.auto_id, error) for number, error in enumerate(field.errors, start=1)),
    )
    return format_html('<div id="{}_error" class="invalid-feedback">{}</div>', field.auto_id, items)


def _help(field: BoundField) -> SafeString:
    if not field.help_text:
        return mark_safe("")
    return format_html(
        '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
    )


def _hidden_initial(field: BoundField) -> SafeString:
    """What Django's `show_hidden_initial` renders: the value the page showed, carried through
    a re-rendered page unchanged."""
    if not field.field.show_hidden_initial:
        return mark_safe("")
    name = field.html_initial_name
    value = field.form.data.get(name) if name in field.form.data else field.value()
    return format_html(
        "<input{}>",
        _attrs(
            {
                "type": "hidden",
                "name": name,
                "value": _text(value),
                "id": field.html_initial_id,
            }
        ),
    )


def _control_attrs(field: BoundField, css: str) -> dict[str, object]:
    return {
        "class": f"{css} is-invalid" if field.errors else css,
        "aria-describedby": field.aria_describedby or None,
        "aria-invalid": "true" if field.errors else None,
        "id": field.auto_id,
    }


def _radios(field: BoundField) -> SafeString:
    chosen = _text(field.value())
    choices = list(field.field.choices)  # type: ignore[attr-defined]
    options = []
    for index, (value, label) in enumerate(choices):
        option_id = f"{field.auto_id}_{index}"
        last = index == len(choices) - 1
        options.append(
            format_html(
                '<div class="form-check"><input{}><label for="{}" class="form-check-label">'
                "{}</label>{}</div>",
                _attrs(
                    {
                        "type": "radio",
                        "class": "form-check-input is-invalid"
                        if field.errors
                        else "form-check-input",
                        "name": field.html_name,
                        "value": value,
                        "aria-invalid": "true" if field.errors else None,
                        "id": option_id,
                        "checked": chosen is not None and str(value) == chosen,
                    }
                ),
                option_id,
                conditional_escape(label),
                _errors(field) if last else "",
            )
        )
    return format_html(
        '<div id="div_{}" class="mb-3"><fieldset{}><legend class="form-label fs-6">{}</legend>'
        "<div>{}</div></fieldset>{}</div>{}",
        field.auto_id,
        _attrs({"aria-describedby": f"{field.auto_id}_helptext" if field.help_text else None}),
        field.label,
        mark_safe("".join(options)),  # noqa: S308  (each option built by format_html)
        _help(field),
        _hidden_initial(field),
    )


def _labelled(field: BoundField, control: SafeString) -> SafeString:
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}{}</div>',
        field.auto_id,
        field.auto_id,
        field.label,
        control,
        _hidden_initial(field),
        _errors(field),
        _help(field),
    )


@register.simple_tag
def answer_field(field: BoundField) -> SafeString:
    """One field of the questionnaire: radio buttons, a line of text or a text area."""
    widget = field.field.widget
    max_length = getattr(field.field, "max_length", None)
    if isinstance(widget, forms.RadioSelect):
        return _radios(field)
    if isinstance(widget, forms.Textarea):
        attrs = {
            "name": field.html_name,
            "cols": widget.attrs.get("cols", 40),
            "rows": widget.attrs.get("rows", 10),
            "maxlength": max_length,
            **_control_attrs(field, "textarea form-control"),
        }
        control = format_html(
            "<textarea{}>\n{}</textarea>", _attrs(attrs), _text(field.value()) or ""
        )
        return _labelled(field, control)
    if isinstance(widget, forms.TextInput):
        attrs = {
            "type": "text",
            "name": field.html_name,
            "value": _text(field.value()),
            "maxlength": max_length,
            **_control_attrs(field, "textinput form-control"),
        }
        return _labelled(field, format_html("<input{}>", _attrs(attrs)))
    raise TypeError(f"answer_field does not render {type(widget).__name__}")
