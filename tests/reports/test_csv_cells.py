"""The CSV export keeps anything a spreadsheet could run as a formula as text, however it is
disguised: behind blanks, line breaks or invisible characters, or in full-width forms."""

from __future__ import annotations

import pytest

from assessment.formats.assessment_file import assessment_csv, csv_cell
from assessment.formats.records import AnswerRecord
from tests.scoring.tiny_bank import TINY_BANK


@pytest.mark.parametrize(
    "text",
    [
        "=1+1",
        "+1",
        "-1",
        "@SUM(A1)",
        "\t=1",
        "\r=1",
        "\n=1",
        ' =HYPERLINK("http://x")',
        "\u00a0=1",  # no-break space
        "\u200b=1",  # zero-width space
        "\ufeff=1",  # byte-order mark
        "\u2060\u200e =1",  # word joiner, left-to-right mark
        "\uff1dcmd|calc",  # full-width equals sign
        "\uff0b1",  # full-width plus
        "\u3000=1",  # ideographic space
    ],
)
def test_a_formula_in_disguise_is_kept_as_text(text):
    assert csv_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["Automated", "a = b", "https://wiki/kpi", "3 teams", "", "Done manually"]
)
def test_ordinary_text_is_left_alone(text):
    assert csv_cell(text) == text


def test_the_export_applies_it_to_every_text_column():
    answers = {
        "DES-0-01": AnswerRecord(value="1", evidence=" =ev", note="\ufeff=note"),
    }
    lines = assessment_csv(TINY_BANK, answers).splitlines()
    assert "' =ev" in lines[1]
    assert "'\ufeff=note" in lines[1]
