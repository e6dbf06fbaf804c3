"""Text no database stores: PostgreSQL refuses a NUL character, and an unpaired surrogate is not
UTF-8. Files, query parameters and free text from a request are checked or cleaned against it.
(Forms' CharFields already refuse NUL, and Django decodes request data with replacement
characters, so a surrogate never reaches a form.)"""

from __future__ import annotations

import re
from collections.abc import Mapping

UNSTORABLE_CHARACTERS = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_TEXT = "contains a NUL character or an unpaired surrogate"


def is_storable(text: str) -> bool:
    return UNSTORABLE_CHARACTERS.search(text) is None


def cleaned(text: str) -> str:
    """`text` without what no database stores: for searches and lookups, where dropping it is
    what the user meant."""
    return UNSTORABLE_CHARACTERS.sub("", text)


def query_text(params: Mapping[str, str], name: str, default: str = "") -> str:
    """A request parameter, cleaned: `query_text(request.GET, "q")`."""
    return cleaned(params.get(name, default))
