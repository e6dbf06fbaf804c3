"""Writes to a report's commentary: save the draft or publish it (freezing the words and the
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
STALE = (
    "The assessment was submitted again while you were writing, so nothing is saved yet: your "
    "words are kept below. Check them against the new figures, then save again."
)


class CommentaryLocked(Exception):
    """A write the commentary's state does not allow; the message says what to do."""


def commentary_save(
    *,
    assessment: Assessment,
    executive: str,
    notes: dict[str, str],
    seen_version: int,
    by: User,
    publish: bool = False,
) -> ReportCommentary:
    """Save the draft and, with `publish`, freeze it with the organisation's current branding.
    `seen_version`: the result version the writer was reading; words written about figures that
    have since been replaced by a new submission are refused, not published."""
    with transaction.atomic():
        # The assessment first, as a submission locks it: the figures cannot change meanwhile.
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if locked.result is None:
            raise CommentaryLocked(NO_RESULT)
        if locked.result_version != seen_version:
            raise CommentaryLocked(STALE)
        commentary, _ = ReportCommentary.objects.select_for_update().get_or_create(
            assessment=locked
        )
        if commentary.is_published:
            raise CommentaryLocked(PUBLISHED)
        commentary.executive = executive.strip()
        commentary.notes = {anchor: text.strip() for anchor, text in notes.items() if text.strip()}
        commentary.updated_by = by
        _record(locked, AssessmentEvent.Kind.COMMENTARY_SAVED, by)
        if publish:
            commentary.frozen = {
                "branding": _branding_now(locked.team.organization_id),
                "commentary": {"executive": commentary.executive, "notes": commentary.notes},
            }
            commentary.published_at, commentary.published_by = timezone.now(), by
            _record(locked, AssessmentEvent.Kind.COMMENTARY_PUBLISHED, by)
        commentary.save()
    return commentary


def _branding_now(organization_id: int) -> dict[str, str]:
    branding = ReportBranding.objects.filter(organization_id=organization_id).first()
    if branding is None:
        return {"prepared_by": "", "firm": "", "confidentiality": "", "logo": ""}
    return {
        "prepared_by": branding.prepared_by,
        "firm": branding.firm,
        "confidentiality": branding.confidentiality,
        "logo": base64.b64encode(bytes(branding.logo)).decode("ascii"),
    }


def commentary_withdraw(*, assessment: Assessment, by: User, detail: str = "") -> bool:
    """Back to a draft that follows the organisation's branding again; the words are kept.
    False when there was no publication to withdraw."""
    with transaction.atomic():
        commentary = (
            ReportCommentary.objects.select_for_update().filter(assessment=assessment).first()
        )
        if commentary is None or not commentary.is_published:
            return False
        commentary.published_at = commentary.published_by = commentary.frozen = None
        commentary.save()
        _record(assessment, AssessmentEvent.Kind.COMMENTARY_WITHDRAWN, by, detail)
    return True


def _record(assessment: Assessment, kind: str, by: User, detail: str = "") -> None:
    AssessmentEvent.objects.create(assessment=assessment, kind=kind, user=by, detail=detail)
