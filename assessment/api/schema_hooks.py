"""The schema says what errors look like: every operation may answer with RFC 9457 problem
details, and the schema declares them, so clients (and schemathesis) can check them."""

from __future__ import annotations

from typing import Any

PROBLEM_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
                "required": ["field", "message"],
            },
        },
    },
    "required": ["type", "title", "status"],
}
PROBLEMS = {
    "400": "Invalid request: every problem listed in `errors`.",
    "401": "No token, or an unknown, expired or revoked one.",
    "403": "Your role, or the token's scope, does not allow this.",
    "404": "No such object, or not in your organisations (or the token's).",
    "405": "Not a method of this address.",
    "409": "The object's state does not allow this (a submitted assessment's answers).",
    "415": "Unsupported media type.",
    "429": "Too many requests with this token: wait the Retry-After seconds.",
}


def only_canonical_paths(endpoints: list[Any], **kwargs: Any) -> list[Any]:
    """Each operation once, at its address with the final slash (urls.py serves both)."""
    return [e for e in endpoints if e[0].endswith(("/", ".pdf"))]


def problem_responses(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Problem"] = PROBLEM_SCHEMA
    reference = {"$ref": "#/components/schemas/Problem"}
    for path in result.get("paths", {}).values():
        for operation in path.values():
            responses = operation.setdefault("responses", {})
            for code, description in PROBLEMS.items():
                responses.setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/problem+json": {"schema": reference}},
                    },
                )
    return result
