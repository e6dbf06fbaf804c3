"""The bundled MLOps maturity model: complete enough for a consultant's audit."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from assessment.banks.loader import BUNDLED_BANKS_DIR, load_bank_file, read_bank_file
from assessment.scoring.types import Bank

BANK_DIR = BUNDLED_BANKS_DIR / "mlops-maturity"
VERSIONS = ("1.0", "2.0")

# Every practice area the seeds and public frameworks name (issue 3), by its tag.
REQUIRED_PRACTICE_AREAS = {
    "business-kpis",
    "data-collection",
    "data-validation",
    "data-versioning",
    "feature-engineering",
    "experiment-tracking",
    "reproducibility",
    "model-validation",
    "explainability-fairness",
    "model-registry",
    "packaging",
    "ci",
    "cd",
    "orchestration",
    "infrastructure",
    "monitoring",
    "logging",
    "alerting",
    "drift-skew",
    "feedback-retraining",
    "release-safety",
    "security",
    "privacy-compliance",
    "governance",
    "collaboration",
    "cost",
}
REQUIRED_ROLES = {
    "subject_matter_expert",
    "product_owner",
    "data_analyst",
    "data_scientist",
    "data_engineer",
    "ml_engineer",
    "software_engineer",
    "ml_architect",
    "devops_engineer",
    "security_compliance",
    "qa_engineer",
}


@pytest.fixture(scope="module", params=VERSIONS)
def bank(request: pytest.FixtureRequest) -> Bank:
    return load_bank_file(BANK_DIR / f"{request.param}.yaml")


@pytest.fixture(scope="module")
def bank_2() -> Bank:
    return load_bank_file(BANK_DIR / "2.0.yaml")


@pytest.fixture(scope="module")
def bank_1() -> Bank:
    return load_bank_file(BANK_DIR / "1.0.yaml")


def test_it_is_a_published_version(bank):
    assert bank.key in {f"mlops-maturity@{version}" for version in VERSIONS}
    assert [p.code for p in bank.phases] == ["design", "development", "operations"]
    assert [lv.name for lv in bank.levels] == [
        "Manual process",
        "ML pipeline automation",
        "CI/CD pipeline automation",
    ]


def test_it_has_enough_questions_in_every_cell(bank):
    assert len(bank.questions) >= 45
    cells = Counter((q.phase, q.level) for q in bank.questions)
    assert len(cells) == 9
    assert min(cells.values()) >= 4


def test_it_names_every_role(bank):
    assert {r.code for r in bank.roles} >= REQUIRED_ROLES
    assert all(r.description for r in bank.roles)


def test_every_practice_area_is_tagged_on_a_question(bank):
    tagged = {tag for q in bank.questions for tag in q.tags}
    assert tagged >= REQUIRED_PRACTICE_AREAS, REQUIRED_PRACTICE_AREAS - tagged


def test_codes_follow_phase_and_level(bank):
    prefix = {"design": "DES", "development": "DEV", "operations": "OPS"}
    for q in bank.questions:
        assert q.code.startswith(f"{prefix[q.phase]}-{q.level}-"), q.code


def test_every_cell_has_a_critical_practice_and_na_is_rare(bank):
    # 2.0 asks every level-0 practice to be in place, so criticals there only order the advice.
    most = 2 if bank.version == "1.0" else 4
    for phase in bank.phases:
        for level in bank.levels:
            cell = bank.questions_in(phase.code, level.number)
            assert 1 <= sum(q.critical for q in cell) <= most, (phase.code, level.number)
    assert 0 < sum(q.allow_na for q in bank.questions) <= 8


def test_2_0_names_each_practice_in_a_few_words(bank_2):
    for q in bank_2.questions:
        assert q.title, q.code
        assert len(q.title.split()) <= 9, q.code
        assert not q.title.endswith("."), q.code


def test_2_0_gate_covers_privacy_access_risk_supply_chain_and_monitoring(bank_2):
    gate = {q.code: q for q in bank_2.questions if q.gate}
    tags = {tag for q in gate.values() for tag in q.tags}
    assert tags >= {"privacy-compliance", "security", "governance", "supply-chain", "drift-skew"}
    assert all(q.gate.startswith("no ") and not q.allow_na for q in gate.values())
    assert {q.level for q in gate.values()} == {0, 1, 2}


def test_2_0_adds_a_business_sponsor_who_owns_practices(bank_2):
    owned = Counter(q.owner for q in bank_2.questions)
    assert owned["business_sponsor"] >= 2
    business = owned["business_sponsor"] + owned["product_owner"] + owned["subject_matter_expert"]
    assert business >= 8


def test_2_0_carries_every_1_0_question_and_reuses_no_code(bank_1, bank_2):
    old_codes = {q.code for q in bank_1.questions}
    carried = {code for q in bank_2.questions for code in q.replaces}
    assert carried == old_codes
    for q in bank_2.questions:
        # A code 1.0 had means the same practice: the question says it continues it.
        if q.code in old_codes:
            assert q.code in q.replaces, q.code


def test_2_0_cites_practices_not_other_frameworks_levels(bank_2):
    for q in bank_2.questions:
        for reference in q.references:
            assert not re.search(r"\blevel \d", reference, re.IGNORECASE), (q.code, reference)


def test_every_question_says_what_to_do_next(bank):
    for q in bank.questions:
        assert q.recommendation.action, q.code
        assert q.recommendation.first_step, q.code
        assert q.references, q.code


@pytest.mark.django_db
def test_make_run_loads_it_idempotently():
    from io import StringIO

    from django.core.management import call_command

    for expected in ("loaded", "unchanged"):
        out = StringIO()
        call_command("load_question_bank", str(BUNDLED_BANKS_DIR), stdout=out)
        assert out.getvalue() == (
            f"mlops-maturity@1.0: {expected} (54 questions)\n"
            f"mlops-maturity@2.0: {expected} (74 questions)\n"
        )


def test_2_0_judges_every_practice_for_advice():
    data = read_bank_file(BANK_DIR / "2.0.yaml").data
    for question in data["questions"]:
        # Stated, not defaulted: the ranking and the plan rest on them.
        assert {"risk", "risk_note", "impact", "effort", "depends_on"} <= set(question), question
    bank = load_bank_file(BANK_DIR / "2.0.yaml")
    assert all(q.risk == "high" for q in bank.questions if q.gate)
    assert Counter(q.risk for q in bank.questions)["high"] <= len(bank.questions) // 2
    # The dependency the advice issue names: automated deployment needs the registry first.
    assert "DEV-2-03" in bank.question("OPS-1-06").depends_on
