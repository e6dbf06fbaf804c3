"""Forms for organisation pages. They validate, reading through selectors; services write."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import User

from core import logos
from core.accounts import addresses_of, domain_of
from core.models import REASSESSMENT_CADENCES, AccessToken, Organization, Role, Team
from core.tokens import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS


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


CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def one_line_name(value: str) -> None:
    """Names go into e-mail subjects, page titles and file names: printable, one line."""
    if CONTROL.search(value):
        raise forms.ValidationError("Use letters, digits and punctuation only, on one line.")


class OrganizationCreateForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        label="Organisation's name",
        help_text="A company, or a client you assess. You become its owner.",
        validators=[one_line_name],
    )


class TeamForm(forms.Form):
    """A team's name, unique in its organisation whatever the case, and what it does."""

    name = forms.CharField(max_length=200, label="Team's name", validators=[one_line_name])
    description = forms.CharField(
        required=False,
        max_length=1000,
        label="What the team does",
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    # Not required: a form posted without it (an older page, a script) keeps the team's cadence.
    reassessment_months = forms.TypedChoiceField(
        choices=REASSESSMENT_CADENCES,
        coerce=int,
        empty_value=None,
        required=False,
        initial=Team._meta.get_field("reassessment_months").default,
        label="Remind the lead to reassess every",
        help_text=(
            "Counted from the team's latest submitted assessment. The lead gets one e-mail, "
            "unless a new assessment was started already."
        ),
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


DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


class OrganizationSettingsForm(forms.Form):
    name = forms.CharField(max_length=200, label="Organisation's name", validators=[one_line_name])
    require_mfa = forms.BooleanField(
        required=False,
        label="Require two-factor sign-in of every member",
        help_text="Members without an authenticator app are asked to set one up before they go on.",
    )
    sso_domain = forms.CharField(
        required=False,
        max_length=253,
        label="Single sign-on for the e-mail domain",
        help_text="e.g. acme.com: people with an address there sign in through single sign-on, "
        "never with a password. Needs single sign-on configured on this instance.",
    )

    def __init__(self, *args: Any, organization: Organization, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization, self.user = organization, user

    def clean_sso_domain(self) -> str:
        domain: str = self.cleaned_data["sso_domain"].strip().lower().removeprefix("@")
        if not domain:
            return ""
        if not DOMAIN.match(domain):
            raise forms.ValidationError(
                f"\u201c{domain}\u201d is not a domain name, e.g. acme.com."
            )
        if not settings.SOCIALACCOUNT_PROVIDERS:
            raise forms.ValidationError(
                "Single sign-on is not configured on this instance (docs/deploy.md): its people "
                "could no longer sign in."
            )
        # Proof that the domain is the organisation's: the owner's own confirmed address there.
        # Otherwise anyone could create an organisation and claim someone else's domain.
        mine = {domain_of(a) for a in addresses_of(self.user, confirmed_only=True)}
        if domain not in mine and domain != domain_of(self.user.email or ""):
            raise forms.ValidationError(
                f"Claim {domain} with an address of yours there: add and confirm one under "
                "E-mail addresses on your account page first."
            )
        taken = Organization.objects.filter(sso_domain=domain).exclude(pk=self.organization.pk)
        if taken.exists():
            raise forms.ValidationError(f"Another organisation already signs in {domain}.")
        return domain


class AccessTokenForm(forms.Form):
    """A personal access token for the API: what it is for, what it may do, where, how long."""

    name = forms.CharField(
        max_length=100,
        label="What it is for",
        help_text="e.g. \u201cCI of the fraud-model repository\u201d.",
        validators=[one_line_name],
    )
    scope = forms.ChoiceField(
        choices=AccessToken.Scope.choices,
        initial=AccessToken.Scope.READ,
        widget=forms.RadioSelect,
        label="It may",
        help_text="Never more than your role allows: a viewer's token cannot write.",
    )
    organization = forms.ChoiceField(required=False, label="Organisation")
    days = forms.IntegerField(
        min_value=1,
        max_value=MAX_TOKEN_DAYS,
        initial=DEFAULT_TOKEN_DAYS,
        label="Valid for (days)",
        help_text=f"From 1 to {MAX_TOKEN_DAYS}; you can revoke it at any time.",
    )

    def __init__(self, *args: Any, organizations: list[Organization], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organizations = {str(o.pk): o for o in organizations}
        field = self.fields["organization"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", "All of yours"),
            *((pk, o.name) for pk, o in self.organizations.items()),
        ]

    def clean_organization(self) -> Organization | None:
        value: str = self.cleaned_data["organization"]
        return self.organizations.get(value) if value else None
