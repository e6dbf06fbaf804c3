"""The bundled question banks, read and validated once per test process.

Parsing the YAML takes about 0.2 s and the files never change while tests run, so fixtures and
helpers share one reading. Tests of the loader and of `load_question_bank` read the files
themselves."""

from __future__ import annotations

from functools import cache

from assessment.banks.loader import BUNDLED_BANKS_DIR, BankFile, bank_files, read_bank_file

MLOPS_BANK_FILE = BUNDLED_BANKS_DIR / "mlops-maturity" / "2.0.yaml"


@cache
def bundled_bank_files() -> tuple[BankFile, ...]:
    """Every bank file below the bundled folder, as `load_question_bank` reads the folder."""
    return tuple(read_bank_file(path) for path in bank_files(BUNDLED_BANKS_DIR))


def mlops_bank_file() -> BankFile:
    """The bundled MLOps maturity bank's newest version, 2.0."""
    return next(f for f in bundled_bank_files() if f.path == MLOPS_BANK_FILE)
