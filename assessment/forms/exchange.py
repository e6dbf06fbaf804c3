"""Importing an assessment file into a team."""

from __future__ import annotations

from django import forms


class ImportForm(forms.Form):
    file = forms.FileField(
        label="Assessment file",
        help_text="A .json file exported from this tool, or an answers file (.yaml or .json).",
    )
    label = forms.CharField(
        max_length=100,
        required=False,
        help_text="Leave empty to keep the label stored in an exported file.",
    )
