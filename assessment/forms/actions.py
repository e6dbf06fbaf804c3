"""An action of the team's plan (its title, practices, owner, date, status and notes), and the
choice of recommendations to accept into the plan."""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from typing import Any

from django import forms

from assessment.models import ACTION_NOTES_MAX_LENGTH, REASON_MAX_LENGTH, TITLE_MAX_LENGTH, Action
from assessment.services.actions import action_fields
from core.forms import one_line_name

CODE_SEPARATORS = re.compile(r"[\s,;]+")
MAX_PRACTICES = 20
NO_OWNER = ""


class ActionForm(forms.Form):
    title = forms.CharField(max_length=TITLE_MAX_LENGTH, validators=[one_line_name])
    practices = forms.CharField(
        required=False,
        max_length=400,
        label="Practices it addresses",
        help_text="Question codes, e.g. EXP-1-02, DEV-2-01: the next assessment says whether "
        "their answers moved.",
    )
    owner = forms.ChoiceField(required=False, label="Owner")
    owner_name = forms.CharField(
        required=False,
        max_length=120,
        label="Or someone without an account",
        help_text="A name, when the owner is not a member here.",
        validators=[one_line_name],
    )
    due_on = forms.DateField(
        required=False,
        label="Due on",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    status = forms.ChoiceField(choices=Action.Status.choices, initial=Action.Status.PLANNED)
    dropped_reason = forms.CharField(
        required=False,
        max_length=REASON_MAX_LENGTH,
        label="Why it was dropped",
        help_text="Required when the status is \u201cDropped\u201d.",
    )
    notes = forms.CharField(
        required=False,
        max_length=ACTION_NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self,
        *args: Any,
        members: Sequence[tuple[int, str]],
        known_codes: Collection[str],
        **kwargs: Any,
    ) -> None:
        """`members`: (user id, name) of the people who may own it; `known_codes`: the
        practices of the banks the team answers."""
        super().__init__(*args, **kwargs)
        self.known_codes = set(known_codes)
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = [(NO_OWNER, "Nobody yet"), *((str(pk), name) for pk, name in members)]

    @classmethod
    def initial_for(cls, action: Action) -> dict[str, Any]:
        fields = action_fields(action)
        owner_id = fields.pop("owner_id")
        return fields | {
            "practices": ", ".join(fields["practices"]),
            "owner": str(owner_id) if owner_id else NO_OWNER,
        }

    def clean_practices(self) -> list[str]:
        text: str = self.cleaned_data["practices"]
        codes = list(dict.fromkeys(c.upper() for c in CODE_SEPARATORS.split(text) if c))
        unknown = [code for code in codes if code not in self.known_codes]
        if unknown:
            raise forms.ValidationError(
                f"Not a practice of this team's question bank: {', '.join(unknown[:5])}."
            )
        if len(codes) > MAX_PRACTICES:
            raise forms.ValidationError(f"At most {MAX_PRACTICES} practices per action.")
        return codes

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("owner") and data.get("owner_name", "").strip():
            self.add_error(
                "owner_name", "Choose a member or give a name, not both: an action has one owner."
            )
        if data.get("status") == Action.Status.DROPPED and not data.get("dropped_reason"):
            self.add_error("dropped_reason", "Say why it was dropped: the next review reads it.")
        return data

    def fields_for_service(self) -> dict[str, Any]:
        """The cleaned data as `services.actions` takes it."""
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "practices": data["practices"],
            "owner_id": int(data["owner"]) if data["owner"] else None,
            "owner_name": data["owner_name"].strip(),
            "due_on": data["due_on"],
            "status": data["status"],
            "dropped_reason": data["dropped_reason"].strip(),
            "notes": data["notes"],
        }


class AcceptForm(forms.Form):
    """Which of an assessment's recommendations to add to the team's plan."""

    practices = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one recommendation to add to the plan."},
    )

    def __init__(self, *args: Any, choices: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["practices"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = list(choices)
