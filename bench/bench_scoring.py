"""How long the scoring engine takes: one full assessment (goal: under 1 ms), and 10,000 in a row.

Run: .venv/bin/python bench/bench_scoring.py   (or `make bench`, which runs every bench_*.py)

Uses the real question bank when its loader is available, else a generated bank of 54 questions
of the same shape; the output says which.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script: make the project importable

from assessment.scoring.engine import score  # noqa: E402
from assessment.scoring.types import (  # noqa: E402
    Answer,
    AnswerValue,
    AssessmentInput,
    Bank,
    Presence,
)

REAL_BANK_FILE = ROOT / "fixtures" / "question_banks" / "mlops-maturity" / "2.0.yaml"
GOAL_MS = 1.0
SINGLE_RUNS = 2_000
BATCH_SIZE = 10_000
SEED = 20_240_101  # the same random answers on every run, so figures compare across machines


def load_bank() -> tuple[Bank, str]:
    try:
        from assessment.banks.loader import load_bank_file
    except ImportError:
        reason = "assessment.banks.loader is not available"
    else:
        try:
            bank = load_bank_file(REAL_BANK_FILE)
        except Exception as error:  # any loader failure: still measure the engine
            reason = f"the real bank could not be loaded ({error})"
        else:
            return bank, f"real bank {bank.key} ({REAL_BANK_FILE.relative_to(ROOT)})"
    from tests.scoring.bank_factory import generated_bank

    bank = generated_bank(questions_per_cell=6, seed=0)
    return bank, f"generated bank of {len(bank.questions)} questions: {reason}"


def random_assessment(bank: Bank, rng: random.Random, *, answer_all: bool) -> AssessmentInput:
    answers = {}
    for question in bank.questions:
        if not answer_all and rng.random() < 0.1:
            continue  # some questions left unanswered
        values = [AnswerValue.NOT_IN_PLACE, AnswerValue.MANUAL, AnswerValue.AUTOMATED]
        values += [AnswerValue.UNKNOWN] + ([AnswerValue.NOT_APPLICABLE] * question.allow_na)
        value = rng.choice(values)
        answers[question.code] = Answer(
            value=value,
            evidence=rng.choice(["", "https://wiki.example/evidence"]),
            reason="does not apply here" if value is AnswerValue.NOT_APPLICABLE else "",
        )
    team = {role.code: rng.choice(list(Presence)) for role in bank.roles}
    targets = {phase.code: rng.choice(bank.levels).number for phase in bank.phases}
    if rng.random() < 0.5:
        targets = {}
    return AssessmentInput(answers=answers, team=team, targets=targets)


def median_single_ms(bank: Bank, given: AssessmentInput) -> float:
    for _ in range(200):  # warm up caches (the bank's cached lookups, the interpreter)
        score(bank, given)
    timings = []
    for _ in range(SINGLE_RUNS):
        start = time.perf_counter()
        score(bank, given)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings) * 1000


def batch_seconds(bank: Bank, inputs: list[AssessmentInput], *, with_json: bool) -> float:
    start = time.perf_counter()
    for given in inputs:
        result = score(bank, given)
        if with_json:
            json.dumps(result.to_dict())
    return time.perf_counter() - start


def main() -> int:
    bank, source = load_bank()
    rng = random.Random(SEED)
    print(f"bank: {source}")
    print(
        f"      {len(bank.questions)} questions, {len(bank.phases)} phases, "
        f"{len(bank.levels)} levels, {len(bank.roles)} roles"
    )

    full = random_assessment(bank, rng, answer_all=True)
    median_ms = median_single_ms(bank, full)
    verdict = "PASS" if median_ms < GOAL_MS else "MISS"
    print(
        f"one full assessment: median {median_ms:.3f} ms over {SINGLE_RUNS:,} runs "
        f"(goal < {GOAL_MS:g} ms: {verdict})"
    )

    inputs = [random_assessment(bank, rng, answer_all=False) for _ in range(BATCH_SIZE)]
    seconds = batch_seconds(bank, inputs, with_json=False)
    print(
        f"{BATCH_SIZE:,} assessments with random answers: {seconds:.2f} s in one process "
        f"({seconds / BATCH_SIZE * 1000:.3f} ms each)"
    )
    seconds = batch_seconds(bank, inputs, with_json=True)
    print(
        f"{BATCH_SIZE:,} assessments, scored and serialised to JSON: {seconds:.2f} s "
        f"({seconds / BATCH_SIZE * 1000:.3f} ms each)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
