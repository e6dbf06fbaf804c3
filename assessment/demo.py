"""Demo data for `make run`: enough for a newcomer to see every part of the product at once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from core.models import Membership, Organization, Role, Team

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-maturity-2026"  # noqa: S105  (printed by `make run`; development only)


@transaction.atomic
def demo_load() -> list[str]:
    """Create what is missing and leave what a user changed alone; say what was done."""
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"email": "demo@example.com", "first_name": "Dana"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    organization, _ = Organization.objects.get_or_create(
        slug="acme-analytics", defaults={"name": "Acme Analytics"}
    )
    Membership.objects.get_or_create(
        user=user, organization=organization, defaults={"role": Role.OWNER}
    )
    fraud, _ = Team.objects.get_or_create(
        organization=organization,
        name="Fraud detection",
        defaults={"description": "Scores card payments for fraud in real time."},
    )
    Team.objects.get_or_create(
        organization=organization,
        name="Demand forecasting",
        defaults={"description": "Weekly demand forecasts for 400 stores."},
    )
    return [f"Demo organisation {organization.name!r} with team {fraud.name!r} is ready."]
