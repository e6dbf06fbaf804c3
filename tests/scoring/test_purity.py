"""The scoring package stays plain Python: no Django, nothing from the rest of the project.

Checked by reading the source (ast), not by importing it, so a Django import anywhere, even in a
function body or behind TYPE_CHECKING, is caught.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import assessment.scoring

SCORING_DIR = Path(assessment.scoring.__file__).parent
MODULES = sorted(SCORING_DIR.rglob("*.py"))


def imports_in(source: str, package: str) -> list[str]:
    """The modules `source` imports, relative imports resolved against `package`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            found.append(node.module or "")
        elif isinstance(node, ast.ImportFrom):
            parts = package.split(".")
            base = ".".join(parts[: len(parts) - node.level + 1])
            if node.module:
                found.append(f"{base}.{node.module}")
            else:  # `from .. import models` imports the module assessment.models
                found += [f"{base}.{alias.name}" for alias in node.names]
    return found


def package_of(path: Path) -> str:
    return ".".join(("assessment", "scoring", *path.relative_to(SCORING_DIR).parent.parts))


def forbidden(module: str) -> bool:
    top = module.split(".")[0]
    if top == "django":
        return True
    return top == "assessment" and not (
        module == "assessment.scoring" or module.startswith("assessment.scoring.")
    )


def test_the_scoring_package_has_modules_to_check() -> None:
    assert {"engine.py", "results.py", "types.py", "compare.py", "consensus.py", "summary.py"} <= {
        p.name for p in MODULES
    }


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_it_imports_neither_django_nor_the_rest_of_the_project(path: Path) -> None:
    imported = imports_in(path.read_text(encoding="utf-8"), package_of(path))

    assert [module for module in imported if forbidden(module)] == []


@pytest.mark.parametrize(
    ("module", "refused"),
    [
        ("django", True),
        ("django.db.models", True),
        ("assessment.models", True),
        ("assessment", True),
        ("assessment.scoringx", True),
        ("assessment.scoring", False),
        ("assessment.scoring.types", False),
        ("yaml", False),
    ],
)
def test_the_rule_itself(module: str, refused: bool) -> None:
    assert forbidden(module) is refused


def test_it_resolves_every_kind_of_import() -> None:
    source = (
        "import django.conf\n"
        "from django.db import models\n"
        "from .. import models\n"
        "from ..banks.loader import load_bank_file\n"
        "from . import types\n"
        "from .results import Result\n"
        "def later():\n"
        "    import django\n"
    )

    assert imports_in(source, "assessment.scoring") == [
        "django.conf",
        "django.db",
        "assessment.models",
        "assessment.banks.loader",
        "assessment.scoring.types",
        "assessment.scoring.results",
        "django",
    ]
