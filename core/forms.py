"""Forms for organisation pages. They validate, reading through selectors; services write."""

from __future__ import annotations

from typing import Any

from django import forms

from core import selectors
from core.models import Organization, Role

NO_SUCH_USER = (
    "Nobody with that username or e-mail address has an account here yet; ask them to get one "
    "from an administrator first."
)
ALREADY_MEMBER = "{name} already belongs to this organisation as {role}."


class MemberInviteForm(forms.Form):
    identifier = forms.CharField(max_length=254, label="Username or e-mail address", strip=True)
    role = forms.ChoiceField(choices=Role.choices, initial=Role.MEMBER)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        identifier = cleaned.get("identifier")
        if not identifier:
            return cleaned
        user = selectors.active_user_by_identifier(identifier)
        if user is None:
            self.add_error("identifier", NO_SUCH_USER)
            return cleaned
        existing = selectors.existing_membership(user, self.organization)
        if existing is not None:
            self.add_error(
                "identifier",
                ALREADY_MEMBER.format(
                    name=user.get_username(), role=existing.get_role_display().lower()
                ),
            )
        cleaned["user"] = user
        return cleaned


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label="Role")
