"""How django-allauth behaves here: who may sign up (anyone, or only people invited), the
sign-in form's limits, and single sign-on accounts.

Sign-up is open when SIGNUP_OPEN is on (the default in development only); otherwise only a
person holding a live invitation may create an account, and only for the invited address.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.forms import LoginForm as AllauthLoginForm
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from allauth.account.stages import EmailVerificationStage
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.http import HttpRequest

# The longest identifier anyone can have: an e-mail address (254). Refused longer before any
# database lookup, so the lock-out table (255 characters) never sees it.
LOGIN_MAX_LENGTH = 254
INVITATION_SESSION_KEY = "invitation_email"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return bool(settings.SIGNUP_OPEN or invited_email(request))

    def get_login_stages(self) -> list[str]:
        verify = "allauth.account.stages.EmailVerificationStage"
        return [
            "core.accounts.SignUpAddressStage" if stage == verify else stage
            for stage in super().get_login_stages()
        ]

    def clean_email(self, email: str) -> str:
        """Sign-up by invitation only: with the address the invitation was sent to."""
        email = super().clean_email(email)
        invited = invited_email(self.request) if self.request is not None else ""
        if not settings.SIGNUP_OPEN and invited and email.casefold() != invited.casefold():
            raise forms.ValidationError(
                f"Sign up with the address the invitation was sent to: {invited}."
            )
        return email


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Any) -> bool:
        """Not while an organisation of the person requires two-factor sign-in."""
        if mfa_required(authenticator.user_id):
            return False
        return bool(super().can_delete_authenticator(authenticator))


class SignUpAddressStage(EmailVerificationStage):
    """An address given at sign-up must be confirmed before its account signs in. An account an
    administrator created (the admin, `createsuperuser`, the demo) records no address through
    sign-up and is trusted as it is."""

    def handle(self) -> tuple[Any, bool]:
        user = self.login.user
        if user is not None and not EmailAddress.objects.filter(user_id=user.pk).exists():
            return None, True
        response, carry_on = super().handle()
        return response, bool(carry_on)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        """A first sign-in through single sign-on creates an account when sign-up is open, for
        the address of an invitation being accepted, or for an address at a domain an
        organisation signs in through single sign-on; the provider has vouched for it."""
        if settings.SIGNUP_OPEN:
            return True
        email = str(getattr(sociallogin.user, "email", "") or "")
        invited = invited_email(request)
        if email and invited and email.casefold() == invited.casefold():
            return True
        return bool(email and sso_domain_of(email))


def invited_email(request: HttpRequest) -> str:
    """The address of the live invitation this browser is accepting, if any: checked again each
    time, so a revoked, expired or accepted one opens nothing."""
    from django.utils import timezone

    from core.models import Invitation

    session = getattr(request, "session", None)
    held = session.get(INVITATION_SESSION_KEY) if session is not None else None
    if not isinstance(held, dict) or not isinstance(held.get("id"), int):
        return ""
    email = (
        Invitation.objects.filter(
            pk=int(held["id"]),
            token_hash=str(held.get("token_hash", "")),
            accepted_at=None,
            revoked_at=None,
            expires_at__gt=timezone.now(),
        )
        .values_list("email", flat=True)
        .first()
    )
    return str(email or "")


class LoginForm(AllauthLoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["login"]
        field.label = "Username or e-mail address"
        field.max_length = LOGIN_MAX_LENGTH
        field.validators.append(forms.CharField(max_length=LOGIN_MAX_LENGTH).validators[0])
        field.widget.attrs.pop("placeholder", None)
        self.fields["password"].widget.attrs.pop("placeholder", None)
        if "remember" in self.fields:
            self.fields["remember"].label = "Keep me signed in on this device"

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()
        # Only once the password is known to be right, so the refusal reveals nothing to a
        # stranger: a member of an organisation that signs its people in through single
        # sign-on, with any of their addresses at its domain, may not use a password.
        user = getattr(self, "user", None)
        if user is not None and not self._errors:
            domain = sso_domain_for(user)
            if domain:
                raise forms.ValidationError(SSO_ONLY.format(domain=domain))
        return cleaned


class SignupForm(AllauthSignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


def login_identifier(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """What django-axes counts failures against: the name or address typed in the sign-in form
    (allauth authenticates with `username=` or `email=`), folded to one case and cut to the
    lock-out table's column, so "Alice" and "alice" share a count."""
    typed = request.POST.get("login", "") if request.method == "POST" else ""
    if not typed and credentials:
        typed = str(credentials.get("username") or credentials.get("email") or "")
    return typed.strip().casefold()[:LOGIN_MAX_LENGTH]


# --- Organisations' rules at sign-in ------------------------------------------------------------

MFA_SETUP_SESSION_KEY = "mfa_setup_needed"
SSO_ONLY = (
    "People at {domain} sign in with single sign-on, not a password: use the "
    "\u201cSign in with\u201d button below."
)


def addresses_of(user: Any, *, confirmed_only: bool = False) -> set[str]:
    """The user's addresses, folded: the account's own (trusted for accounts an administrator
    made) and those recorded through allauth."""
    from allauth.account.models import EmailAddress

    records = EmailAddress.objects.filter(user=user)
    if confirmed_only:
        records = records.filter(verified=True)
    found = {email.casefold() for email in records.values_list("email", flat=True)}
    if user.email and not confirmed_only:
        found.add(user.email.casefold())
    return found


def domain_of(address: str) -> str:
    return address.rsplit("@", 1)[-1].strip().casefold() if "@" in address else ""


def sso_domain_for(user: Any) -> str:
    """The domain of an organisation the user belongs to that signs its people in through
    single sign-on, when one of the user's addresses is there; "" otherwise."""
    from core.models import Organization

    domains = {domain_of(address) for address in addresses_of(user)}
    claimed = Organization.objects.filter(memberships__user=user, sso_domain__in=domains)
    return str(claimed.values_list("sso_domain", flat=True).first() or "")


def sso_domain_of(address: str) -> str:
    """The domain of `address` when an organisation signs its people in through single
    sign-on there (for a first sign-in through it), or ""."""
    from core.models import Organization

    domain = domain_of(address)
    if domain and Organization.objects.filter(sso_domain=domain).exists():
        return domain
    return ""


def mfa_required(user_id: int) -> bool:
    """Whether an organisation the user belongs to requires two-factor sign-in."""
    from core.models import Membership

    return bool(Membership.objects.filter(user_id=user_id, organization__require_mfa=True).exists())


def needs_mfa_setup(user: Any) -> bool:
    """Whether an organisation of the user requires two-factor sign-in they have not set up."""
    from allauth.mfa.models import Authenticator

    return mfa_required(user.pk) and not (
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )
