"""Which earlier question each question of a bank continues, across bank versions."""

from __future__ import annotations

from collections.abc import Collection

from assessment.scoring.types import Bank


def continued_codes(bank: Bank, earlier_codes: Collection[str]) -> dict[str, str]:
    """new code -> the earlier code it continues: the same code when it still exists, else the
    first code in its `replaces:` list that the earlier answers have. Questions new in this
    version are left out."""
    mapping = {}
    for question in bank.questions:
        if question.code in earlier_codes:
            mapping[question.code] = question.code
            continue
        for old in question.replaces:
            if old in earlier_codes:
                mapping[question.code] = old
                break
    return mapping
