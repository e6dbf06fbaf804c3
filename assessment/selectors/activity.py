"""An organisation's activity log: changes to who belongs, and what happened to each of its
assessments, newest first."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from assessment.models import AssessmentEvent
from core.models import Organization, OrganizationEvent
from core.selectors import display_name

ACTIVITY_LIMIT = 200  # the page shows the latest entries; older ones stay in the database


@dataclass(frozen=True)
class ActivityEntry:
    at: datetime
    who: str
    what: str  # the kind of event, in words
    subject: str  # "Fraud detection · 2026 Q4" for an assessment's event, else ""
    assessment_id: int | None
    detail: str


def organization_activity(
    organization: Organization, *, limit: int = ACTIVITY_LIMIT
) -> list[ActivityEntry]:
    """Two queries, whatever the number of events."""
    organization_events = (
        OrganizationEvent.objects.filter(organization=organization)
        .select_related("user")
        .order_by("-at", "-pk")[:limit]
    )
    assessment_events = (
        AssessmentEvent.objects.filter(assessment__team__organization=organization)
        .select_related("user", "assessment__team")
        .only(
            "at",
            "kind",
            "detail",
            "user__username",
            "user__first_name",
            "user__last_name",
            "assessment__label",
            "assessment__team__name",
        )
        .order_by("-at", "-pk")[:limit]
    )
    entries = [
        ActivityEntry(
            at=event.at,
            who=display_name(event.user),
            what=event.get_kind_display(),
            subject="",
            assessment_id=None,
            detail=event.detail,
        )
        for event in organization_events
    ] + [
        ActivityEntry(
            at=event.at,
            who=display_name(event.user),
            what=event.get_kind_display(),
            subject=f"{event.assessment.team.name} · {event.assessment.label}",
            assessment_id=event.assessment_id,
            detail=event.detail,
        )
        for event in assessment_events
    ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]
