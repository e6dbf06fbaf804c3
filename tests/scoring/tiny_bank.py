"""A question bank small enough to score by hand: the golden cases are worked out against it.

3 phases x 3 levels, 2 or 3 questions per cell, 23 questions in all.

    code      owner           contributors                 critical  allow_na
    DES-0-01  product_owner   data_scientist               yes
    DES-0-02  data_scientist
    DES-0-03  product_owner                                          yes
    DES-1-01  data_scientist                               yes
    DES-1-02  product_owner   data_scientist
    DES-2-01  data_scientist                                         yes
    DES-2-02  product_owner                                          yes
    DEV-0-01  data_scientist                               yes
    DEV-0-02  data_engineer   data_scientist
    DEV-1-01  ml_engineer                                  yes
    DEV-1-02  ml_engineer     data_scientist
    DEV-1-03  data_engineer                                          yes
    DEV-2-01  ml_engineer
    DEV-2-02  ml_engineer                                            yes
    OPS-0-01  ml_engineer                                  yes
    OPS-0-02  ml_engineer                                            yes
    OPS-0-03  data_engineer                                          yes
    OPS-1-01  ml_engineer     data_engineer                yes
    OPS-1-02  ml_engineer                                            yes
    OPS-1-03  data_engineer                                          yes
    OPS-2-01  ml_engineer
    OPS-2-02  ml_engineer     data_engineer                          yes
    OPS-2-03  data_engineer                                          yes

Who is linked to what (w = 1 owner, 0.5 contributor), for the role-gap arithmetic:
    product_owner   DES-0-01 DES-0-03 DES-1-02 DES-2-02                              (all w 1)
    data_scientist  w 1: DES-0-02 DES-1-01 DES-2-01 DEV-0-01
                    w 0.5: DES-0-01 DES-1-02 DEV-0-02 DEV-1-02
    ml_engineer     DEV-1-01 DEV-1-02 DEV-2-01 DEV-2-02 OPS-0-01 OPS-0-02 OPS-1-01 OPS-1-02
                    OPS-2-01 OPS-2-02                                               (all w 1)
    data_engineer   w 1: DEV-0-02 DEV-1-03 OPS-0-03 OPS-1-03 OPS-2-03
                    w 0.5: OPS-1-01 OPS-2-02
    platform_owner  nothing: its gap is null
"""

from __future__ import annotations

from assessment.scoring.types import (
    Bank,
    Guidance,
    Level,
    Phase,
    PracticeArea,
    Question,
    Recommendation,
    Role,
)

PHASES = (
    Phase("design", "Design", "Framing the problem and the data."),
    Phase("development", "Development", "Building and testing models."),
    Phase("operations", "Operations", "Running models in production."),
)

LEVELS = (
    Level(0, "Manual process", "Every step is manual."),
    Level(1, "ML pipeline automation", "Training runs as a pipeline."),
    Level(2, "CI/CD pipeline automation", "Pipelines are built, tested and deployed."),
)

ROLES = (
    Role("product_owner", "Product owner", "Owns the problem and its success measures."),
    Role("data_scientist", "Data scientist", "Builds and evaluates models."),
    Role("ml_engineer", "ML engineer", "Builds pipelines and serving."),
    Role("data_engineer", "Data engineer", "Builds data pipelines."),
    Role("platform_owner", "Platform owner", "Owns shared tooling; no question here."),
)

# (code, owner, contributors, critical, allow_na)
_SHAPE: tuple[tuple[str, str, tuple[str, ...], bool, bool], ...] = (
    ("DES-0-01", "product_owner", ("data_scientist",), True, False),
    ("DES-0-02", "data_scientist", (), False, False),
    ("DES-0-03", "product_owner", (), False, True),
    ("DES-1-01", "data_scientist", (), True, False),
    ("DES-1-02", "product_owner", ("data_scientist",), False, False),
    ("DES-2-01", "data_scientist", (), False, True),
    ("DES-2-02", "product_owner", (), False, True),
    ("DEV-0-01", "data_scientist", (), True, False),
    ("DEV-0-02", "data_engineer", ("data_scientist",), False, False),
    ("DEV-1-01", "ml_engineer", (), True, False),
    ("DEV-1-02", "ml_engineer", ("data_scientist",), False, False),
    ("DEV-1-03", "data_engineer", (), False, True),
    ("DEV-2-01", "ml_engineer", (), False, False),
    ("DEV-2-02", "ml_engineer", (), False, True),
    ("OPS-0-01", "ml_engineer", (), True, False),
    ("OPS-0-02", "ml_engineer", (), False, True),
    ("OPS-0-03", "data_engineer", (), False, True),
    ("OPS-1-01", "ml_engineer", ("data_engineer",), True, False),
    ("OPS-1-02", "ml_engineer", (), False, True),
    ("OPS-1-03", "data_engineer", (), False, True),
    ("OPS-2-01", "ml_engineer", (), False, False),
    ("OPS-2-02", "ml_engineer", ("data_engineer",), False, True),
    ("OPS-2-03", "data_engineer", (), False, True),
)

_PHASE_BY_PREFIX = {"DES": "design", "DEV": "development", "OPS": "operations"}


def _question(
    code: str, owner: str, contributors: tuple[str, ...], critical: bool, allow_na: bool
) -> Question:
    prefix, level, _ = code.split("-")
    return Question(
        code=code,
        phase=_PHASE_BY_PREFIX[prefix],
        level=int(level),
        statement=f"Practice {code} is in place.",
        title=f"Practice {code}",
        guidance=Guidance(
            not_in_place=f"{code} is not done.",
            manual=f"{code} is done by hand, documented and repeatable.",
            automated=f"{code} is automated.",
        ),
        owner=owner,
        recommendation=Recommendation(action=f"Put {code} in place.", first_step=f"Start {code}."),
        contributors=contributors,
        critical=critical,
        allow_na=allow_na,
        tags=("tiny",),
    )


TINY_BANK = Bank(
    slug="tiny",
    version="1.0",
    title="Tiny bank",
    description="A bank small enough to score by hand.",
    phases=PHASES,
    levels=LEVELS,
    roles=ROLES,
    practice_areas=(PracticeArea("tiny", "Tiny"),),
    questions=tuple(_question(*shape) for shape in _SHAPE),
)
