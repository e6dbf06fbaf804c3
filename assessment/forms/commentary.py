"""The consultant's words on a report: the executive paragraph and one note per section."""

from __future__ import annotations

from typing import Any

from django import forms

from assessment.forms.questionnaire import counted_text
from assessment.reports.report import Section
from assessment.reports.sections.commentary import (
    EXECUTIVE_MAX_BREAKS,
    EXECUTIVE_MAX_LENGTH,
    SECTION_NOTE_MAX_LENGTH,
)

NOTE_PREFIX = "note_"


class CommentaryForm(forms.Form):
    # The figures the writer was reading: words about a result since replaced are not saved.
    result_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args: Any, sections: tuple[Section, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["executive"] = counted_text(
            label="Executive paragraph",
            max_length=EXECUTIVE_MAX_LENGTH,
            rows=5,
            help_text="Printed on the first page, beside the figures; it has to fit that page.",
        )
        self.sections = sections
        for section in sections:
            self.fields[NOTE_PREFIX + section.anchor] = counted_text(
                label=f"Note on \u201c{section.title}\u201d",
                max_length=SECTION_NOTE_MAX_LENGTH,
                rows=3,
            )

    def clean_executive(self) -> str:
        text: str = self.cleaned_data["executive"]
        breaks = text.count("\n")
        if breaks > EXECUTIVE_MAX_BREAKS:
            raise forms.ValidationError(
                f"Executive paragraph: {breaks} line breaks; at most {EXECUTIVE_MAX_BREAKS}, so "
                "that it fits the first page. Shorten it: nothing was saved."
            )
        return text

    def notes(self) -> dict[str, str]:
        return {
            section.anchor: self.cleaned_data[NOTE_PREFIX + section.anchor]
            for section in self.sections
        }
