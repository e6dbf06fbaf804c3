"""A plain-text summary of a result, for the terminal (`score_answers --format text`)."""

from __future__ import annotations

from assessment.reports.result_view import ResultView


def _percent(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.0f} %"


def result_as_text(view: ResultView) -> str:
    lines = [
        f"Bank {view.bank_key}, scoring engine {view.engine_version}, "
        f"threshold {view.threshold:g} %",
        "",
        f"Overall: {view.overall_label}",
    ]
    if view.overall_evidenced_label != view.overall_label:
        lines.append(f"  counting only evidenced answers: {view.overall_evidenced_label}")
    lines.append("")
    for phase in view.phases:
        cells = "  ".join(
            f"L{cell.level} {_percent(cell.percent)} {'met' if cell.met else 'open'}"
            + (" (low confidence)" if cell.low_confidence else "")
            for cell in phase.cells
        )
        lines.append(f"{phase.name}: {phase.label}  [{cells}]")
    needing = view.roles_needing_action
    lines += ["", "Roles needing action:" if needing else "Roles: no gaps of 50 % or more."]
    for role in needing:
        gap = "n/a" if role.gap is None else f"{role.gap:.0%}"
        lines.append(f"  {role.action_label}: {role.name} ({role.presence_label}, gap {gap})")
    lines += ["", f"Recommendations ({len(view.recommendations)}):"]
    for number, rec in enumerate(view.recommendations, start=1):
        critical = ", critical" if rec.critical else ""
        lines.append(
            f"  {number}. {rec.code} ({rec.phase_name}, level {rec.level}{critical}; "
            f"owner {rec.owner_name}; answered {rec.answer})"
        )
        lines.append(f"     {rec.text}")
        lines.append(f"     First step: {rec.first_step}")
    if view.unknown:
        lines += ["", f'Answered "don\'t know": {", ".join(view.unknown)}']
    return "\n".join(lines)
