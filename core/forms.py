"""Forms for organisation pages. They validate, reading through selectors; services write."""

from __future__ import annotations

from typing import Any

from django import forms

from core import logos
from core.models import Organization, Role, Team


class InvitationForm(forms.Form):
    """Whom to invite and in which role. It says the same whether or not the address has an
    account: the invitation goes to the address, and the person decides."""

    email = forms.EmailField(max_length=254, label="E-mail address")
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label="Role")


class ReportBrandingForm(forms.Form):
    """How the organisation's reports are signed. The logo is checked and re-encoded here, so
    that `cleaned_data["logo"]` is a clean PNG, b"" to remove it, or None to keep it."""

    prepared_by = forms.CharField(
        max_length=120,
        required=False,
        label="Prepared by",
        help_text="The person who signs the reports, e.g. \u201cJane Doe\u201d.",
    )
    firm = forms.CharField(
        max_length=120, required=False, label="Firm", help_text="e.g. “Northwind Advisory”."
    )
    confidentiality = forms.CharField(
        max_length=90,  # one line at the foot of every page, beside the page number
        required=False,
        label="Confidentiality marking",
        help_text="Printed at the foot of every page, e.g. “Confidential: for Acme only”.",
    )
    logo = forms.FileField(
        required=False,
        label="Logo",
        help_text="PNG or JPEG, up to 1 MB and 4000 × 4000 pixels; printed at most 40 mm wide.",
        widget=forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg"}),
    )
    remove_logo = forms.BooleanField(required=False, label="Remove the current logo")

    def clean_logo(self) -> bytes | None:
        upload = self.cleaned_data.get("logo")
        if not upload:
            return None
        if upload.size > logos.MAX_UPLOAD_BYTES:  # refused before reading it into memory
            raise forms.ValidationError(logos.TOO_LARGE.format(size=upload.size // 1024))
        try:
            return logos.clean_logo(upload.read())
        except logos.LogoRefused as refused:
            raise forms.ValidationError(str(refused)) from refused

    def logo_change(self) -> bytes | None:
        cleaned: bytes | None = self.cleaned_data["logo"]
        if cleaned is not None:
            return cleaned
        return b"" if self.cleaned_data["remove_logo"] else None


class OrganizationCreateForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        label="Organisation's name",
        help_text="A company, or a client you assess. You become its owner.",
    )


class TeamForm(forms.Form):
    """A team's name, unique in its organisation whatever the case, and what it does."""

    name = forms.CharField(max_length=200, label="Team's name")
    description = forms.CharField(
        required=False,
        max_length=1000,
        label="What the team does",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, organization: Organization, team: Team | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organization, self.team = organization, team

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"].strip()
        taken = Team.objects.filter(organization=self.organization, name__iexact=name)
        if self.team is not None:
            taken = taken.exclude(pk=self.team.pk)
        if taken.exists():
            raise forms.ValidationError(
                f"{self.organization.name} already has a team called \u201c{name}\u201d."
            )
        return name
