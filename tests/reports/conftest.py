from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _pdf_cache_in_tmp(settings, tmp_path):
    """Each test starts with an empty PDF cache of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
