"""Data for `bench/load.py` beyond the demo: a team assessment answered by 20 respondents.

Run by load.py after `migrate`, `load_question_bank` and `load_demo`, with the server's
environment. Prints one JSON object: the ids and question codes the load clients need. Idempotent.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "core.settings")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import django

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.db import transaction  # noqa: E402

from assessment.models import Assessment  # noqa: E402
from assessment.selectors.assessments import team_assessments  # noqa: E402
from assessment.selectors.banks import question_bank  # noqa: E402
from assessment.selectors.respondents import lead_respondent, respondents  # noqa: E402
from assessment.services.answers import answers_save  # noqa: E402
from assessment.services.assessments import (  # noqa: E402
    assessment_set_composition,
    assessment_start,
)
from assessment.services.demo import (  # noqa: E402
    DEMO_BANK,
    DEMO_COMPOSITION,
    DEMO_USERNAME,
    demo_answers,
)
from assessment.services.respondents import respondent_add  # noqa: E402
from core.models import Organization, Role  # noqa: E402
from core.services import membership_add  # noqa: E402

RESPONDENTS = 20  # the lead included
TEAM_LABEL = "Load test: 20 respondents"
PHASE = "design"


def team_assessment(organization: Organization, lead: User) -> Assessment:
    """A draft on "Demand forecasting" led by the demo user, every respondent having answered."""
    team = organization.teams.get(name="Demand forecasting")
    existing = [a for a in team_assessments(team) if a.label == TEAM_LABEL]
    if existing:
        return existing[0]
    bank_model = question_bank(*DEMO_BANK)
    assert bank_model is not None, "load_question_bank must run first"
    bank = bank_model.bank()
    roles = [role.code for role in bank.roles]
    phases = [phase.code for phase in bank.phases]
    with transaction.atomic():
        assessment = assessment_start(
            team=team, bank=bank_model, label=TEAM_LABEL, targets={"operations": 1}, by=lead
        )
        assessment_set_composition(assessment=assessment, composition=DEMO_COMPOSITION, by=lead)
        answers_save(
            assessment=assessment,
            respondent=lead_respondent(assessment),
            changes=demo_answers(bank_model, seed=0),
            by=lead,
        )
        for n in range(1, RESPONDENTS):
            user = get_user_model().objects.create_user(
                username=f"load{n:02d}", email=f"load{n:02d}@example.com", first_name=f"Load {n}"
            )
            membership_add(organization=organization, user=user, role=Role.MEMBER, by=lead)
            respondent = respondent_add(
                assessment=assessment,
                user=user,
                role=roles[n % len(roles)],
                phases=phases,
                by=lead,
            )
            answers_save(
                assessment=assessment,
                respondent=respondent,
                changes=demo_answers(bank_model, seed=n, weaker=0.3),
                by=user,
            )
    return assessment


def main() -> None:
    lead = get_user_model().objects.get(username=DEMO_USERNAME)
    organization = Organization.objects.get(slug="acme-analytics")
    fraud = organization.teams.get(name="Fraud detection")
    by_label = {a.label: a for a in team_assessments(fraud)}
    draft, submitted = by_label["2026 Q4"], by_label["2026 Q3"]
    team = team_assessment(organization, lead)
    questions = draft.bank.bank().questions_in(PHASE)
    print(
        json.dumps(
            {
                "draft": draft.pk,
                "submitted": submitted.pk,
                "team": team.pk,
                "respondents": len(respondents(team)),
                "phase": PHASE,
                "questions": [[q.code, q.allow_na] for q in questions],
            }
        )
    )


if __name__ == "__main__":
    main()
