"""One parsed `Bank` per published version and process: parsing is the slow part of a page."""

from __future__ import annotations

from typing import Any

from assessment.banks.parse import parse_bank
from assessment.scoring.types import Bank

_by_checksum: dict[str, Bank] = {}


def bank_from_content(checksum: str, content: Any) -> Bank:
    """The `Bank` for stored content. Keyed by checksum, which a published version never changes."""
    bank = _by_checksum.get(checksum)
    if bank is None:
        bank = parse_bank(content, source=f"stored bank {checksum[:12]}")
        _by_checksum[checksum] = bank
    return bank


def cached_bank(checksum: str) -> Bank | None:
    """The parsed bank if this process has it, so callers can skip loading the content at all."""
    return _by_checksum.get(checksum)
