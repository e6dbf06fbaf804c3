"""Levels and scores at a glance: the two charts of a result (drawn by assessment.charts)."""

from __future__ import annotations

from dataclasses import dataclass

from assessment.charts import glance
from assessment.reports.result_view import ResultView


@dataclass(frozen=True)
class Charts:
    levels: str  # SVG markup, every text escaped
    scores: str


def build_charts(view: ResultView) -> Charts:
    return Charts(
        levels=glance.level_chart(
            [glance.PhaseLevels(p.name, p.level, p.target, p.target_given) for p in view.phases],
            view.levels,
        ),
        scores=glance.score_chart(
            [
                glance.PhaseScores(
                    p.name,
                    tuple(
                        glance.CellScore(
                            c.level,
                            c.percent,
                            c.met,
                            in_place=c.in_place if c.all_in_place else None,
                            applicable=c.applicable,
                        )
                        for c in p.cells
                    ),
                )
                for p in view.phases
            ],
            view.threshold,
        ),
    )
