"""Helpers that post the questionnaire the way a browser does."""

from __future__ import annotations

from typing import Any

from assessment.models import Assessment


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


def answer_everything(client, assessment: Assessment, value: str = "1") -> None:
    bank = assessment.bank.bank()
    for phase in bank.phases:
        answers = {q.code: value for q in bank.questions_in(phase.code)}
        response = client.post(
            f"/assessments/{assessment.pk}/phases/{phase.code}/",
            phase_post_data(assessment, phase.code, answers),
        )
        assert response.status_code == 302, response.content.decode()[:2000]
