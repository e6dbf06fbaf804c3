"""Demo data for `make run`: enough for a newcomer to see every part of the product at once."""

from __future__ import annotations

import random

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from assessment import services
from assessment.models import Assessment, QuestionBank
from assessment.services import AnswerData
from core.models import Membership, Organization, Role, Team

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-maturity-2026"  # noqa: S105  (printed by `make run`; development only)
DEMO_BANK = ("mlops-maturity", "1.0")

# A plausible team: solid foundations, some pipeline automation, little CI/CD.
DEMO_COMPOSITION = {
    "subject_matter_expert": "shared",
    "product_owner": "present",
    "data_analyst": "present",
    "data_scientist": "present",
    "data_engineer": "present",
    "ml_engineer": "absent",
    "software_engineer": "shared",
    "ml_architect": "absent",
    "devops_engineer": "shared",
    "security_compliance": "absent",
    "qa_engineer": "absent",
}
# Likely answers per level; the demo draws from them with a fixed seed, so it is reproducible.
ANSWER_ODDS = {
    0: ["1", "1", "1", "1", "0.5"],
    1: ["1", "1", "0.5", "0.5", "0"],
    2: ["0", "0", "0.5", "unknown", "0"],
}
STRONG_PHASE = "design"


@transaction.atomic
def demo_load() -> list[str]:
    """Create what is missing and leave what a user changed alone; say what was done."""
    user = _demo_user()
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
    lines = [f"Demo organisation {organization.name!r} with team {fraud.name!r} is ready."]
    bank = QuestionBank.objects.filter(slug=DEMO_BANK[0], version=DEMO_BANK[1]).first()
    if bank is None:
        lines.append("No question bank loaded: skipped the demo assessments.")
        return lines
    if not Assessment.objects.filter(team=fraud, label="2026 Q3").exists():
        _assessment(fraud, bank, "2026 Q3", user, seed=3, submit=True)
        lines.append("Demo assessment '2026 Q3' submitted.")
    if not Assessment.objects.filter(team=fraud, label="2026 Q4").exists():
        _assessment(fraud, bank, "2026 Q4", user, seed=4, submit=False, answered_share=0.6)
        lines.append("Demo assessment '2026 Q4' started as a draft.")
    return lines


def _demo_user() -> AbstractBaseUser:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"email": "demo@example.com", "first_name": "Dana"}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def demo_answers(bank: QuestionBank, seed: int) -> dict[str, AnswerData]:
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    answers = {}
    for q in bank.bank().questions:
        # Design is the demo team's strong phase: it reaches level 1 there.
        strong = q.phase == STRONG_PHASE and q.level == 1
        value = rng.choice(ANSWER_ODDS[0 if strong else q.level])
        if q.critical and (q.level == 0 or strong):
            value = "1"
        evidence = f"https://wiki.acme.example/ml/{q.code.lower()}" if value == "1" else ""
        answers[q.code] = AnswerData(value=value, evidence=evidence)
    return answers


def _assessment(
    team: Team,
    bank: QuestionBank,
    label: str,
    user: AbstractBaseUser,
    *,
    seed: int,
    submit: bool,
    answered_share: float = 1.0,
) -> Assessment:
    assessment = services.assessment_start(
        team=team, bank=bank, label=label, targets={"operations": 1}, by=user
    )
    services.assessment_set_composition(
        assessment=assessment, composition=DEMO_COMPOSITION, by=user
    )
    answers = demo_answers(bank, seed)
    keep = int(len(answers) * answered_share)
    services.answers_save(
        assessment=assessment,
        respondent=assessment.respondents.get(is_lead=True),
        changes=dict(list(answers.items())[:keep]),
        by=user,
    )
    if submit:
        services.assessment_submit(assessment=assessment, by=user)
    return assessment
