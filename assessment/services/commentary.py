"""Writes to a report's commentary: save the draft, publish it (freezing the words and the
organisation's branding of that moment), withdraw a publication to edit again. Each write is
recorded in the assessment's history."""

from __future__ import annotations

import base64

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessment.models import Assessment, AssessmentEvent, ReportCommentary
from core.models import ReportBranding

PUBLISHED = "This commentary is published: withdraw the publication to edit it."
NO_RESULT = "There is no report to comment on yet: submit the assessment first."


class CommentaryLocked(Exception):
    """A write the commentary's state does not allow; the message says what to do."""


def commentary_save(
    *, assessment: Assessment, executive: str, notes: dict[str, str], by: User
) -> ReportCommentary:
    with transaction.atomic():
        commentary = _locked(assessment)
        if commentary.is_published:
            raise CommentaryLocked(PUBLISHED)
        commentary.executive = executive.strip()
        commentary.notes = {anchor: text.strip() for anchor, text in notes.items() if text.strip()}
        commentary.updated_by = by
        commentary.save()
        _record(assessment, AssessmentEvent.Kind.COMMENTARY_SAVED, by)
    return commentary


def commentary_publish(*, assessment: Assessment, by: User) -> ReportCommentary:
    """Freeze the commentary and the organisation's current branding into the report."""
    with transaction.atomic():
        commentary = _locked(assessment)
        if commentary.is_published:
            raise CommentaryLocked(PUBLISHED)
        branding = ReportBranding.objects.filter(
            organization_id=assessment.team.organization_id
        ).first()
        commentary.frozen = {
            "branding": {
                "prepared_by": branding.prepared_by if branding else "",
                "firm": branding.firm if branding else "",
                "confidentiality": branding.confidentiality if branding else "",
                "logo": base64.b64encode(bytes(branding.logo)).decode("ascii") if branding else "",
            },
            "commentary": {"executive": commentary.executive, "notes": dict(commentary.notes)},
        }
        commentary.published_at, commentary.published_by = timezone.now(), by
        commentary.save()
        _record(assessment, AssessmentEvent.Kind.COMMENTARY_PUBLISHED, by)
    return commentary


def commentary_withdraw(*, assessment: Assessment, by: User, detail: str = "") -> None:
    """Back to a draft that follows the organisation's branding again; the words are kept."""
    with transaction.atomic():
        commentary = (
            ReportCommentary.objects.select_for_update().filter(assessment=assessment).first()
        )
        if commentary is None or not commentary.is_published:
            return
        commentary.published_at = commentary.published_by = commentary.frozen = None
        commentary.save()
        _record(assessment, AssessmentEvent.Kind.COMMENTARY_WITHDRAWN, by, detail)


def _locked(assessment: Assessment) -> ReportCommentary:
    if assessment.result is None:
        raise CommentaryLocked(NO_RESULT)
    commentary, _ = ReportCommentary.objects.select_for_update().get_or_create(
        assessment=assessment
    )
    return commentary


def _record(assessment: Assessment, kind: str, by: User, detail: str = "") -> None:
    AssessmentEvent.objects.create(assessment=assessment, kind=kind, user=by, detail=detail)
