"""Making a read-only link to a report: how long it lasts, and for whom (a note)."""

from __future__ import annotations

from django import forms

from assessment.services.shares import DEFAULT_SHARE_DAYS, MAX_SHARE_DAYS


class ShareForm(forms.Form):
    days = forms.IntegerField(
        min_value=1,
        max_value=MAX_SHARE_DAYS,
        initial=DEFAULT_SHARE_DAYS,
        label="Valid for (days)",
        help_text=f"From 1 to {MAX_SHARE_DAYS}; you can revoke it at any time.",
    )
    note = forms.CharField(
        max_length=200,
        required=False,
        label="For whom",
        help_text="Only you and your colleagues see this, e.g. \u201cAcme CTO, board pack\u201d.",
    )
