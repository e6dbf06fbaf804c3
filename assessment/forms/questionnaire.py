"""The questionnaire's forms, built from the question bank: starting an assessment, the team's
composition, and one phase's answers. They validate; services write."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.timezone import now

from assessment.formats.records import AnswerRecord
from assessment.models import (
    EVIDENCE_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    REASON_MAX_LENGTH,
    Assessment,
    QuestionBank,
)
from assessment.reports.prose import in_prose
from assessment.scoring.evidence import is_placeholder, placeholder_message
from assessment.scoring.types import GUIDED_VALUES, AnswerValue, Bank, Presence, Question
from assessment.selectors.banks import question_banks_among
from assessment.services.answers import AnswerData

NA_NEEDS_REASON = "Say why this practice does not apply to your team."
CONFIRM_LABEL = "This answer still holds for the question as it is worded now"
UNKNOWN_QUESTION = "Question {code} is not part of this questionnaire; nothing was saved."
ANSWER_FIELD = re.compile(
    r"^(?:initial-)?(?P<code>[^-\s]+-\d+-\d+)-(?:value|evidence|note|reason|confirm)$"
)

NO_TARGET = ""
PRESENCE_CHOICES = [
    (presence.value, f"{presence.label}: {presence.description}")
    for presence in (Presence.PRESENT, Presence.SHARED, Presence.ABSENT)
]


LABEL_TAKEN = (
    "This team already has an assessment called \u201c{label}\u201d: choose another label, "
    "e.g. \u201c{free}\u201d."
)


def default_label(taken: set[str] | frozenset[str] = frozenset()) -> str:
    """This quarter ("2026 Q4"), or the first "2026 Q4 (2)", "(3)"… the team has not used."""
    today = now().date()
    return free_label(f"{today.year} Q{(today.month - 1) // 3 + 1}", taken)


def free_label(label: str, taken: set[str] | frozenset[str]) -> str:
    """`label`, numbered if the team has it already; `taken` holds lower-cased labels."""
    candidate, number = label, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{label} ({number})"
    return candidate


class BankChoiceField(forms.ModelChoiceField):
    """A question bank, shown by title and version."""

    def label_from_instance(self, obj: QuestionBank) -> str:
        return f"{obj.title} {obj.version}"


class StartAssessmentForm(forms.Form):
    bank = BankChoiceField(
        queryset=QuestionBank.objects.none(),
        label="Questionnaire",
        empty_label=None,
        help_text="The latest version is chosen for you; earlier versions stay available.",
    )
    label = forms.CharField(
        max_length=100,
        help_text='A name you will recognise in a year, e.g. "2026 Q4" or "Before the migration".',
    )

    def __init__(
        self,
        *args: Any,
        banks: list[QuestionBank],
        bank: Bank | None,
        previous: Assessment | None = None,
        taken_labels: set[str] | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.taken_labels = {label.casefold() for label in taken_labels or set()}
        if previous is not None:
            self.fields["copy_previous"] = forms.BooleanField(
                required=False,
                initial=True,
                label=f"Start from the answers of \u201c{previous.label}\u201d",
                help_text=(
                    f"Submitted {previous.submitted_at:%-d %B %Y}: copy its team composition and "
                    "answers, then change only what changed since."
                ),
            )
        bank_field = self.fields["bank"]
        assert isinstance(bank_field, forms.ModelChoiceField)
        bank_field.queryset = question_banks_among(banks)
        if banks:
            self.initial.setdefault("bank", banks[0].pk)
        self.initial.setdefault("label", default_label(self.taken_labels))
        self.phase_codes: list[str] = []
        if bank is not None:
            level_choices = [(NO_TARGET, "No target")] + [
                (str(lv.number), f"Level {lv.number}: {lv.name}") for lv in bank.levels
            ]
            for phase in bank.phases:
                self.fields[f"target_{phase.code}"] = forms.ChoiceField(
                    choices=level_choices,
                    required=False,
                    label=f"Target for {phase.name}",
                    help_text="Recommendations aim at this level; by default, the next one up.",
                )
                self.phase_codes.append(phase.code)

    def clean_label(self) -> str:
        label = " ".join(self.cleaned_data["label"].split())
        if label.casefold() in self.taken_labels:
            raise forms.ValidationError(
                LABEL_TAKEN.format(label=label, free=free_label(label, self.taken_labels))
            )
        return label

    def targets(self) -> dict[str, int]:
        """Targets for the phases and levels of the bank actually chosen (the fields are built
        from the newest bank, which another choice may not match)."""
        chosen = self.cleaned_data["bank"].bank()
        phases = {p.code for p in chosen.phases}
        levels = {lv.number for lv in chosen.levels}
        targets = {}
        for code in self.phase_codes:
            raw = self.cleaned_data.get(f"target_{code}")
            if raw is not None and raw != NO_TARGET and code in phases and int(raw) in levels:
                targets[code] = int(raw)
        return targets


class CompositionForm(forms.Form):
    """For each role of the bank: does the team have it?"""

    def __init__(self, *args: Any, bank: Bank, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for role in bank.roles:
            self.fields[role.code] = forms.ChoiceField(
                choices=PRESENCE_CHOICES,
                widget=forms.RadioSelect,
                label=role.name,
                help_text=role.description,
                # No article before the name: "a ML engineer" and "a IT …" read wrong.
                error_messages={
                    "required": f"Say whether anyone in the team is the {in_prose(role.name)}."
                },
            )

    def composition(self) -> dict[str, str]:
        return {code: self.cleaned_data[code] for code in self.fields}


TOO_LONG = (
    "{label}: %(show_value)s characters; at most %(limit_value)s. Shorten it: nothing was saved."
)


def counted_text(
    *, label: str, max_length: int, help_text: str = "", rows: int = 0
) -> forms.CharField:
    """A text field whose limit is shown by a live counter and enforced with a plain error,
    never by the browser cutting a pasted text short without a word (static/js/counters.js)."""
    field = forms.CharField(
        max_length=max_length,
        required=False,
        label=label,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput(),
        show_hidden_initial=True,
        error_messages={"max_length": TOO_LONG.format(label=label)},
    )
    field.widget.attrs.pop("maxlength", None)
    field.widget.attrs["data-max-length"] = str(max_length)
    return field


def _choice_label(title: str, guidance: str) -> str:
    return format_html('{} <span class="guidance">{}</span>', title, guidance)


def answer_choices(question: Question) -> list[tuple[str, str]]:
    """Radio options, each carrying this question's guidance for that answer."""
    choices = [
        (
            value.value,
            _choice_label(f"{value.label_at(question.level)}:", question.guidance.for_value(value)),
        )
        for value in GUIDED_VALUES
    ]
    if question.allow_na:
        na = AnswerValue.NOT_APPLICABLE
        choices.append((na.value, f"{na.label} (say why below)"))
    choices.append((AnswerValue.UNKNOWN.value, AnswerValue.UNKNOWN.label))
    return choices


class PhaseAnswersForm(forms.Form):
    """Every question of one phase. Each field renders its initial value in a hidden input too,
    so on save we can tell what this person changed from what they merely saw: two people
    editing one assessment then never overwrite each other's answers."""

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        questions: tuple[Question, ...],
        answers: Mapping[str, AnswerRecord],
        **kwargs: Any,
    ) -> None:
        initial = {}
        for code, answer in answers.items():
            initial.update(
                {
                    f"{code}-value": answer.value,
                    f"{code}-evidence": answer.evidence,
                    f"{code}-note": answer.note,
                    f"{code}-reason": answer.reason,
                }
            )
        super().__init__(data, initial=initial, **kwargs)
        self.questions = questions
        self.carried = {code: a for code, a in answers.items() if a.carried}
        for q in questions:
            if q.code in self.carried:
                # Ticking it is a change, so the answer is saved, which confirms it.
                self.fields[f"{q.code}-confirm"] = forms.BooleanField(
                    required=False, label=CONFIRM_LABEL, show_hidden_initial=True
                )
            self.fields[f"{q.code}-value"] = forms.ChoiceField(
                choices=answer_choices(q),
                widget=forms.RadioSelect,
                required=False,
                # The question's fieldset already shows the statement as its legend.
                label="Your answer",
                show_hidden_initial=True,
            )
            self.fields[f"{q.code}-evidence"] = counted_text(
                label="Evidence",
                max_length=EVIDENCE_MAX_LENGTH,
                help_text=(
                    "A link, or the name of what someone could open to see it, e.g. "
                    "\u201cMLflow experiment churn-v3\u201d (optional)."
                ),
            )
            self.fields[f"{q.code}-note"] = counted_text(
                label="Note", max_length=NOTE_MAX_LENGTH, rows=2
            )
            if q.allow_na:
                self.fields[f"{q.code}-reason"] = counted_text(
                    label="Why it does not apply", max_length=REASON_MAX_LENGTH
                )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        known = {q.code for q in self.questions}
        for key in self.data:
            match = ANSWER_FIELD.match(key)
            if match and match["code"] not in known:
                self.add_error(None, UNKNOWN_QUESTION.format(code=match["code"]))
        for q in self.questions:
            if (
                cleaned.get(f"{q.code}-value") == AnswerValue.NOT_APPLICABLE
                and not (cleaned.get(f"{q.code}-reason") or "").strip()
            ):
                self.add_error(f"{q.code}-reason", NA_NEEDS_REASON)
            # Only evidence typed now: an old "yes" saved before the rule must not block a save.
            evidence = f"{q.code}-evidence"
            if evidence in self.changed_data and is_placeholder(cleaned.get(evidence) or ""):
                self.add_error(evidence, placeholder_message(cleaned[evidence]))
        return cleaned

    def changes(self) -> dict[str, AnswerData]:
        """The answers this person changed, whole, by question code."""
        changed = {name.rsplit("-", 1)[0] for name in self.changed_data}
        return {
            q.code: AnswerData(
                value=self.cleaned_data.get(f"{q.code}-value") or "",
                evidence=self.cleaned_data.get(f"{q.code}-evidence", "").strip(),
                note=self.cleaned_data.get(f"{q.code}-note", "").strip(),
                reason=self.cleaned_data.get(f"{q.code}-reason", "").strip(),
            )
            for q in self.questions
            if q.code in changed
        }

    def question_fields(self, question: Question) -> dict[str, forms.BoundField]:
        return {
            part: self[f"{question.code}-{part}"]
            for part in ("value", "evidence", "note", "reason", "confirm")
            if f"{question.code}-{part}" in self.fields
        }
