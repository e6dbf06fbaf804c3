"""Answers files: every mistake is named, with where it is, and all of them at once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assessment.formats import answers_file as af
from assessment.formats.answers_file import (
    AnswersFileError,
    bank_key,
    parse_answers_file,
    read_answers_file,
)
from assessment.scoring.types import Answer, AnswerValue, AssessmentInput, Presence
from tests.scoring.tiny_bank import TINY_BANK

ISSUE_EXAMPLE = """\
bank: tiny@1.0
answers:
  DES-0-01: 1
  DES-0-02: {value: 0.5, evidence: "https://wiki.example/kpis", note: "reviewed quarterly"}
  OPS-1-03: {value: na, reason: "batch scoring only"}
team: {data_scientist: present, ml_engineer: absent}
targets: {operations: 1}
"""


def problems_in(data: object) -> list[str]:
    with pytest.raises(AnswersFileError) as raised:
        parse_answers_file(data, TINY_BANK)
    return raised.value.problems


def with_answers(**answers: object) -> dict[str, object]:
    return {"bank": "tiny@1.0", "answers": {k.replace("_", "-"): v for k, v in answers.items()}}


# --- a good file -------------------------------------------------------------------------------


def test_it_reads_the_documented_example(tmp_path: Path) -> None:
    path = tmp_path / "acme.yaml"
    path.write_text(ISSUE_EXAMPLE, encoding="utf-8")

    given = parse_answers_file(read_answers_file(path), TINY_BANK)

    assert given == AssessmentInput(
        answers={
            "DES-0-01": Answer(AnswerValue.AUTOMATED),
            "DES-0-02": Answer(
                AnswerValue.MANUAL,
                evidence="https://wiki.example/kpis",
                note="reviewed quarterly",
            ),
            "OPS-1-03": Answer(AnswerValue.NOT_APPLICABLE, reason="batch scoring only"),
        },
        team={"data_scientist": Presence.PRESENT, "ml_engineer": Presence.ABSENT},
        targets={"operations": 1},
        threshold=80.0,
    )


def test_it_reads_the_same_file_as_json(tmp_path: Path) -> None:
    yaml_path = tmp_path / "acme.yml"
    yaml_path.write_text(ISSUE_EXAMPLE, encoding="utf-8")
    json_path = tmp_path / "acme.json"
    json_path.write_text(json.dumps(read_answers_file(yaml_path)), encoding="utf-8")

    assert parse_answers_file(read_answers_file(json_path), TINY_BANK) == parse_answers_file(
        read_answers_file(yaml_path), TINY_BANK
    )


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (0, AnswerValue.NOT_IN_PLACE),
        (0.5, AnswerValue.MANUAL),
        ("0.5", AnswerValue.MANUAL),
        (1.0, AnswerValue.AUTOMATED),
        ("unknown", AnswerValue.UNKNOWN),
        ("Unknown", AnswerValue.UNKNOWN),
    ],
)
def test_it_accepts_every_spelling_of_an_answer(raw: object, value: AnswerValue) -> None:
    given = parse_answers_file(with_answers(DES_0_01=raw), TINY_BANK)

    assert given.answers == {"DES-0-01": Answer(value)}


def test_a_blank_answer_or_section_means_not_answered_yet() -> None:
    data = {"bank": "tiny@1.0", "answers": {"DES-0-01": None}, "team": None, "targets": None}

    assert parse_answers_file(data, TINY_BANK) == AssessmentInput()


def test_it_reads_a_threshold() -> None:
    given = parse_answers_file({"bank": "tiny@1.0", "threshold": 70}, TINY_BANK)

    assert given.threshold == 70.0


def test_bank_key_splits_slug_and_version() -> None:
    assert bank_key({"bank": "mlops-maturity@1.0"}) == ("mlops-maturity", "1.0")
    assert bank_key({"bank": " tiny@2.1.3 "}) == ("tiny", "2.1.3")


# --- each kind of mistake, with its exact message ---------------------------------------------


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({}, 'bank: missing; write the bank as slug@version, e.g. "mlops-maturity@1.0"'),
        (
            {"bank": "tiny 1.0"},
            'bank: "tiny 1.0" is not slug@version, e.g. "mlops-maturity@1.0"',
        ),
        ({"bank": 1.0}, 'bank: 1.0 is not slug@version, e.g. "mlops-maturity@1.0"'),
        (
            {"bank": "mlops-maturity@1.0"},
            "bank: the file is for mlops-maturity@1.0, but the bank is tiny@1.0",
        ),
        ({"bank": "tiny@1.1"}, "bank: the file is for tiny@1.1, but the bank is tiny@1.0"),
        (
            {"bank": "tiny@1.0", "answer": {}},
            'the file: unknown key "answer"; expected bank, answers, team, targets, threshold',
        ),
        (
            {"bank": "tiny@1.0", "answers": ["DES-0-01"]},
            "answers: must be a mapping of keys to values",
        ),
        ({"bank": "tiny@1.0", "team": "everyone"}, "team: must be a mapping of keys to values"),
        (with_answers(XYZ_0_01=1), "answers.XYZ-0-01: no such question in tiny@1.0"),
        (
            with_answers(DES_0_01=2),
            "answers.DES-0-01: 2 is not an answer; use 0, 0.5, 1, na or unknown",
        ),
        (
            with_answers(DES_0_01="yes"),
            'answers.DES-0-01: "yes" is not an answer; use 0, 0.5, 1, na or unknown',
        ),
        (
            with_answers(DES_0_01=True),
            "answers.DES-0-01: true is not an answer; use 0, 0.5, 1, na or unknown",
        ),
        (
            with_answers(DES_0_01={"value": 0.75}),
            "answers.DES-0-01: 0.75 is not an answer; use 0, 0.5, 1, na or unknown",
        ),
        (
            with_answers(DES_0_01={"value": "na", "reason": "not ours"}),
            'answers.DES-0-01: "na" is not allowed for this question',
        ),
        (with_answers(DES_0_01="na"), 'answers.DES-0-01: "na" is not allowed for this question'),
        (with_answers(OPS_1_03="na"), 'answers.OPS-1-03: "na" needs a reason'),
        (
            with_answers(OPS_1_03={"value": "na", "reason": "  "}),
            'answers.OPS-1-03: "na" needs a reason',
        ),
        (with_answers(DES_0_01={"evidence": "x"}), "answers.DES-0-01: missing value"),
        (
            with_answers(DES_0_01={"value": 1, "evidance": "x"}),
            'answers.DES-0-01: unknown key "evidance"; expected value, evidence, note, reason',
        ),
        (
            with_answers(DES_0_01={"value": 1, "evidence": 2024}),
            "answers.DES-0-01.evidence: must be text, not 2024",
        ),
        (
            with_answers(DES_0_01={"value": 1, "note": ["a", "b"]}),
            'answers.DES-0-01.note: must be text, not ["a", "b"]',
        ),
        (
            with_answers(DES_0_01={"value": 1, "evidence": "x" * 2001}),
            "answers.DES-0-01.evidence: 2001 characters; at most 2000",
        ),
        (
            {"bank": "tiny@1.0", "team": {"wizard": "present"}},
            "team.wizard: no such role in tiny@1.0",
        ),
        (
            {"bank": "tiny@1.0", "team": {"ml_engineer": "sometimes"}},
            'team.ml_engineer: "sometimes" is not a presence; '
            "use present, shared, absent or unknown",
        ),
        (
            {"bank": "tiny@1.0", "team": {"ml_engineer": True}},
            "team.ml_engineer: true is not a presence; use present, shared, absent or unknown",
        ),
        ({"bank": "tiny@1.0", "targets": {"sales": 1}}, "targets.sales: no such phase in tiny@1.0"),
        (
            {"bank": "tiny@1.0", "targets": {"design": 3}},
            "targets.design: 3 is not a level; use a whole number from 0 to 2",
        ),
        (
            {"bank": "tiny@1.0", "targets": {"design": 1.5}},
            "targets.design: 1.5 is not a level; use a whole number from 0 to 2",
        ),
        (
            {"bank": "tiny@1.0", "targets": {"design": True}},
            "targets.design: true is not a level; use a whole number from 0 to 2",
        ),
        (
            {"bank": "tiny@1.0", "threshold": 0},
            "threshold: 0 must be a number above 0 and at most 100",
        ),
        (
            {"bank": "tiny@1.0", "threshold": "80%"},
            'threshold: "80%" must be a number above 0 and at most 100',
        ),
    ],
)
def test_it_names_the_problem_and_where_it_is(data: object, problem: str) -> None:
    assert problems_in(data) == [problem]


def test_evidence_of_exactly_2000_characters_is_fine() -> None:
    given = parse_answers_file(
        with_answers(DES_0_01={"value": 1, "evidence": "x" * 2000}), TINY_BANK
    )

    assert len(given.answers["DES-0-01"].evidence) == 2000


def test_the_file_must_be_a_mapping() -> None:
    assert problems_in(["DES-0-01: 1"]) == ["the file: must be a mapping of keys to values"]


def test_it_lists_every_problem_at_once() -> None:
    data = {
        "bank": "tiny@9.9",
        "answers": {
            "DES-0-01": 3,
            "DES-0-02": {"value": "na"},
            "OPS-1-03": "na",
            "NOPE": 1,
            "DES-1-01": {"value": 1, "evidence": "e" * 2500},
        },
        "team": {"wizard": "present", "ml_engineer": "maybe"},
        "targets": {"sales": 1, "design": -1},
        "threshold": 101,
        "extra": True,
    }

    problems = problems_in(data)

    assert problems == [
        'the file: unknown key "extra"; expected bank, answers, team, targets, threshold',
        "bank: the file is for tiny@9.9, but the bank is tiny@1.0",
        "answers.DES-0-01: 3 is not an answer; use 0, 0.5, 1, na or unknown",
        'answers.DES-0-02: "na" is not allowed for this question',
        'answers.OPS-1-03: "na" needs a reason',
        "answers.NOPE: no such question in tiny@1.0",
        "answers.DES-1-01.evidence: 2500 characters; at most 2000",
        "team.wizard: no such role in tiny@1.0",
        'team.ml_engineer: "maybe" is not a presence; use present, shared, absent or unknown',
        "targets.sales: no such phase in tiny@1.0",
        "targets.design: -1 is not a level; use a whole number from 0 to 2",
        "threshold: 101 must be a number above 0 and at most 100",
    ]


def test_the_error_message_lists_the_problems() -> None:
    error = AnswersFileError(["answers.A: first", "team.b: second"])

    assert str(error) == "The answers file has 2 problem(s):\n- answers.A: first\n- team.b: second"
    assert af.ERROR_HEADING == "The answers file has {count} problem(s):"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({}, 'bank: missing; write the bank as slug@version, e.g. "mlops-maturity@1.0"'),
        ({"bank": "Tiny@1.0"}, 'bank: "Tiny@1.0" is not slug@version, e.g. "mlops-maturity@1.0"'),
        ({"bank": "tiny@"}, 'bank: "tiny@" is not slug@version, e.g. "mlops-maturity@1.0"'),
        ("bank: tiny@1.0", "the file: must be a mapping of keys to values"),
    ],
)
def test_bank_key_refuses_a_bad_bank_field(data: object, problem: str) -> None:
    with pytest.raises(AnswersFileError) as raised:
        bank_key(data)

    assert raised.value.problems == [problem]


# --- reading files -----------------------------------------------------------------------------


def read_problems(path: Path) -> list[str]:
    with pytest.raises(AnswersFileError) as raised:
        read_answers_file(path)
    return raised.value.problems


def test_it_refuses_other_file_types(tmp_path: Path) -> None:
    path = tmp_path / "answers.txt"
    path.write_text("bank: tiny@1.0", encoding="utf-8")

    assert read_problems(path) == [f"{path}: use a .yaml, .yml or .json file"]


def test_it_reports_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"

    assert read_problems(path) == [f"{path}: cannot read the file (No such file or directory)"]


def test_it_reports_invalid_yaml(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("answers: {DES-0-01: 1\n", encoding="utf-8")

    (problem,) = read_problems(path)

    assert problem.startswith(f"{path}: not valid YAML (")


def test_it_reports_invalid_json(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"bank": ', encoding="utf-8")

    (problem,) = read_problems(path)

    assert problem.startswith(f"{path}: not valid JSON (")


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("twice.yaml", "bank: tiny@1.0\nanswers:\n  DES-0-01: 1\n  DES-0-01: 0\n"),
        ("twice.json", '{"bank": "tiny@1.0", "answers": {"DES-0-01": 1, "DES-0-01": 0}}'),
    ],
)
def test_it_refuses_a_question_answered_twice(tmp_path: Path, name: str, text: str) -> None:
    # YAML and JSON parsers keep the last value silently; a consultant's copy-paste slip must not.
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")

    assert read_problems(path) == [f'{path}: "DES-0-01" appears twice in the same mapping']


def test_it_refuses_a_file_that_is_not_a_mapping(tmp_path: Path) -> None:
    path = tmp_path / "list.yaml"
    path.write_text("- DES-0-01\n", encoding="utf-8")

    assert read_problems(path) == [f"{path}: must be a mapping of keys to values"]


def test_it_does_not_run_yaml_tags(tmp_path: Path) -> None:
    path = tmp_path / "evil.yaml"
    path.write_text("bank: !!python/object/apply:os.system ['true']\n", encoding="utf-8")

    (problem,) = read_problems(path)

    assert problem.startswith(f"{path}: not valid YAML (")


# --- hostile files -----------------------------------------------------------------------------


def test_a_file_larger_than_an_answers_file_can_be_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("bank: tiny@1.0\n# " + "x" * (2 * 1024 * 1024) + "\n", encoding="utf-8")

    assert read_problems(path) == [
        f"{path}: {path.stat().st_size} bytes; an answers file is at most 2 MB"
    ]


@pytest.mark.parametrize("name", ["deep.yaml", "deep.json"])
def test_a_deeply_nested_file_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text('{"bank": "tiny@1.0", "x": ' + "[" * 25 + "]" * 25 + "}", encoding="utf-8")

    assert read_problems(path) == [
        f"{path}: nested more than 20 levels deep; an answers file needs 3"
    ]


@pytest.mark.parametrize("name", ["many.yaml", "many.json"])
def test_a_file_with_very_many_values_is_refused(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text('{"bank": "tiny@1.0", "x": [' + "1," * 30_000 + "1]}", encoding="utf-8")

    assert read_problems(path) == [
        f"{path}: more than 10000 values; a complete answers file holds about 500"
    ]


def test_yaml_is_refused_as_soon_as_it_holds_too_many_values(tmp_path: Path) -> None:
    # The limit is checked while parsing: the broken end of the file is never reached.
    path = tmp_path / "many.yaml"
    path.write_text("x: [" + "1, " * 30_000 + "]]] : : {{{", encoding="utf-8")

    assert read_problems(path) == [
        f"{path}: more than 10000 values; a complete answers file holds about 500"
    ]


def test_the_limits_leave_room_for_a_complete_answers_file(tmp_path: Path) -> None:
    # 54 answers with every text at its longest, nested as deep as an answers file goes.
    entry = {"value": "na", "evidence": "e" * 2000, "note": "n" * 2000, "reason": "r" * 500}
    data = {"bank": "tiny@1.0", "answers": {f"Q-{i}": dict(entry) for i in range(54)}}
    path = tmp_path / "full.yaml"
    path.write_text(json.dumps(data), encoding="utf-8")

    assert read_answers_file(path) == data


def test_it_refuses_text_no_database_stores(tmp_path: Path) -> None:
    path = tmp_path / "unsafe.json"
    answers = {f"Q-{i}": {"value": 1, "note": "a\x00", "reason": "\udfff"} for i in range(11)}
    path.write_text(
        json.dumps({"bank": "tiny@1.0", "answers": answers, "team": {"r\x00le": "present"}}),
        encoding="utf-8",
    )

    problems = read_problems(path)

    assert problems[:3] == [
        "answers.Q-0.note: contains a NUL character or an unpaired surrogate",
        "answers.Q-0.reason: contains a NUL character or an unpaired surrogate",
        "answers.Q-1.note: contains a NUL character or an unpaired surrogate",
    ]
    assert len(problems) == 21
    assert problems[-1] == "… and 3 more texts with a NUL character or an unpaired surrogate"
