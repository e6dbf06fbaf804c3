"""Helpers that post the questionnaire the way a browser does."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from assessment.models import Assessment, QuestionBank


def phase_post_data(
    assessment: Assessment,
    phase: str,
    answers: dict[str, Any],
    *,
    seen: dict[str, str] | None = None,
) -> dict[str, str]:
    """Form data for a phase page: the answers given plus the hidden "initial-" copies of what
    the page showed (empty unless `seen` says otherwise), as the rendered form would post."""
    bank = assessment.bank.bank()
    seen = seen or {}
    data: dict[str, str] = {}
    for q in bank.questions_in(phase):
        for part in ("value", "evidence", "note") + (("reason",) if q.allow_na else ()):
            data[f"initial-{q.code}-{part}"] = seen.get(f"{q.code}-{part}", "")
    for code, answer in answers.items():
        if isinstance(answer, dict):
            for part, value in answer.items():
                data[f"{code}-{part}"] = value
        else:
            data[f"{code}-value"] = answer
    return data


def answer_everything(client: Client, assessment: Assessment, value: str = "1") -> None:
    """Answer every question through the phase pages, as the client's user: for tests of the
    questionnaire itself."""
    bank = assessment.bank.bank()
    for phase in bank.phases:
        answers = {q.code: value for q in bank.questions_in(phase.code)}
        response = client.post(
            f"/assessments/{assessment.pk}/phases/{phase.code}/",
            phase_post_data(assessment, phase.code, answers),
        )
        assert response.status_code == 302, response.content.decode()[:2000]


def answer_everything_via_services(user: User, assessment: Assessment, value: str = "1") -> None:
    """Store what `answer_everything` stores, through the service the phase pages call (one save
    per phase, as `user`'s respondent): for tests whose subject is not the questionnaire."""
    from assessment.services.answers import AnswerData, answers_save

    bank = assessment.bank.bank()
    respondent = assessment.respondents.get(user=user)
    for phase in bank.phases:
        answers_save(
            assessment=assessment,
            respondent=respondent,
            changes={q.code: AnswerData(value=value) for q in bank.questions_in(phase.code)},
            by=user,
        )


def load_bank_with_renamed_question(
    folder: Path, *, old: str = "DES-0-01", new: str = "DES-0-10"
) -> QuestionBank:
    """Publish mlops-maturity 2.1, identical to 2.0 but for one question renamed from `old` to
    `new` (declaring `replaces: [old]`), and return it."""
    import copy
    import io

    import yaml
    from django.core.management import call_command

    from tests.bundled import mlops_bank_file

    data = copy.deepcopy(mlops_bank_file().data)
    data["version"] = "2.1"
    renamed = next(q for q in data["questions"] if q["code"] == old)
    renamed["code"] = new
    renamed["replaces"] = [old]
    for question in data["questions"]:  # what needed the old code now needs the new one
        question["depends_on"] = [
            new if code == old else code for code in question.get("depends_on", [])
        ]
    path = folder / "mlops-maturity" / "2.1.yaml"
    path.parent.mkdir(parents=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    call_command("load_question_bank", str(path), stdout=io.StringIO())
    return QuestionBank.objects.get(slug="mlops-maturity", version="2.1")


def demo_paths() -> list[str]:
    """The pages a user of the demo reaches, with its real data: three quarters of history, a
    draft, confirmation pages. Shared by the phone-width and the HTML tests."""
    from assessment.models import Action, Assessment

    fraud = Assessment.objects.filter(team__name="Fraud detection")
    submitted = fraud.filter(status="submitted").order_by("submitted_at")
    first, last = submitted.first(), submitted.last()
    assert first is not None
    assert last is not None
    draft = fraud.get(status="draft")
    team, org = last.team, last.team.organization.slug
    return [
        "/",
        f"/orgs/{org}/",
        f"/orgs/{org}/members/",
        f"/orgs/{org}/activity/",
        f"/teams/{team.pk}/",
        f"/teams/{team.pk}/compare/?before={first.pk}&after={last.pk}",
        f"/teams/{team.pk}/assessments/new/",
        f"/teams/{team.pk}/assessments/import/",
        f"/assessments/{draft.pk}/team/",
        f"/assessments/{draft.pk}/phases/design/",
        f"/assessments/{draft.pk}/review/",
        f"/assessments/{draft.pk}/respondents/",
        f"/assessments/{draft.pk}/consensus/",
        f"/assessments/{draft.pk}/submit/",
        f"/assessments/{last.pk}/result/",
        f"/assessments/{last.pk}/report/",
        f"/assessments/{last.pk}/reopen/",
        f"/assessments/{last.pk}/commentary/",
        f"/assessments/{last.pk}/shares/",
        f"/orgs/{org}/branding/",
        f"/orgs/{org}/settings/",
        f"/orgs/{org}/teams/new/",
        f"/teams/{team.pk}/settings/",
        "/orgs/new/",
        "/account/",
        "/accounts/email/",
        "/accounts/2fa/",
        f"/teams/{team.pk}/plan/",
        f"/assessments/{last.pk}/plan/",
        f"/actions/{Action.objects.filter(team=team).order_by('pk').first().pk}/",  # type: ignore[union-attr]
        f"/orgs/{org}/actions/",
        f"/orgs/{org}/webhooks/",
    ]
