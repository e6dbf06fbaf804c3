"""The consensus rules, worked out by hand."""

from __future__ import annotations

import pytest

from assessment.scoring.consensus import default_final, disagrees, spread


@pytest.mark.parametrize(
    ("values", "expected_spread", "flagged", "final"),
    [
        (["1", "1"], 0.0, False, "1"),
        (["1", "0.5"], 0.5, True, "0.5"),  # median 0.75 rounds down to 0.5
        (["0", "0.5"], 0.5, True, "0"),  # median 0.25 rounds down to 0
        (["0", "1", "1"], 1.0, True, "1"),  # median 1
        (["0", "0.5", "1"], 1.0, True, "0.5"),
        (["0", "1"], 1.0, True, "0.5"),  # median 0.5
        (["1", "unknown"], None, False, "1"),  # "don't know" takes no position
        (["unknown", "unknown"], None, False, "unknown"),
        (["na", "na"], None, False, "na"),
        (["na", "1"], None, True, "1"),  # applicability itself is disputed
        (["0.5"], None, False, "0.5"),
    ],
)
def test_spread_flag_and_default(values, expected_spread, flagged, final):
    assert spread(values) == expected_spread
    assert disagrees(values) is flagged
    assert default_final(values) == final
