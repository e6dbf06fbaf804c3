"""Generated question banks, shaped like the real one, for property tests and the benchmark."""

from __future__ import annotations

import random

from assessment.scoring.types import (
    EFFORTS,
    GRADES,
    Bank,
    Guidance,
    Level,
    Phase,
    PracticeArea,
    Question,
    Recommendation,
    Role,
)

ROLE_CODES = (
    "product_owner",
    "data_scientist",
    "data_engineer",
    "ml_engineer",
    "platform_engineer",
    "risk_officer",
)


def generated_bank(
    *, phases: int = 3, levels: int = 3, questions_per_cell: int = 6, seed: int = 0
) -> Bank:
    """A bank of phases x levels x questions_per_cell questions (54 by default, like the real one).

    About one question in six is critical, one in three allows `na` and, of the others, one in
    eight is a gate practice; owners and contributors are drawn from six roles. The same seed
    always gives the same bank. Each question has a random risk, impact and effort and up to
    two dependencies on questions before it (so never a cycle).
    """
    rng = random.Random(seed)
    phase_codes = [f"phase{p}" for p in range(phases)]
    questions: list[Question] = []
    for phase_code in phase_codes:
        for level in range(levels):
            for n in range(1, questions_per_cell + 1):
                owner = rng.choice(ROLE_CODES)
                contributors = tuple(
                    sorted(set(rng.sample(ROLE_CODES, rng.randint(0, 2))) - {owner})
                )
                code = f"{phase_code.upper()}-{level}-{n:02d}"
                allow_na = rng.random() < 1 / 3
                gate = not allow_na and rng.random() < 1 / 8
                earlier = [q.code for q in questions]
                depends_on = tuple(
                    sorted(rng.sample(earlier, min(len(earlier), rng.choice([0, 0, 1, 2]))))
                )
                questions.append(
                    Question(
                        code=code,
                        phase=phase_code,
                        level=level,
                        statement=f"Practice {code} is in place.",
                        guidance=Guidance("Not done.", "Done by hand.", "Automated."),
                        owner=owner,
                        recommendation=Recommendation(f"Put {code} in place.", f"Start {code}."),
                        contributors=contributors,
                        critical=rng.random() < 1 / 6,
                        allow_na=allow_na,
                        gate=f"no {code}" if gate else "",
                        risk=rng.choice(GRADES),
                        impact=rng.choice(GRADES),
                        effort=rng.choice(EFFORTS),
                        depends_on=depends_on,
                    )
                )
    return Bank(
        slug="generated",
        version=f"{seed}.0",
        title="Generated bank",
        description="Generated for tests and benchmarks.",
        phases=tuple(Phase(code, code.title(), "") for code in phase_codes),
        levels=tuple(Level(n, f"Level name {n}", "") for n in range(levels)),
        roles=tuple(Role(code, code.replace("_", " ").title(), "") for code in ROLE_CODES),
        practice_areas=(PracticeArea("generated", "Generated"),),
        questions=tuple(questions),
    )
