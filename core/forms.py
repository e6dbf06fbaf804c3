from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q

from core.models import Membership, Organization, Role

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
        cleaned = super().clean()
        identifier = cleaned.get("identifier")
        if not identifier:
            return cleaned
        users = list(
            get_user_model().objects.filter(
                Q(username__iexact=identifier) | Q(email__iexact=identifier), is_active=True
            )[:2]
        )
        if len(users) != 1:
            # Two accounts sharing an e-mail address are as unusable as none.
            self.add_error("identifier", NO_SUCH_USER)
            return cleaned
        user = users[0]
        existing = Membership.objects.filter(user=user, organization=self.organization).first()
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
