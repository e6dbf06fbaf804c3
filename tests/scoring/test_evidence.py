"""Evidence that counts: a link, or words naming an artefact; placeholders count as none."""

from __future__ import annotations

import pytest

from assessment.scoring.engine import score
from assessment.scoring.evidence import counts_as_evidence, is_placeholder, placeholder_message
from assessment.scoring.types import Answer, AnswerValue, AssessmentInput
from tests.scoring.tiny_bank import TINY_BANK


@pytest.mark.parametrize(
    "text",
    ["x", "yes", "Yes!", "TBD", "t.b.d.", "n/a", "N/A", "see above", "wiki", "MLflow", "done."],
)
def test_placeholders_name_nothing(text: str) -> None:
    assert is_placeholder(text)
    assert not counts_as_evidence(text)


@pytest.mark.parametrize(
    "text",
    [
        "https://mlflow.example/#/experiments/7",
        "s3://models/churn/v3",
        "MLflow experiment churn-v3",
        "Runbook 'Model rollback' in Confluence",
        "PR #1432 in repo fraud-models",
    ],
)
def test_links_and_named_artefacts_count(text: str) -> None:
    assert not is_placeholder(text)
    assert counts_as_evidence(text)


def test_no_evidence_is_allowed_and_is_not_a_placeholder() -> None:
    assert not is_placeholder("   ")
    assert not counts_as_evidence("   ")


def test_the_refusal_quotes_what_was_typed_and_says_what_would_do() -> None:
    message = placeholder_message("  yes ")
    assert "\u201cyes\u201d is not evidence" in message
    assert "MLflow experiment churn-v3" in message


def test_a_stored_placeholder_counts_as_no_evidence_and_is_listed() -> None:
    # Answers typed before the rule existed still say "yes": the engine must not count it.
    answers = {
        q.code: Answer(AnswerValue.AUTOMATED, evidence="https://e.example/1")
        for q in TINY_BANK.questions
    }
    answers["DES-1-01"] = Answer(AnswerValue.AUTOMATED, evidence="yes")

    result = score(TINY_BANK, AssessmentInput(answers=answers))

    cell = result.phase("design").cell(1)
    # (0.5 + 1) / 2 = 75 % < 80 % in the evidenced view; the claim itself is untouched.
    assert (cell.points, cell.evidenced_points, cell.evidenced_met) == (2.0, 1.5, False)
    assert result.phase("design").evidenced_level == 0
    assert result.weak_evidence == ("DES-1-01",)
    assert result.to_dict()["weak_evidence"] == ["DES-1-01"]


def test_an_answers_file_with_a_placeholder_is_read_and_the_placeholder_not_counted() -> None:
    # An export of an assessment typed before the rule must import back: flagged, not refused.
    from assessment.formats.answers_file import parse_answers_file

    given = parse_answers_file(
        {"bank": "tiny@1.0", "answers": {"DES-1-01": {"value": 1, "evidence": "yes"}}}, TINY_BANK
    )
    result = score(TINY_BANK, given)

    assert result.weak_evidence == ("DES-1-01",)
    assert result.phase("design").cell(1).evidenced_points == 0.5
