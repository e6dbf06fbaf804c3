from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pytest_django import Settings


@pytest.fixture(autouse=True)
def _pdf_cache_in_tmp(settings: Settings, tmp_path: Path) -> None:
    """Each test starts with an empty PDF cache of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
