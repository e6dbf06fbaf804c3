"""Small helpers that write the report's prose: dates, percentages, lists and plurals in words."""

from __future__ import annotations

import re
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"


def format_date(value: date | None) -> str:
    """A date as "7 March 2026": day first, month in words, whatever the server's locale."""
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def rounded(value: float, places: int = 0) -> str:
    """`value` rounded half up from its shortest decimal form, as the templates' `floatformat`
    rounds: 62.5 is "63" and 1.65 is "1.7" in the prose as in the tables beside it (Python's own
    format would say "62" and "1.6")."""
    step = Decimal(1).scaleb(-places)
    return str(Decimal(repr(value)).quantize(step, rounding=ROUND_HALF_UP))


def percent_text(value: float | None) -> str:
    return "n/a" if value is None else f"{rounded(value)}{NBSP}%"


def share_text(value: float) -> str:
    return f"{rounded(value * 100)}{NBSP}%"


def join_names(names: list[str]) -> str:
    """Names as a list in prose: "A", "A and B", "A, B and C"."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def plural(count: int, singular: str, plural: str | None = None) -> str:
    return f"{count} {singular if count == 1 else (plural or singular + 's')}"


def in_sentence(label: str) -> str:
    """A level label inside a sentence: "not yet level 0", but "Level 1 – ML pipeline automation"
    keeps its capital, as a name."""
    return label[0].lower() + label[1:] if label.startswith("Not yet") else label


def first_sentence(text: str) -> str:
    match = re.match(r"(.+?[.!?])(\s|$)", text.strip(), re.DOTALL)
    return " ".join((match.group(1) if match else text).split())


def in_prose(name: str) -> str:
    """A role or practice name inside a sentence: "Data scientist" becomes "data scientist",
    but "ML engineer" and "DevOps / IT operations engineer" keep their capitals."""
    first, _, rest = name.partition(" ")
    if len(first) > 1 and first[1:] == first[1:].lower() and first[0].isupper():
        return first[0].lower() + first[1:] + (f" {rest}" if rest else "")
    return name


def clipped(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters, with an ellipsis when cut:
    for one-line places such as the running header, where a long team name would wrap."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0] if " " in text[: limit - 1] else text[: limit - 1]
    return cut.rstrip(" ,.;:·") + "…"
