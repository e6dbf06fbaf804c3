"""Demo data for `make run`: enough for a newcomer to see every part of the product at once."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction

from assessment.models import Action, Assessment, AssessmentEvent, QuestionBank
from assessment.scoring.followup import DoneAction, Reflection, follow_up
from assessment.scoring.results import Result
from assessment.selectors.banks import question_bank
from assessment.selectors.respondents import lead_respondent
from assessment.services.actions import action_update, actions_accept
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
    if not Action.objects.filter(team=fraud).exists():
        _plan(fraud, user, consultant)
        lines.append("Fraud detection: an action plan from 2026 Q2 and 2026 Q3.")
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


def _plan(team: Team, lead: User, consultant: User) -> None:
    """The plan a team would have: four actions taken from Q2's advice, three of them done
    before Q3 (two that Q3's answers reflect and one they do not, so its report has both),
    and three more from Q3's advice, still open."""
    q2, q3 = (Assessment.objects.get(team=team, label=label) for label in ("2026 Q2", "2026 Q3"))
    assert q2.result is not None
    assert q3.result is not None
    verdicts = follow_up(
        tuple(
            DoneAction(id=0, title="", practices=(rec["code"],))
            for rec in q2.result["recommendations"]
        ),
        Result.from_dict(q2.result),
        Result.from_dict(q3.result),
    )
    moved = [v.action.practices[0] for v in verdicts if v.reflection == Reflection.REFLECTED]
    stuck = [v.action.practices[0] for v in verdicts if v.reflection == Reflection.NOT_REFLECTED]
    chosen_q2 = [*moved[:2], *stuck[:2]]
    done_q2 = {*moved[:2], *stuck[:1]}
    chosen_q3 = [
        rec["code"] for rec in q3.result["recommendations"] if rec["code"] not in chosen_q2
    ][:3]
    owners = [lead, consultant, None, lead]
    for assessment, codes, done in ((q2, chosen_q2, done_q2), (q3, chosen_q3, set())):
        assert assessment.submitted_at is not None
        actions = actions_accept(
            assessment=assessment, codes=codes, by=lead, today=assessment.submitted_at.date()
        )
        for index, action in enumerate(actions):
            owner = owners[index]
            fields: dict[str, object] = {"owner_id": owner.pk if owner else None}
            if owner is None:
                fields["owner_name"] = "Sam (data platform team)"
            finished = action.practices[0] in done
            if finished:
                fields["status"] = Action.Status.DONE
            elif index == 0:
                fields["status"] = Action.Status.IN_PROGRESS
            action_update(action=action, by=lead, **fields)
            # Accepted at the review, an hour after the quarter was submitted.
            dates: dict[str, object] = {"created_at": assessment.submitted_at + timedelta(hours=1)}
            if finished:
                # Done a few weeks after the quarter's submission, before the next one.
                dates["done_at"] = assessment.submitted_at + timedelta(days=20 + 10 * index)
            Action.objects.filter(pk=action.pk).update(**dates)


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
