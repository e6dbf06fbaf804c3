"""Demo data for `make run`: enough for a newcomer to see every part of the product at once."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from assessment.models import Assessment, AssessmentEvent, QuestionBank
from assessment.selectors.banks import question_bank
from assessment.selectors.respondents import lead_respondent
from assessment.services.answers import AnswerData, answers_save
from assessment.services.assessments import (
    assessment_set_composition,
    assessment_start,
    assessment_submit,
)
from assessment.services.standings import team_standing_refresh
from core import services as core_services
from core.models import Organization, Role, Team

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo-maturity-2026"  # noqa: S105  (printed by `make run`; development only)
DEMO_BANK = ("mlops-maturity", "2.0")

# A plausible team: solid foundations, some pipeline automation, little CI/CD.
DEMO_COMPOSITION = {
    "business_sponsor": "present",
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


CONSULTANT_USERNAME = "consultant"
# Fraud detection's history: three quarters submitted, the fourth in progress.
FRAUD_QUARTERS = (
    ("2026 Q1", datetime(2026, 3, 27, 15, 0, tzinfo=UTC), 0.55),
    ("2026 Q2", datetime(2026, 6, 26, 15, 0, tzinfo=UTC), 0.3),
    ("2026 Q3", datetime(2026, 9, 25, 15, 0, tzinfo=UTC), 0.0),
)


@transaction.atomic
def demo_load() -> list[str]:
    """Create what is missing and leave what a user changed alone; say what was done."""
    user = _demo_user(DEMO_USERNAME, "Dana")
    consultant = _demo_user(CONSULTANT_USERNAME, "Chris")
    acme = _organization(
        "acme-analytics", "Acme Analytics", {user: Role.OWNER, consultant: Role.CONSULTANT}
    )
    globex = _organization("globex-retail", "Globex Retail", {consultant: Role.OWNER})
    fraud = _team(acme, "Fraud detection", "Scores card payments for fraud in real time.")
    forecasting = _team(acme, "Demand forecasting", "Weekly demand forecasts for 400 stores.")
    recommendations = _team(globex, "Recommendations", "Product recommendations on the web shop.")
    _team(globex, "Search ranking", "Ranks search results on the web shop.")
    lines = [
        f"Demo organisations {acme.name!r} and {globex.name!r} are ready.",
    ]
    bank = question_bank(*DEMO_BANK)
    if bank is None:
        lines.append("No question bank loaded: skipped the demo assessments.")
        return lines
    for label, submitted_at, weaker in FRAUD_QUARTERS:
        if not Assessment.objects.filter(team=fraud, label=label).exists():
            _assessment(fraud, bank, label, user, seed=3, weaker=weaker, submitted_at=submitted_at)
            lines.append(f"Fraud detection: {label} submitted.")
    if not Assessment.objects.filter(team=fraud, label="2026 Q4").exists():
        _assessment(fraud, bank, "2026 Q4", user, seed=3, answered_share=0.6)
        lines.append("Fraud detection: 2026 Q4 started as a draft.")
    for team, seed, owner in ((forecasting, 5, user), (recommendations, 7, consultant)):
        if not Assessment.objects.filter(team=team, label="2026 Q3").exists():
            _assessment(
                team,
                bank,
                "2026 Q3",
                owner,
                seed=seed,
                weaker=0.2,
                submitted_at=FRAUD_QUARTERS[-1][1],
            )
            lines.append(f"{team.name}: 2026 Q3 submitted.")
    return lines


def _organization(slug: str, name: str, members: dict[User, Role]) -> Organization:
    """The organisation with these members; the first (its owner) adds the others."""
    organization = core_services.organization_ensure(slug=slug, name=name)
    owner = next(iter(members))
    for member, role in members.items():
        if not organization.memberships.filter(user=member).exists():
            core_services.membership_add(
                organization=organization, user=member, role=role, by=owner
            )
    return organization


def _team(organization: Organization, name: str, description: str) -> Team:
    return core_services.team_ensure(organization=organization, name=name, description=description)


def _demo_user(username: str, first_name: str) -> User:
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=username, defaults={"email": f"{username}@example.com", "first_name": first_name}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def demo_answers(bank: QuestionBank, seed: int, weaker: float = 0.0) -> dict[str, AnswerData]:
    """Plausible answers; `weaker` lowers that share of them one step, for an earlier quarter."""
    rng = random.Random(seed)  # noqa: S311  (demo data, not security)
    step_down = {"1": "0.5", "0.5": "0", "0": "0", "unknown": "0"}
    answers = {}
    for q in bank.bank().questions:
        # Design is the demo team's strong phase: it reaches level 1 there.
        strong = q.phase == STRONG_PHASE and q.level == 1
        value = rng.choice(ANSWER_ODDS[0 if strong else q.level])
        if q.critical and (q.level == 0 or strong):
            value = "1"
        if rng.random() < weaker:
            value = step_down[value]
        evidence = f"https://wiki.acme.example/ml/{q.code.lower()}" if value == "1" else ""
        answers[q.code] = AnswerData(value=value, evidence=evidence)
    return answers


def _assessment(
    team: Team,
    bank: QuestionBank,
    label: str,
    user: User,
    *,
    seed: int,
    weaker: float = 0.0,
    submitted_at: datetime | None = None,
    answered_share: float = 1.0,
) -> Assessment:
    assessment = assessment_start(
        team=team, bank=bank, label=label, targets={"operations": 1}, by=user
    )
    assessment_set_composition(assessment=assessment, composition=DEMO_COMPOSITION, by=user)
    answers = demo_answers(bank, seed, weaker)
    keep = int(len(answers) * answered_share)
    answers_save(
        assessment=assessment,
        respondent=lead_respondent(assessment),
        changes=dict(list(answers.items())[:keep]),
        by=user,
    )
    if submitted_at is not None:
        assessment_submit(assessment=assessment, by=user)
        # Back-date it, so the demo shows a history of quarters.
        started = submitted_at - timedelta(days=5)
        Assessment.objects.filter(pk=assessment.pk).update(
            submitted_at=submitted_at, created_at=started
        )
        events = AssessmentEvent.objects.filter(assessment=assessment)
        events.exclude(kind=AssessmentEvent.Kind.SUBMITTED).update(at=started)
        events.filter(kind=AssessmentEvent.Kind.SUBMITTED).update(at=submitted_at)
        team_standing_refresh(team.pk)
    return assessment
