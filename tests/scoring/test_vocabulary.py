"""One vocabulary of answers: the words for each answer, presence and role action live on their
enums, and every page, form, export and report section reads them from there."""

from __future__ import annotations

import pytest

from assessment.forms.consensus import final_choices
from assessment.forms.questionnaire import PRESENCE_CHOICES, answer_choices
from assessment.reports.report import build_report
from assessment.reports.sections.cover import Cover
from assessment.scoring.engine import score
from assessment.scoring.results import RoleAction
from assessment.scoring.types import (
    NOT_ANSWERED,
    Answer,
    AnswerValue,
    AssessmentInput,
    Presence,
    answer_label,
)
from assessment.selectors.consensus import ConsensusRow
from tests.scoring.tiny_bank import TINY_BANK


def test_every_answer_has_its_words():
    assert [value.label for value in AnswerValue] == [
        "Not in place",
        "Done manually",
        "Automated",
        "Not applicable",
        "Don't know",
    ]


@pytest.mark.parametrize(
    ("level", "expected"), [(0, "Institutionalised"), (1, "Automated"), (2, "Automated")]
)
def test_a_practice_fully_in_place_is_institutionalised_at_level_0_and_automated_above(
    level, expected
):
    assert AnswerValue.AUTOMATED.label_at(level) == expected
    assert AnswerValue.MANUAL.label_at(level) == "Done manually"


def test_a_stored_answer_without_a_value_reads_not_answered():
    assert answer_label("", 0) == NOT_ANSWERED == "Not answered"
    assert answer_label("1", 0) == "Institutionalised"


def test_presence_and_role_action_words():
    assert [(p.label, p.description) for p in Presence] == [
        ("Present", "someone in the team has this role"),
        ("Shared", "part-time, or borrowed from another team"),
        ("Absent", "nobody covers it"),
        ("Not stated", "the team did not say"),
    ]
    assert [a.label for a in RoleAction] == [
        "Add this role",
        "Give to someone in the team",
        "Strengthen",
        "OK",
    ]
    assert PRESENCE_CHOICES[0] == ("present", "Present: someone in the team has this role")


@pytest.mark.parametrize("question", TINY_BANK.questions, ids=lambda q: q.code)
def test_the_form_the_consensus_view_and_the_report_use_the_same_words(question):
    """What the team ticked is what the client reads: for every question, the questionnaire's
    radio title, the lead's final-answer choice and the report's appendix agree."""
    given = AssessmentInput(
        answers={q.code: Answer(AnswerValue.AUTOMATED, evidence="x") for q in TINY_BANK.questions}
    )
    report = build_report(TINY_BANK, score(TINY_BANK, given), Cover("Acme", "Fraud", "Q4", None))
    appendix = {
        row.code: row.answer
        for phase in report.appendix
        for lv in phase.levels
        for lv_row in [lv]
        for row in lv_row.rows
    }
    radio = dict(answer_choices(question))[AnswerValue.AUTOMATED.value]
    row = ConsensusRow(question, (), None, False, None, "")
    final = dict(final_choices(row))[AnswerValue.AUTOMATED.value]

    words = AnswerValue.AUTOMATED.label_at(question.level)
    assert str(radio).startswith(f"{words}:")
    assert final == words
    assert appendix[question.code] == words
