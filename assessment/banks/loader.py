"""Read question-bank files from disk. Pure Python: no Django, so tools and benches can use it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from assessment.banks.parse import BankInvalid, parse_bank
from assessment.scoring.types import Bank

BANK_FILE_SUFFIXES = (".yaml", ".yml")
BUNDLED_BANKS_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "question_banks"

NOT_FOUND = "no such file or folder"
NO_BANK_FILES = "holds no .yaml question-bank files"
NOT_YAML = "is not valid YAML: {error}"
WRONG_FOLDER = "the file is in folder {folder!r} but its slug is {slug!r}: keep it in {slug}/"
WRONG_NAME = "the file is named {name!r} but its version is {version!r}: name it {version}.yaml"


@dataclass(frozen=True)
class BankFile:
    path: Path
    data: dict[str, Any]  # as parsed from YAML: what is stored, so the bank can be rebuilt
    bank: Bank
    checksum: str


def content_checksum(data: object) -> str:
    """SHA-256 of the bank's content, blind to YAML layout and comments (only meaning counts)."""
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def bank_files(path: Path) -> list[Path]:
    """The bank files at a path: the file itself, or every .yaml file below a folder, sorted."""
    if path.is_file():
        return [path]
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.suffix in BANK_FILE_SUFFIXES)
        if not found:
            raise BankInvalid([f"{path}: {NO_BANK_FILES}"])
        return found
    raise BankInvalid([f"{path}: {NOT_FOUND}"])


def read_bank_file(path: Path) -> BankFile:
    """Read and validate one bank file; raise `BankInvalid` listing every problem."""
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BankInvalid([f"{source}: {NOT_FOUND}"]) from None
    except (OSError, UnicodeDecodeError) as error:
        raise BankInvalid([f"{source}: cannot be read ({error})"]) from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        summary = " ".join(str(error).split())
        raise BankInvalid([f"{source}: {NOT_YAML.format(error=summary)}"]) from None

    bank = parse_bank(data, source)
    problems = []
    # The file's place says which published version it is; a mismatch is a likely copy slip.
    if path.parent.name != bank.slug and path.parent != BUNDLED_BANKS_DIR:
        problems.append(
            f"{source}: slug: {WRONG_FOLDER.format(folder=path.parent.name, slug=bank.slug)}"
        )
    if path.stem != bank.version:
        problems.append(
            f"{source}: version: {WRONG_NAME.format(name=path.name, version=bank.version)}"
        )
    if problems:
        raise BankInvalid(problems)
    return BankFile(path=path, data=data, bank=bank, checksum=content_checksum(data))


def load_bank_file(path: str | Path) -> Bank:
    """The validated `Bank` in a file (used by benches and offline tools)."""
    return read_bank_file(Path(path)).bank
