"""`manage.py render_report`: a submitted assessment or an answers file to a PDF."""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import TYPE_CHECKING

import pypdf
import pytest
import yaml
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError

from assessment.scoring.engine import score
from tests.reports.helpers import bundled_bank, realistic_input, submitted_assessment

if TYPE_CHECKING:
    from pytest_django import Settings

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _production_like_key(settings: Settings) -> None:
    """manage.py runs the system checks, which refuse the development key with DEBUG off."""
    settings.SECRET_KEY = "render-report-tests-" + "k" * 40


def run(*argv: str) -> tuple[int, str, str]:
    """Run the command as `manage.py` does, exit code included."""
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            ManagementUtility(["manage.py", "render_report", *argv]).execute()
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
        else:
            code = 0
    return code, out.getvalue(), err.getvalue()


def pdf_text(path: Path) -> tuple[pypdf.PdfReader, str]:
    reader = pypdf.PdfReader(path)
    return reader, " ".join(" ".join(p.extract_text() for p in reader.pages).split())


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    """A consultant's answers file: the `input` section of a result is one (docs/scoring.md)."""
    bank = bundled_bank()
    data = score(bank, realistic_input(bank, seed=5)).to_dict()["input"]
    path = tmp_path / "fraud-team.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_it_renders_a_submitted_assessment(tmp_path, acme_team, alice, mlops_bank):
    assessment = submitted_assessment(
        team=acme_team,
        bank=mlops_bank,
        by=alice,
        label="2026 Q4",
        given=realistic_input(mlops_bank.bank(), seed=5),
    )
    output = tmp_path / "report.pdf"

    code, out, err = run("--assessment", str(assessment.pk), "-o", str(output))

    assert (code, err) == (0, "")
    reader, text = pdf_text(output)
    assert out.startswith(f"Wrote {output}: {len(reader.pages)} pages, ")
    assert reader.metadata is not None
    assert reader.metadata.title == "MLOps maturity report: Fraud detection, 2026 Q4"
    assert assessment.result is not None
    assert f"Overall: {assessment.result['overall']['label']}" in text


def test_it_renders_an_answers_file_with_the_cover_given(tmp_path, answers_file, mlops_bank):
    output = tmp_path / "ci" / "report.pdf"
    output.parent.mkdir()

    code, _, err = run(
        "--answers",
        str(answers_file),
        "-o",
        str(output),
        "--team",
        "Fraud detection",
        "--organisation",
        "Acme",
        "--label",
        "2026 Q4",
    )

    assert (code, err) == (0, "")
    reader, text = pdf_text(output)
    assert reader.metadata is not None
    assert reader.metadata.title == "MLOps maturity report: Fraud detection, 2026 Q4"
    cover = text[: text.index("Contents")]
    assert "Source" in cover
    assert "Respondents" not in cover
    assert "Answers file fraud-team.yaml" in cover
    assert "Appendix: every question and answer" in text
    assert [p.name for p in output.parent.iterdir()] == ["report.pdf"]  # no temporary left


def test_an_answers_file_needs_no_loaded_bank(tmp_path, answers_file):
    """A team's CI has a fresh database: the bundled bank is used."""
    output = tmp_path / "report.pdf"

    call_command("render_report", "--answers", str(answers_file), "-o", str(output))

    _, text = pdf_text(output)
    assert "fraud-team" in text  # the label defaults to the file's name


def test_a_bad_answers_file_lists_every_problem_and_writes_nothing(tmp_path, mlops_bank):
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "bank": "mlops-maturity@1.0",
                "answers": {"DES-0-01": 2, "NOPE-1": 1, "OPS-1-01": "na"},
                "team": {"wizard": "present"},
            }
        )
    )
    output = tmp_path / "report.pdf"

    code, out, err = run("--answers", str(bad), "-o", str(output))

    assert code == 1
    assert out == ""
    assert err.splitlines() == [
        "answers.DES-0-01: 2 is not an answer; use 0, 0.5, 1, na or unknown",
        "answers.NOPE-1: no such question in mlops-maturity@1.0",
        'answers.OPS-1-01: "na" is not allowed for this question',
        "team.wizard: no such role in mlops-maturity@1.0",
        f"CommandError: {bad}: 4 problems; no report was written",
    ]
    assert list(tmp_path.iterdir()) == [bad]


def test_an_existing_output_is_left_alone_when_the_file_is_bad(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("bank: [not, a, key\n")
    output = tmp_path / "report.pdf"
    output.write_bytes(b"last week's report")

    code, _, err = run("--answers", str(bad), "-o", str(output))

    assert code == 1
    assert "not valid YAML" in err
    assert output.read_bytes() == b"last week's report"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--assessment", "999999"], "There is no assessment 999999."),
        (["--answers", "x.yaml", "--assessment", "1"], "not allowed with argument"),
    ],
)
def test_it_refuses_what_it_cannot_render(tmp_path, argv, message):
    output = tmp_path / "report.pdf"

    code, _, err = run(*argv, "-o", str(output))

    assert code != 0
    assert message in err
    assert not output.exists()


def test_a_draft_has_nothing_to_render(tmp_path, draft):
    with pytest.raises(CommandError, match="has not been submitted yet"):
        call_command("render_report", "--assessment", str(draft.pk), "-o", str(tmp_path / "r.pdf"))
    assert list(tmp_path.iterdir()) == []
