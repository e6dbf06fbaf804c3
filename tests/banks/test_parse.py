"""Each kind of mistake in a bank file gets its own exact message, with its location."""

from __future__ import annotations

import pytest

from assessment.banks.parse import BankInvalid, parse_bank
from tests.banks.sample import valid_bank_data


def problems_of(data: object) -> list[str]:
    with pytest.raises(BankInvalid) as error:
        parse_bank(data, "bank.yaml")
    return error.value.problems


def test_a_valid_bank_parses_into_typed_data():
    bank = parse_bank(valid_bank_data(), "bank.yaml")
    assert bank.key == "sample@1.0"
    assert [p.code for p in bank.phases] == ["design", "development", "operations"]
    assert [lv.number for lv in bank.levels] == [0, 1, 2]
    assert len(bank.questions) == 36
    first = bank.question("DES-0-01")
    assert first.critical is True
    assert first.allow_na is False
    assert first.owner == "ml_engineer"
    assert first.contributors == ("product_owner",)
    assert first.guidance.manual == "Done by hand, written down."
    assert first.recommendation.first_step == "Book an hour for it."
    assert bank.question("DES-0-04").allow_na is True


def test_it_refuses_a_file_that_is_not_a_mapping():
    assert problems_of(["a", "list"]) == [
        "bank.yaml: (top level): must be a mapping of keys to values"
    ]


def test_it_names_missing_top_level_keys():
    data = valid_bank_data()
    del data["roles"]
    del data["title"]
    assert problems_of(data)[:2] == ["bank.yaml: title: missing", "bank.yaml: roles: missing"]


def test_it_names_an_unknown_key_so_typos_are_caught():
    data = valid_bank_data()
    data["questions"][2]["recomendation"] = data["questions"][2].pop("recommendation")
    assert problems_of(data) == [
        "bank.yaml: questions[2] (DES-0-03).recommendation: missing",
        "bank.yaml: questions[2] (DES-0-03).recomendation: unknown key (check the spelling; "
        "allowed: code, title, phase, level, statement, guidance, owner, contributors, "
        "critical, allow_na, gate, risk, risk_note, impact, effort, depends_on, recommendation, "
        "tags, references, replaces)",
    ]


def test_it_refuses_an_unknown_role():
    data = valid_bank_data()
    data["questions"][5]["owner"] = "ml_enginer"
    assert problems_of(data) == [
        "bank.yaml: questions[5] (DES-1-02).owner: unknown role 'ml_enginer' "
        "(declared: data_scientist, ml_engineer, product_owner)"
    ]


def test_it_refuses_an_unknown_contributor_and_an_owner_who_contributes():
    data = valid_bank_data()
    data["questions"][0]["contributors"] = ["ml_engineer", "janitor"]
    assert problems_of(data) == [
        "bank.yaml: questions[0] (DES-0-01).contributors: the owner 'ml_engineer' cannot also be "
        "a contributor",
        "bank.yaml: questions[0] (DES-0-01).contributors: unknown role 'janitor' "
        "(declared: data_scientist, ml_engineer, product_owner)",
    ]


def test_it_refuses_a_duplicate_question_code():
    data = valid_bank_data()
    data["questions"][1]["code"] = "DES-0-01"
    assert problems_of(data) == [
        "bank.yaml: questions[1] (DES-0-01).code: duplicate question code 'DES-0-01'"
    ]


def test_it_refuses_a_badly_formed_code_and_a_code_at_the_wrong_level():
    data = valid_bank_data()
    data["questions"][0]["code"] = "design-1"
    data["questions"][1]["code"] = "DES-2-09"
    assert problems_of(data) == [
        "bank.yaml: questions[0] (design-1).code: 'design-1' is not a question code "
        "such as DEV-1-03",
        "bank.yaml: questions[1] (DES-2-09).code: code DES-2-09 says level 2 but the question is "
        "at level 0",
    ]


def test_it_refuses_missing_guidance():
    data = valid_bank_data()
    del data["questions"][3]["guidance"]["manual"]
    data["questions"][4]["guidance"]["automated"] = "  "
    assert problems_of(data) == [
        "bank.yaml: questions[3] (DES-0-04).guidance.manual: missing",
        "bank.yaml: questions[4] (DES-1-01).guidance.automated: must be a non-empty text",
    ]


def test_it_refuses_a_cell_with_too_few_questions():
    data = valid_bank_data()
    data["questions"] = [q for q in data["questions"] if q["code"] not in {"OPS-2-03", "OPS-2-04"}]
    assert problems_of(data) == [
        "bank.yaml: questions: phase operations at level 2 has 2 question(s); every cell needs "
        "at least 4"
    ]


def test_it_refuses_an_unknown_phase_level_and_tag():
    data = valid_bank_data()
    data["questions"][0]["phase"] = "deployment"
    data["questions"][1]["level"] = 3
    data["questions"][2]["tags"] = ["monitoring", "vibes"]
    assert problems_of(data) == [
        "bank.yaml: questions[0] (DES-0-01).phase: unknown phase 'deployment' "
        "(declared: design, development, operations)",
        "bank.yaml: questions[1] (DES-0-02).level: unknown level 3 (declared: 0, 1, 2)",
        "bank.yaml: questions[2] (DES-0-03).tags: unknown practice area 'vibes' "
        "(declared: business-kpis, monitoring)",
    ]


def test_it_refuses_a_critical_practice_that_may_be_not_applicable():
    data = valid_bank_data()
    data["questions"][0]["allow_na"] = True
    assert problems_of(data) == [
        "bank.yaml: questions[0] (DES-0-01): a critical practice cannot be marked not applicable "
        "(allow_na)"
    ]


def test_it_refuses_non_boolean_flags():
    data = valid_bank_data()
    data["questions"][0]["critical"] = "yes"
    assert problems_of(data) == [
        "bank.yaml: questions[0] (DES-0-01).critical: must be true or false"
    ]


def test_it_refuses_an_unquoted_version():
    data = valid_bank_data()
    data["version"] = 1.1
    assert problems_of(data) == [
        'bank.yaml: version: must be a quoted version string such as "1.0"; got 1.1'
    ]


def test_it_refuses_levels_with_gaps_and_duplicate_roles():
    data = valid_bank_data()
    data["levels"][2]["number"] = 5
    data["roles"][2]["code"] = "ml_engineer"
    problems = problems_of(data)
    assert (
        "bank.yaml: levels: level numbers must be 0, 1, 2, ... without gaps; got [0, 1, 5]"
        in problems
    )
    assert "bank.yaml: roles[2].code: duplicate code 'ml_engineer'" in problems


def test_it_refuses_an_unused_practice_area_and_an_unused_role():
    data = valid_bank_data()
    data["practice_areas"].append({"code": "cost", "name": "Cost"})
    data["roles"].append({"code": "qa_engineer", "name": "QA", "description": "Tests."})
    assert problems_of(data) == [
        "bank.yaml: practice_areas[2] (cost): no question is tagged with this practice area",
        "bank.yaml: roles[3] (qa_engineer): no question names this role as owner or contributor",
    ]


def test_it_lists_every_problem_at_once():
    data = valid_bank_data()
    data["slug"] = "Not A Slug"
    data["questions"][0]["owner"] = "nobody"
    data["questions"][7]["references"] = []
    assert problems_of(data) == [
        "bank.yaml: slug: 'Not A Slug' is not a slug: lower-case letters, digits and "
        "single hyphens",
        "bank.yaml: questions[0] (DES-0-01).owner: unknown role 'nobody' "
        "(declared: data_scientist, ml_engineer, product_owner)",
        "bank.yaml: questions[7] (DES-1-04).references: must list at least one entry",
    ]


def test_replaces_records_earlier_codes_including_its_own():
    data = valid_bank_data()
    data["questions"][0]["replaces"] = ["DES-0-09"]
    assert parse_bank(data).question("DES-0-01").replaces == ("DES-0-09",)
    # Explicit in a new major version: this question continues the earlier DES-0-01.
    data["questions"][0]["replaces"] = ["DES-0-01", "DES-0-02"]
    assert parse_bank(data).question("DES-0-01").replaces == ("DES-0-01", "DES-0-02")


def test_a_gate_names_what_is_missing_and_never_allows_na():
    data = valid_bank_data()
    data["questions"][0]["gate"] = "no threat model"
    data["questions"][0]["title"] = "Threat model"
    question = parse_bank(data).question("DES-0-01")
    assert (question.gate, question.title, question.name) == (
        "no threat model",
        "Threat model",
        "Threat model",
    )
    data["questions"][0]["gate"] = "threat model"
    data["questions"][0]["allow_na"] = True
    data["questions"][0]["critical"] = False
    assert problems_of(data) == [
        'bank.yaml: questions[0] (DES-0-01).gate: must say what is missing, starting with "no" '
        '(e.g. "no threat model")',
        "bank.yaml: questions[0] (DES-0-01): a gate practice cannot be marked not applicable "
        "(allow_na)",
    ]


def test_advice_fields_are_read_and_checked():
    data = valid_bank_data()
    first, second = data["questions"][0], data["questions"][1]
    first.update(
        risk="high",
        risk_note="Nobody can say what the model is for.",
        impact="low",
        effort="S",
        depends_on=[second["code"]],
    )
    question = parse_bank(data).question(first["code"])
    assert (question.risk, question.impact, question.effort, question.depends_on) == (
        "high",
        "low",
        "S",
        (second["code"],),
    )
    assert question.risk_note == "Nobody can say what the model is for."
    # Without them, the middle of each scale.
    other = parse_bank(data).question(second["code"])
    assert (other.risk, other.impact, other.effort, other.depends_on) == (
        "medium",
        "medium",
        "M",
        (),
    )

    first.update(risk="severe", effort="XL", depends_on=[first["code"], "DES-9-99"])
    assert problems_of(data) == [
        f"bank.yaml: questions[0] ({first['code']}).risk: 'severe' is not one of high, medium, low",
        f"bank.yaml: questions[0] ({first['code']}).effort: 'XL' is not one of S, M, L",
        f"bank.yaml: questions[0] ({first['code']}).depends_on: a question cannot depend on itself",
    ]


def test_dependencies_name_known_questions_and_never_go_round():
    data = valid_bank_data()
    a, b, c = (q["code"] for q in data["questions"][:3])
    data["questions"][0]["depends_on"] = [b, "DES-9-99"]
    data["questions"][1]["depends_on"] = [c]
    data["questions"][2]["depends_on"] = [a]
    assert problems_of(data) == [
        f"bank.yaml: questions[0] ({a}).depends_on: depends on 'DES-9-99', which is not a "
        "question of this bank",
        f"bank.yaml: questions: dependencies go round in a circle: {a} -> {b} -> {c} -> {a}",
    ]
