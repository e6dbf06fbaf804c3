"""What counts as evidence: a link, or words that name an artefact someone else could open.

"yes", "x" or "tbd" in the evidence box back nothing. Forms and answers files refuse them with
`EVIDENCE_PLACEHOLDER`; the engine, which also reads answers stored before the rule existed, counts
such an "automated" answer as manual in the evidenced view, exactly as if the box were empty.
"""

from __future__ import annotations

import re

# Fewer characters than this cannot name an artefact ("wiki", "MLflow"): a link is always enough.
MIN_EVIDENCE_LENGTH = 10

EVIDENCE_PLACEHOLDER = (
    "Evidence must be a link or name the artefact someone could open (e.g. "
    "\u201cMLflow experiment churn-v3\u201d, \u201crunbook \u2018Model rollback\u2019 in "
    "Confluence\u201d); \u201c{text}\u201d is not evidence. Leave it empty if there is none."
)

_ARTEFACT_MARK = re.compile(r"[/#.\d_]|\w-\w")
_LINK = re.compile(r"(?:https?|s3|gs|file)://\S+|\bwww\.\S+\.\S+", re.IGNORECASE)
# Words that say "there is something" without saying what. Compared after lower-casing and
# stripping punctuation, so "Yes!", "N/A" and "t.b.d." are caught too.
_PLACEHOLDERS = frozenset(
    {
        "x",
        "xx",
        "xxx",
        "y",
        "yes",
        "yep",
        "ok",
        "okay",
        "done",
        "true",
        "tbd",
        "t b d",
        "tbc",
        "t b c",
        "todo",
        "tba",
        "na",
        "n a",
        "none",
        "nothing",
        "no",
        "see above",
        "see below",
        "we have it",
        "we do",
        "in place",
        "available",
        "exists",
        "somewhere",
        "various",
        "ask me",
        "internal",
        "confluence",
        "jira",
        "github",
        "gitlab",
        "wiki",
        "docs",
        "documentation",
        "documented",
        "in the repo",
        "in our repo",
        "see docs",
        "see wiki",
        "on request",
        "not sure",
        "unknown",
        "don t know",
        "dont know",
        "will add later",
        "to be added",
        "coming soon",
    }
)


def normalised(text: str) -> str:
    """Lower case, punctuation as spaces, single spaces: how placeholders are compared."""
    return " ".join(re.sub(r"[^\w]+", " ", text.lower()).split())


def is_placeholder(text: str) -> bool:
    """True for evidence that names nothing: a stock word, or too short to name an artefact.
    Empty text is not a placeholder: it is no evidence, which is allowed."""
    stripped = text.strip()
    if not stripped or _LINK.search(stripped):
        return False
    if normalised(stripped) in _PLACEHOLDERS:
        return True
    # Short names of real artefacts carry a path, a number or an extension: "dvc.yaml",
    # "PR #4521", "MLOPS-42", "go/churn". Short words without any of those name nothing.
    return len(stripped) < MIN_EVIDENCE_LENGTH and not _ARTEFACT_MARK.search(stripped)


def counts_as_evidence(text: str) -> bool:
    """True when `text` is a link or names an artefact."""
    return bool(text.strip()) and not is_placeholder(text)


def placeholder_message(text: str) -> str:
    """The one-line refusal shown in forms and answers files."""
    shown = " ".join(text.split())
    return EVIDENCE_PLACEHOLDER.format(text=shown[:40])
