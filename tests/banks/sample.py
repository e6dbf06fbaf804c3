"""A small valid bank as plain data; tests break one thing at a time and check the message."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

PHASES = ["design", "development", "operations"]
PREFIX = {"design": "DES", "development": "DEV", "operations": "OPS"}
ROLES = ["data_scientist", "ml_engineer", "product_owner"]
AREAS = ["business-kpis", "monitoring"]


def question(phase: str, level: int, number: int) -> dict[str, Any]:
    return {
        "code": f"{PREFIX[phase]}-{level}-{number:02d}",
        "phase": phase,
        "level": level,
        "statement": f"Practice {number} of {phase} at level {level} is in place.",
        "guidance": {
            "not_in_place": "Nobody does it.",
            "manual": "Done by hand, written down.",
            "automated": "A pipeline does it every time.",
        },
        "owner": ROLES[number % len(ROLES)],
        "contributors": [ROLES[(number + 1) % len(ROLES)]],
        "critical": number == 1,
        "allow_na": number == 4,
        "recommendation": {"action": "Start doing it.", "first_step": "Book an hour for it."},
        "tags": [AREAS[number % len(AREAS)]],
        "references": ["Google Cloud MLOps: level 0"],
    }


def valid_bank_data(slug: str = "sample", version: str = "1.0") -> dict[str, Any]:
    return copy.deepcopy(
        {
            "slug": slug,
            "version": version,
            "title": "Sample bank",
            "description": "For tests.",
            "phases": [
                {"code": p, "name": p.title(), "description": f"The {p} phase."} for p in PHASES
            ],
            "levels": [
                {"number": n, "name": f"Level {n}", "description": f"What level {n} means."}
                for n in range(3)
            ],
            "roles": [
                {"code": r, "name": r.replace("_", " ").title(), "description": f"Does {r}."}
                for r in ROLES
            ],
            "practice_areas": [{"code": a, "name": a.title()} for a in AREAS],
            "questions": [
                question(phase, level, number)
                for phase in PHASES
                for level in range(3)
                for number in range(1, 5)
            ],
        }
    )


def write_bank(folder: Path, data: dict[str, Any] | str, *, name: str | None = None) -> Path:
    """Write a bank where the loader expects it: <folder>/<slug>/<version>.yaml."""
    if isinstance(data, str):
        path = folder / "sample" / (name or "1.0.yaml")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data, encoding="utf-8")
        return path
    path = folder / str(data.get("slug")) / (name or f"{data.get('version')}.yaml")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path
