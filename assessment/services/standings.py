"""Each team's row on the organisation dashboard, kept current at every submission and reopening."""

from __future__ import annotations

from assessment.models import Assessment, AssessmentStatus, TeamStanding
from assessment.scoring.summary import trend_between
from core.models import Team


def team_standing_refresh(team_id: int) -> TeamStanding:
    """Recompute a team's dashboard row from its two latest submitted assessments. Call it
    inside the transaction that changed them."""
    # Lock the team first: two submissions of one team at once must not each write a standing
    # that misses the other.
    Team.objects.select_for_update().filter(pk=team_id).first()
    latest_two = list(
        Assessment.objects.filter(team_id=team_id, status=AssessmentStatus.SUBMITTED)
        .order_by("-submitted_at", "-pk")
        .only("id", "label", "submitted_at", "summary")[:2]
    )
    entries = [
        {
            "id": a.pk,
            "label": a.label,
            "submitted_at": a.submitted_at.isoformat() if a.submitted_at else None,
            "summary": a.summary,
        }
        for a in latest_two
    ]
    trend = ""
    if len(latest_two) > 1:
        before, after = latest_two[1].summary, latest_two[0].summary
        # Every submission stores its summary.
        assert before is not None
        assert after is not None
        trend = trend_between(before, after)
    standing, _ = TeamStanding.objects.update_or_create(
        team_id=team_id,
        defaults={"latest": entries[0] if entries else None, "trend": trend},
    )
    return standing
