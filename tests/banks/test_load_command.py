"""`load_question_bank`: all or nothing, idempotent, and a published version never changes."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from assessment.models import QuestionBank
from tests.banks.sample import valid_bank_data, write_bank

pytestmark = pytest.mark.django_db


def load(*paths: Path) -> str:
    out = StringIO()
    call_command("load_question_bank", *[str(p) for p in paths], stdout=out, stderr=StringIO())
    return out.getvalue()


def load_failing(*paths: Path) -> tuple[str, list[str]]:
    err = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("load_question_bank", *[str(p) for p in paths], stdout=StringIO(), stderr=err)
    return str(error.value), err.getvalue().splitlines()


def test_it_loads_a_valid_bank(tmp_path):
    path = write_bank(tmp_path, valid_bank_data())
    assert load(path) == "sample@1.0: loaded (36 questions)\n"
    stored = QuestionBank.objects.get()
    assert (stored.slug, stored.version, stored.title) == ("sample", "1.0", "Sample bank")
    assert stored.question_count == 36
    assert len(stored.checksum) == 64
    assert stored.bank().question("OPS-2-04").statement.startswith("Practice 4 of operations")


def test_loading_the_same_file_again_changes_nothing(tmp_path):
    path = write_bank(tmp_path, valid_bank_data())
    load(path)
    before = QuestionBank.objects.values().get()
    assert load(path) == "sample@1.0: unchanged (36 questions)\n"
    assert QuestionBank.objects.values().get() == before


def test_layout_and_comments_are_not_a_change(tmp_path):
    path = write_bank(tmp_path, valid_bank_data())
    load(path)
    path.write_text("# reviewed by the audit team\n" + path.read_text(), encoding="utf-8")
    assert load(path) == "sample@1.0: unchanged (36 questions)\n"


def test_a_published_version_cannot_change(tmp_path):
    path = write_bank(tmp_path, valid_bank_data())
    load(path)
    changed = valid_bank_data()
    changed["questions"][0]["statement"] = "A reworded statement."
    write_bank(tmp_path, changed)
    message, problems = load_failing(path)
    assert message == "1 problem found; no question bank was loaded"
    assert problems == [
        f"{path}: sample@1.0 is already published with different content; a published version "
        "never changes: give this file a new version (e.g. 1.1) and keep the old one"
    ]
    assert QuestionBank.objects.get().bank().question("DES-0-01").statement == (
        "Practice 1 of design at level 0 is in place."
    )


def test_a_new_version_loads_beside_the_old_one(tmp_path):
    load(write_bank(tmp_path, valid_bank_data()))
    assert load(write_bank(tmp_path, valid_bank_data(version="1.1"))) == (
        "sample@1.1: loaded (36 questions)\n"
    )
    assert sorted(QuestionBank.objects.values_list("version", flat=True)) == ["1.0", "1.1"]


def test_one_invalid_file_loads_nothing(tmp_path):
    good = write_bank(tmp_path, valid_bank_data())
    broken = valid_bank_data(slug="other")
    broken["questions"][0]["owner"] = "nobody"
    bad = write_bank(tmp_path, broken)
    message, problems = load_failing(good, bad)
    assert message == "1 problem found; no question bank was loaded"
    assert problems == [
        f"{bad}: questions[0] (DES-0-01).owner: unknown role 'nobody' "
        "(declared: data_scientist, ml_engineer, product_owner)"
    ]
    assert QuestionBank.objects.count() == 0


def test_a_folder_loads_every_bank_below_it(tmp_path):
    write_bank(tmp_path, valid_bank_data())
    write_bank(tmp_path, valid_bank_data(slug="second"))
    assert load(tmp_path) == (
        "sample@1.0: loaded (36 questions)\nsecond@1.0: loaded (36 questions)\n"
    )


def test_it_explains_invalid_yaml(tmp_path):
    path = write_bank(tmp_path, "slug: [unclosed\n")
    message, problems = load_failing(path)
    assert message == "1 problem found; no question bank was loaded"
    assert len(problems) == 1
    assert problems[0].startswith(f"{path}: is not valid YAML: while parsing a flow sequence")


def test_it_explains_a_missing_path(tmp_path):
    _, problems = load_failing(tmp_path / "nope.yaml")
    assert problems == [f"{tmp_path / 'nope.yaml'}: no such file or folder"]


def test_the_file_name_must_match_the_version_and_the_folder_the_slug(tmp_path):
    path = write_bank(tmp_path, valid_bank_data(), name="2.0.yaml")
    _, problems = load_failing(path)
    assert problems == [
        f"{path}: version: the file is named '2.0.yaml' but its version is '1.0': name it 1.0.yaml"
    ]
    moved = tmp_path / "elsewhere" / "1.0.yaml"
    moved.parent.mkdir()
    moved.write_text(path.read_text(), encoding="utf-8")
    _, problems = load_failing(moved)
    assert problems == [
        f"{moved}: slug: the file is in folder 'elsewhere' but its slug is 'sample': "
        "keep it in sample/"
    ]


def test_a_command_line_failure_exits_non_zero(tmp_path):
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [sys.executable, "manage.py", "load_question_bank", str(tmp_path / "missing.yaml")],
        cwd=settings.BASE_DIR,
        env={"DEBUG": "1", "PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/db"},
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "CommandError: 1 problem found; no question bank was loaded"
    )
