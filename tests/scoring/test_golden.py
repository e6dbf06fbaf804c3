"""Golden cases: answers files for the tiny bank, with results worked out by hand.

Each file in golden/ holds `answers_file:` (the input, as a consultant would write it) and
`expected:` (the parts of the result computed by hand; the arithmetic is in the file's comment).
Only the keys listed under `expected` are compared, so a case states what it is about.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from assessment.formats.answers_file import parse_answers_file
from assessment.scoring.engine import score
from tests.scoring.tiny_bank import TINY_BANK

GOLDEN_DIR = Path(__file__).parent / "golden"
GOLDEN_FILES = sorted(GOLDEN_DIR.glob("*.yaml"))
MISSING = "<missing from the result>"


def _comparable(result: dict[str, Any]) -> dict[str, Any]:
    """The result reshaped for hand-written expectations: roles by code, recommendation codes."""
    return {
        **result,
        "roles": {role["code"]: role for role in result["roles"]},
        "recommendations": [rec["code"] for rec in result["recommendations"]],
        "recommendation_answers": [rec["answer"] for rec in result["recommendations"]],
    }


def _only_expected_keys(actual: object, expected: object) -> object:
    """`actual` cut down to the keys `expected` names, so that pytest shows a readable diff."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        return {
            key: _only_expected_keys(actual[key], value) if key in actual else MISSING
            for key, value in expected.items()
        }
    return actual


def test_there_are_enough_golden_cases() -> None:
    assert len(GOLDEN_FILES) >= 14


@pytest.mark.parametrize("path", GOLDEN_FILES, ids=lambda path: path.stem)
def test_golden_case(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    case = yaml.safe_load(text)
    assert text.startswith("#"), "each golden case opens with its hand arithmetic"

    given = parse_answers_file(case["answers_file"], TINY_BANK)
    actual = _comparable(score(TINY_BANK, given).to_dict())

    assert _only_expected_keys(actual, case["expected"]) == case["expected"]
