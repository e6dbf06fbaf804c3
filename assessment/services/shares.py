"""Read-only links to one report for people without an account: made, revoked, and every use
logged. The token is random (256 bits) and stored only as a hash, so neither the database nor a
backup can be turned back into working links; the link is shown once, when it is made."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from assessment.models import Assessment, ReportShare, ReportShareUse
from assessment.selectors.shares import token_hash

MAX_SHARE_DAYS = 90
DEFAULT_SHARE_DAYS = 30


def share_create(
    *, assessment: Assessment, by: User, days: int = DEFAULT_SHARE_DAYS, note: str = ""
) -> tuple[ReportShare, str]:
    """A new link valid for `days` (1 to 90), and its token, which is not stored."""
    if not 1 <= days <= MAX_SHARE_DAYS:
        raise ValueError(f"A link lasts 1 to {MAX_SHARE_DAYS} days.")
    token = secrets.token_urlsafe(32)
    share = ReportShare.objects.create(
        assessment=assessment,
        token_hash=token_hash(token),
        note=note,
        created_by=by,
        expires_at=timezone.now() + timedelta(days=days),
    )
    return share, token


def share_revoke(*, share: ReportShare, by: User) -> None:
    """Stop a link at once; revoking twice changes nothing."""
    ReportShare.objects.filter(pk=share.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )


def share_use_record(
    *, share: ReportShare, kind: ReportShareUse.Kind, address: str | None, agent: str
) -> None:
    ReportShareUse.objects.create(share=share, kind=kind, address=address, agent=agent[:200])
