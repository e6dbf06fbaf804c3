"""Text from a request that the database can store.

PostgreSQL refuses a NUL character in text, and no database stores an unpaired surrogate (it is
not UTF-8). Forms' CharFields already refuse NUL (Django's ProhibitNullCharactersValidator) and
Django decodes request data with replacement characters, so a surrogate never arrives that way;
what views read from `request.GET` or `request.POST` themselves goes through here.
"""

from __future__ import annotations

import re

from django.http import QueryDict

UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_TEXT = "contains a NUL character or an unpaired surrogate"


def is_storable(text: str) -> bool:
    return UNSTORABLE.search(text) is None


def cleaned(text: str) -> str:
    """`text` without what no database stores: for searches and lookups, where dropping it is
    what the user meant."""
    return UNSTORABLE.sub("", text)


def query_text(params: QueryDict, name: str, default: str = "") -> str:
    """A request parameter, cleaned: `query_text(request.GET, "q")`."""
    return cleaned(params.get(name, default))
