"""`score_answers FILE`: the engine from the command line, for consultants and automation."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

EXAMPLE = """\
bank: mlops-maturity@1.0
answers:
  DES-0-01: 1
  DES-0-02: {value: 0.5, evidence: "https://wiki.example/kpis", note: "reviewed quarterly"}
  OPS-2-02: {value: na, reason: "batch scoring only"}
team: {data_scientist: present, ml_engineer: absent}
targets: {operations: 1}
"""

OUTPUT_KEYS = {
    "bank",
    "engine_version",
    "overall",
    "phases",
    "roles",
    "recommendations",
    "unknown",
    "unanswered",
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("score_answers", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_prints_the_result_as_json_with_the_documented_keys(tmp_path, mlops_bank):
    path = tmp_path / "answers.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    result = json.loads(run(str(path)))
    assert set(result) >= OUTPUT_KEYS
    assert result["bank"] == "mlops-maturity@1.0"
    assert result["engine_version"] == "2.0.0"
    assert result["overall"] == {
        "level": None,
        "label": "Not yet level 0",
        "evidenced_level": None,
        "evidenced_label": "Not yet level 0",
        "uncapped_level": None,
        "evidenced_uncapped_level": None,
        "capped": False,
    }
    assert result["index"] == 0.11  # (2 of 6 design level-0 practices in place + 0 + 0) / 3
    assert result["gate"] == {"capped": False, "cap": None, "missing": []}  # 1.0 has no gate
    assert result["not_applicable"] == [{"code": "OPS-2-02", "reason": "batch scoring only"}]
    design = result["phases"]["design"]
    assert set(design) >= {"level", "evidenced_level", "label", "percent", "cells"}
    assert design["cells"]["0"]["answered"] == 2
    assert design["cells"]["0"]["applicable"] == 6
    assert design["cells"]["0"]["percent"] == 25.0  # (1 + 0.5) / 6
    assert result["phases"]["operations"]["cells"]["2"]["applicable"] == 5  # OPS-2-02 is N/A
    ml_engineer = next(r for r in result["roles"] if r["code"] == "ml_engineer")
    # One role held (the data scientist): a small team, so give the ML engineer's work to it.
    assert (ml_engineer["presence"], ml_engineer["action"]) == ("absent", "assign")
    assert ml_engineer["assign_to"] == "data_scientist"
    assert set(result["recommendations"][0]) >= {
        "code",
        "phase",
        "level",
        "critical",
        "owner",
        "answer",
        "text",
    }
    assert len(result["unanswered"]) == 51
    assert result["unknown"] == []


def test_it_accepts_json_and_prints_a_text_summary(tmp_path, mlops_bank):
    path = tmp_path / "answers.json"
    path.write_text(json.dumps({"bank": "mlops-maturity@1.0", "answers": {"DES-0-01": 1}}))
    text = run(str(path), "--format", "text")
    assert text.startswith("Bank mlops-maturity@1.0, scoring engine 2.0.0, threshold 80 %\n")
    assert "Overall: Not yet level 0" in text
    assert "Design: Not yet level 0  [L0 17 % open" in text


def test_it_scores_with_the_bundled_bank_even_before_it_is_loaded(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    assert json.loads(run(str(path)))["bank"] == "mlops-maturity@1.0"


def test_a_bad_file_names_every_problem_and_exits_non_zero(tmp_path, mlops_bank):
    path = tmp_path / "answers.yaml"
    path.write_text(
        "bank: mlops-maturity@1.0\n"
        "answers:\n"
        "  DES-9-99: 1\n"
        "  DES-0-01: 2\n"
        "  DES-0-02: na\n"
        "  OPS-2-02: {value: na}\n",
        encoding="utf-8",
    )
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("score_answers", str(path), stdout=StringIO(), stderr=err)
    assert str(error.value) == f"{path}: 4 problems; nothing was scored"
    assert err.getvalue().splitlines() == [
        "answers.DES-9-99: no such question in mlops-maturity@1.0",
        "answers.DES-0-01: 2 is not an answer; use 0, 0.5, 1, na or unknown",
        'answers.DES-0-02: "na" is not allowed for this question',
        'answers.OPS-2-02: "na" needs a reason',
    ]


def test_an_unknown_bank_is_refused(tmp_path, mlops_bank):
    path = tmp_path / "answers.yaml"
    path.write_text("bank: mlops-maturity@9.9\nanswers: {}\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("score_answers", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().strip() == (
        "bank: mlops-maturity@9.9 is neither loaded here nor bundled with this version of the "
        "tool (known: mlops-maturity@1.0, mlops-maturity@2.0)"
    )


def test_a_1_0_file_is_scored_against_2_0_saying_what_was_carried_split_or_new(
    tmp_path, mlops_bank
):
    path = tmp_path / "answers.yaml"
    path.write_text(
        "bank: mlops-maturity@1.0\n"
        "answers:\n"
        "  DES-0-01: {value: 1, evidence: 'https://wiki.example/kpis'}\n"
        "  DES-0-03: 0.5\n"  # split in 2.0 into the data inventory and the leakage check
        "  DES-1-05: 1\n"  # merged into DEV-1-01 with DEV-1-01 itself
        "  DEV-1-01: 0.5\n"
        "  DEV-1-05: {value: na, reason: 'no feature store'}\n"  # 2.0 allows no N/A here
        "team: {data_scientist: present, ml_engineer: absent}\n",
        encoding="utf-8",
    )
    out, err = StringIO(), StringIO()
    call_command("score_answers", str(path), "--bank", "mlops-maturity@2.0", stdout=out, stderr=err)

    result = json.loads(out.getvalue())
    assert result["bank"] == "mlops-maturity@2.0"
    assert result["input"]["answers"] == {
        "DES-0-01": {"value": "1", "evidence": "https://wiki.example/kpis"},
        "DES-0-03": {"value": "0.5"},
        "DES-0-07": {"value": "0.5"},
        "DEV-1-01": {"value": "0.5"},
    }
    carried = {a["code"]: (a["carry"], a["sources"]) for a in result["carried_from"]["answers"]}
    assert result["carried_from"]["bank"] == "mlops-maturity@1.0"
    assert carried["DES-0-01"] == ("carried", ["DES-0-01"])
    assert carried["DES-0-03"] == ("split", ["DES-0-03"])
    assert carried["DES-0-07"] == ("split", ["DES-0-03"])
    assert carried["DEV-1-01"] == ("merged", ["DEV-1-01", "DES-1-05"])
    assert carried["DEV-1-05"] == ("new", [])
    lines = err.getvalue().splitlines()
    assert lines[0] == "Answers for mlops-maturity@1.0 scored against mlops-maturity@2.0:"
    assert lines[1] == "- 1 carried unchanged: DES-0-01 (from DES-0-01)"
    assert lines[2].startswith("- 2 taken from a question that was split (confirm each): ")
    assert lines[3].startswith("- 1 merged from several questions, the lowest answer kept")
    assert lines[4].startswith("- 70 new, not answered yet: DES-0-02, DES-0-04,")


def test_another_bank_than_a_version_of_the_files_is_refused(tmp_path, mlops_bank):
    path = tmp_path / "answers.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command(
            "score_answers", str(path), "--bank", "other@2.0", stdout=StringIO(), stderr=err
        )
    assert err.getvalue().strip() == (
        "--bank other@2.0: the file is for mlops-maturity@1.0; only another version of "
        "mlops-maturity can take it"
    )


def test_the_command_line_exit_code_is_non_zero(tmp_path):
    path = tmp_path / "answers.yaml"
    path.write_text("bank: nope\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "manage.py", "score_answers", str(path)],
        cwd=settings.BASE_DIR,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/db"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.strip().splitlines()[-1] == (
        f"CommandError: {path}: 1 problem; nothing was scored"
    )


def test_a_hostile_file_is_refused_with_the_problem(tmp_path, mlops_bank):
    path = tmp_path / "answers.yaml"
    path.write_text("bank: mlops-maturity@1.0\nx: [" + "1, " * 30_000 + "]\n", encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("score_answers", str(path), stdout=StringIO(), stderr=err)
    assert err.getvalue().strip() == (
        f"{path}: more than 10000 values; a complete answers file holds about 500"
    )
