"""Answering as a team: inviting a respondent, and the lead settling each final answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model

from assessment.forms.questionnaire import NA_NEEDS_REASON
from assessment.models import REASON_MAX_LENGTH, Assessment
from assessment.scoring.types import AnswerValue, Bank
from assessment.selectors.consensus import ConsensusRow
from assessment.selectors.respondents import invitable_respondents
from assessment.services.answers import AnswerData

NOT_SETTLED_CHOICE = "Not settled yet"


class RespondentForm(forms.Form):
    user = forms.ModelChoiceField(queryset=get_user_model().objects.none(), label="Team member")
    role = forms.ChoiceField(label="Answers as", help_text="Shown beside their answers.")
    phases = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Phases they answer",
        help_text="Leave all unticked for every phase.",
    )

    def __init__(self, *args: Any, assessment: Assessment, bank: Bank, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        user_field = self.fields["user"]
        assert isinstance(user_field, forms.ModelChoiceField)
        user_field.queryset = invitable_respondents(assessment)
        role_field = self.fields["role"]
        phases_field = self.fields["phases"]
        assert isinstance(role_field, forms.ChoiceField)
        assert isinstance(phases_field, forms.MultipleChoiceField)
        role_field.choices = [(r.code, r.name) for r in bank.roles]
        phases_field.choices = [(p.code, p.name) for p in bank.phases]


def final_choices(row: ConsensusRow) -> list[tuple[str, str]]:
    values = [AnswerValue.NOT_IN_PLACE, AnswerValue.MANUAL, AnswerValue.AUTOMATED]
    if row.question.allow_na:
        values.append(AnswerValue.NOT_APPLICABLE)
    values.append(AnswerValue.UNKNOWN)
    return [(v.value, v.label_at(row.question.level)) for v in values]


class ConsensusForm(forms.Form):
    """One final answer (and why) per question; starts from the saved final or the suggestion."""

    def __init__(self, *args: Any, rows: list[ConsensusRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            code = row.question.code
            final = row.final
            self.fields[f"{code}-final"] = forms.ChoiceField(
                choices=[("", NOT_SETTLED_CHOICE), *final_choices(row)],
                required=False,
                label=f"Final answer for {code}",
                initial=final.value if final else row.suggested,
                show_hidden_initial=True,
            )
            self.fields[f"{code}-why"] = forms.CharField(
                max_length=REASON_MAX_LENGTH,
                required=False,
                label=f"Why (for {code})",
                widget=forms.TextInput(attrs={"placeholder": "Why this answer"}),
                initial=(final.reason or final.note) if final else "",
                show_hidden_initial=True,
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for row in self.rows:
            code = row.question.code
            if (
                cleaned.get(f"{code}-final") == AnswerValue.NOT_APPLICABLE
                and not cleaned.get(f"{code}-why", "").strip()
            ):
                self.add_error(f"{code}-why", NA_NEEDS_REASON)
        return cleaned

    def changes(self) -> dict[str, AnswerData]:
        """What to settle: every answer the lead changed on this page, and the untouched
        suggestions of questions still unsettled. An untouched row that someone else settled
        since the page was shown is left as they settled it."""
        changed = {name.rsplit("-", 1)[0] for name in self.changed_data}
        result = {}
        for row in self.rows:
            code = row.question.code
            value = self.cleaned_data.get(f"{code}-final") or ""
            if not value or (code not in changed and row.final is not None):
                continue
            why = self.cleaned_data.get(f"{code}-why", "").strip()
            is_na = value == AnswerValue.NOT_APPLICABLE
            result[code] = AnswerData(
                value=value, note="" if is_na else why, reason=why if is_na else ""
            )
        return result
