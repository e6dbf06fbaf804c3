"""Finding a shared link from its token, and listing an assessment's links."""

from __future__ import annotations

import hashlib

from django.db.models import Count, QuerySet
from django.utils import timezone

from assessment.models import Assessment, ReportShare


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def active_share(assessment_id: int, token: str) -> ReportShare | None:
    """The link, if this token opens this assessment's report now: not expired, not revoked.
    A token of another assessment, or none at all, finds nothing."""
    if not token or len(token) > 100:
        return None
    share = (
        ReportShare.objects.select_related("assessment", "assessment__team__organization")
        .filter(assessment_id=assessment_id, token_hash=token_hash(token))
        .first()
    )
    if share is None or not share.is_active(timezone.now()):
        return None
    return share


def assessment_shares(assessment: Assessment) -> QuerySet[ReportShare]:
    return (
        ReportShare.objects.filter(assessment=assessment)
        .select_related("created_by", "revoked_by")
        .annotate(use_count=Count("uses"))
    )
