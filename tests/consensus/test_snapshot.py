"""The team snapshot stored at submission is a typed value that round-trips through JSON."""

from __future__ import annotations

import json

from assessment.scoring.consensus import FlaggedQuestion, Position, TeamSnapshot
from assessment.scoring.types import AnswerValue

SNAPSHOT = TeamSnapshot(
    flagged=(
        FlaggedQuestion(
            code="DES-0-01",
            positions=(
                Position(1, "Alice Smith", "lead", AnswerValue.AUTOMATED, ""),
                Position(2, "Carol Reyes", "Data scientist", AnswerValue.NOT_IN_PLACE, "no KPI"),
            ),
            final=AnswerValue.MANUAL,
            why="a baseline exists for one model",
        ),
        FlaggedQuestion(code="OPS-1-02", positions=(), final=None, why=""),
    )
)


def test_it_round_trips_through_json():
    stored = json.loads(json.dumps(SNAPSHOT.to_dict()))
    assert TeamSnapshot.from_dict(stored) == SNAPSHOT


def test_its_stored_form_is_plain_and_stable():
    assert SNAPSHOT.to_dict()["flagged"][0] == {
        "code": "DES-0-01",
        "answers": [
            {"number": 1, "name": "Alice Smith", "role": "lead", "value": "1", "note": ""},
            {
                "number": 2,
                "name": "Carol Reyes",
                "role": "Data scientist",
                "value": "0",
                "note": "no KPI",
            },
        ],
        "final": "0.5",
        "why": "a baseline exists for one model",
    }
    assert SNAPSHOT.to_dict()["flagged"][1]["final"] is None


def test_a_snapshot_stored_as_a_bare_list_still_reads():
    """The previous release stored the flagged list alone; during an upgrade its workers may
    still write one."""
    legacy = SNAPSHOT.to_dict()["flagged"]
    assert TeamSnapshot.from_dict(legacy) == SNAPSHOT
