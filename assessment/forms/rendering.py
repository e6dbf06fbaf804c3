"""A fast path for `{{ field|as_crispy_field }}` on pages with many fields.

crispy-forms renders each field through three nested templates (its wrapper, Django's widget, the
widget's attributes), which costs about a millisecond a field: most of the phase and consensus
pages' time. `crispy_field_html` builds the same HTML in Python: selects and text inputs from the
same sources (Django's own widget context and `BoundField.build_widget_attrs`, crispy's classes,
label, errors and help text), radio groups and text areas directly, with the same structure
(legend, labels, `aria-invalid`, `aria-describedby` to help and error, the hidden copy of the
shown value). `tests/consensus/test_rendering.py` compares it with crispy; a widget it does not
know goes through crispy unchanged.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Mapping
from typing import Any, cast

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms
from django.conf import settings
from django.utils.safestring import SafeData, SafeString, mark_safe


def esc(value: object) -> str:
    """Django's `conditional_escape` (the same `html.escape`) without its lazy-string wrapper,
    which cost more than the escaping on a page of a thousand values."""
    return str(value) if isinstance(value, SafeData) else html.escape(str(value))


_INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html" for name in ("text", "hidden", "number", "input")
}


def _attrs(attrs: Mapping[str, object]) -> str:
    """Django's `django/forms/widgets/attrs.html`: False drops an attribute, True leaves it bare.
    None drops it too, for the attributes built here that a field may not have."""
    return "".join(
        f" {name}" if value is True else f' {name}="{esc(value)}"'
        for name, value in attrs.items()
        if value is not False and value is not None
    )


def _widget(context: dict[str, Any]) -> str | None:
    """Django's `input.html` or `select.html` (with `select_option.html`) from the same context,
    or None for what only the templates render (a `<select>` with an `<optgroup>`)."""
    widget = context["widget"]
    if widget["template_name"] == "django/forms/widgets/select.html":
        options: list[str] = []
        for group_name, group_choices, _ in widget["optgroups"]:
            if group_name:
                return None
            options.extend(
                f'<option value="{esc(option["value"])}"{_attrs(option["attrs"])}>'
                f"{esc(option['label'])}</option>"
                for option in group_choices
            )
        return (
            f'<select name="{esc(widget["name"])}"{_attrs(widget["attrs"])}>'
            + "".join(options)
            + "</select>"
        )
    if widget["template_name"] not in _INPUT_TEMPLATES:
        return None
    value = widget["value"]
    return (
        f'<input type="{esc(widget["type"])}" name="{esc(widget["name"])}"'
        + ("" if value is None else f' value="{esc(value)}"')
        + f"{_attrs(widget['attrs'])}>"
    )


def _as_widget(field: forms.BoundField, widget: forms.Widget, *, only_initial: bool = False) -> str:
    """`forms.BoundField.as_widget` without the template engine."""
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.html_initial_id if only_initial else field.auto_id)
    form = field.form
    if only_initial and field.html_initial_name in form.data:
        # Propagate the hidden initial value, as forms.BoundField.as_widget does.
        value = field.field.hidden_widget().value_from_datadict(
            form.data, form.files, field.html_initial_name
        )
    else:
        value = field.value()
    name = field.html_initial_name if only_initial else field.html_name
    html = _widget(widget.get_context(name, value, attrs))
    if html is None:
        return widget.render(name, value, attrs, form.renderer)
    return html


def _known(widget: forms.Widget) -> bool:
    return type(widget) in (forms.Select, forms.TextInput, forms.HiddenInput, forms.NumberInput)


def crispy_field_html(field: forms.BoundField) -> SafeString:
    """What `{{ field|as_crispy_field }}` renders with the bootstrap5 pack, give or take
    whitespace between tags."""
    widget = field.field.widget
    if type(widget) is forms.RadioSelect and field.auto_id and not field.field.required:
        return _radios(field)
    if type(widget) is forms.Textarea and field.auto_id and not field.field.required:
        return _textarea(field)
    if (
        not _known(widget)
        or field.field.localize
        or field.is_hidden
        or field.use_fieldset
        or not field.auto_id
    ):
        return cast(SafeString, as_crispy_field(field))
    # crispy's `{% crispy_field %}`: the widget's class, then bootstrap's, then is-invalid.
    class_name = type(widget).__name__.lower()
    class_name = getattr(settings, "CRISPY_CLASS_CONVERTERS", {}).get(class_name, class_name)
    css = widget.attrs.get("class", "")
    if not css:
        css = class_name
    elif css.find(class_name) == -1:
        css += f" {class_name}"
    wanted = "form-select" if isinstance(widget, forms.Select) else "form-control"
    for token in [wanted, *(["is-invalid"] if field.errors else [])]:
        if token not in css.split():
            css += f" {token}"
    styled = copy.copy(widget)
    styled.attrs = {**widget.attrs, "class": css}

    required = field.field.required
    css_classes = field.css_classes()
    parts = [
        f'<div id="div_{esc(field.auto_id)}" class="mb-3'
        + (f" {esc(css_classes)}" if css_classes else "")
        + '">'
    ]
    if field.label:
        parts.append(
            "<label"
            + (f' for="{esc(field.id_for_label)}"' if field.id_for_label else "")
            + f' class="form-label{" requiredField" if required else ""}">'
            + esc(field.label)
            + ('<span class="asteriskField">*</span>' if required else "")
            + "</label>"
        )
    parts.append(_as_widget(field, styled))
    parts += [_hidden_initial(field), _errors(field), _help(field), "</div>"]
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


# --- pieces every field has ---------------------------------------------------------------


def _text(value: object) -> str | None:
    return None if value is None or value == "" else str(value)


def _errors(field: forms.BoundField) -> str:
    """crispy's error block: an `invalid-feedback` the control's `aria-describedby` names."""
    if not field.errors:
        return ""
    field_id = str(getattr(field.errors, "field_id", None))  # as `{{ errors.field_id }}`
    items = "".join(
        f'<p id="error_{number}_{esc(field.auto_id)}"><strong>{esc(error)}</strong></p>'
        for number, error in enumerate(field.errors, start=1)
    )
    return f'<div id="{esc(field_id)}_error" class="invalid-feedback">{items}</div>'


def _help(field: forms.BoundField) -> str:
    """crispy's help text (`{{ field.help_text|safe }}`: the form's own words)."""
    if not field.help_text:
        return ""
    return f'<div id="{esc(field.auto_id)}_helptext" class="form-text">{field.help_text}</div>'


def _hidden_initial(field: forms.BoundField) -> str:
    """What Django's `show_hidden_initial` renders: the value the page showed, carried through
    a re-rendered page unchanged. (crispy's radio template leaves it out; without it every
    answered question would count as changed, and a save would undo a colleague's answers.)"""
    if not field.field.show_hidden_initial:
        return ""
    return _as_widget(field, field.field.hidden_widget(), only_initial=True)


# --- radio groups and text areas (the questionnaire's answers and notes) ----------------------
# Plain strings and `esc`, not format_html: its lazy-string wrapper cost more than the rest of
# the page on a phase of 18 questions.


def _control_attrs(field: forms.BoundField, css: str) -> dict[str, object]:
    return {
        "class": f"{css} is-invalid" if field.errors else css,
        "aria-describedby": field.aria_describedby or None,
        "aria-invalid": "true" if field.errors else None,
        "id": field.auto_id,
    }


def _radios(field: forms.BoundField) -> SafeString:
    chosen = _text(field.value())
    choices = list(field.field.choices)  # type: ignore[attr-defined]
    invalid = bool(field.errors)
    options = []
    for index, (value, label) in enumerate(choices):
        option_id = f"{field.auto_id}_{index}"
        attrs = {
            "type": "radio",
            "class": "form-check-input is-invalid" if invalid else "form-check-input",
            "name": field.html_name,
            "value": value,
            "aria-invalid": "true" if invalid else None,
            "id": option_id,
            "checked": chosen is not None and str(value) == chosen,
        }
        last = index == len(choices) - 1
        options.append(
            f'<div class="form-check"><input{_attrs(attrs)}>'
            f'<label for="{esc(option_id)}" class="form-check-label">{esc(label)}</label>'
            f"{_errors(field) if last else ''}</div>"
        )
    described = {"aria-describedby": f"{field.auto_id}_helptext" if field.help_text else None}
    return mark_safe(  # noqa: S308 - every value is escaped by esc() or _attrs()
        f'<div id="div_{esc(field.auto_id)}" class="mb-3"><fieldset{_attrs(described)}>'
        f'<legend class="form-label fs-6">{esc(field.label)}</legend>'
        f"<div>{''.join(options)}</div></fieldset>{_help(field)}</div>{_hidden_initial(field)}"
    )


def _textarea(field: forms.BoundField) -> SafeString:
    widget = field.field.widget
    attrs = {
        "name": field.html_name,
        "cols": widget.attrs.get("cols", 40),
        "rows": widget.attrs.get("rows", 10),
        # What the widget asks for: counted fields leave the limit to a live counter and a
        # plain error, since a browser's maxlength cuts a pasted text silently.
        "maxlength": widget.attrs.get("maxlength"),
        "data-max-length": widget.attrs.get("data-max-length"),
        **_control_attrs(field, "textarea form-control"),
    }
    auto_id = esc(field.auto_id)
    return mark_safe(  # noqa: S308 - every value is escaped by esc() or _attrs()
        f'<div id="div_{auto_id}" class="mb-3">'
        f'<label for="{auto_id}" class="form-label">{esc(field.label)}</label>'
        f"<textarea{_attrs(attrs)}>\n{esc(_text(field.value()) or '')}</textarea>"
        f"{_hidden_initial(field)}{_errors(field)}{_help(field)}</div>"
    )
