"""Numbering a name until it is free: organisations' addresses, folders in an export."""

from __future__ import annotations


def unique_name(name: str, taken: set[str]) -> str:
    """`name`, or `name-2`, `name-3`… if taken; the result is added to `taken`."""
    candidate, number = name, 1
    while candidate in taken:
        number += 1
        candidate = f"{name}-{number}"
    taken.add(candidate)
    return candidate
