"""The report's content as plain data: what each section says, before any template (pure)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from assessment.reports.prose import format_date
from assessment.reports.report import (
    APPENDIX,
    CHARTS,
    FINDINGS,
    GRID,
    METHOD,
    ROADMAP,
    ROLES,
    SUMMARY,
    build_report,
)
from assessment.reports.sections.cover import Cover
from assessment.reports.sections.progress import Previous
from assessment.scoring.engine import score
from assessment.scoring.results import Result
from assessment.scoring.types import Answer, AnswerValue, AssessmentInput, Presence
from tests.reports.helpers import ACME_COVER, bundled_bank, realistic_input
from tests.scoring.tiny_bank import TINY_BANK

EVIDENCE = "https://wiki.example/proof"


def tiny_answers(**overrides: Answer) -> dict[str, Answer]:
    given = {q.code: Answer(AnswerValue.AUTOMATED, evidence=EVIDENCE) for q in TINY_BANK.questions}
    for name, answer in overrides.items():
        given[name.replace("_", "-")] = answer
    return given


def a(value: str) -> Answer:
    return Answer(AnswerValue(value))


COVER = Cover(organisation="Acme", team="Fraud detection", label="2026 Q4", date=date(2026, 3, 7))


def test_sections_come_in_order_and_progress_only_with_a_previous_result() -> None:
    result = score(TINY_BANK, AssessmentInput(answers=tiny_answers()))

    alone = build_report(TINY_BANK, result, COVER)
    compared = build_report(TINY_BANK, result, COVER, Previous("2026 Q3", date(2026, 1, 9), result))

    # The page a CTO reads alone, then the plan, then the detail.
    expected = [SUMMARY, ROADMAP, FINDINGS, GRID, CHARTS, ROLES, METHOD, APPENDIX]
    assert [(s.anchor, s.title) for s in alone.sections] == expected
    assert alone.progress is None
    assert [s.anchor for s in compared.sections][5] == "progress"
    assert compared.section_titles["progress"] == "Progress since 2026 Q3"
    assert compared.progress is not None
    assert compared.progress.previous_date == "9 January 2026"


def test_the_cover_and_metadata_name_the_team_the_bank_and_the_respondents() -> None:
    bank = bundled_bank()
    report = build_report(bank, score(bank, realistic_input(bank, seed=3)), ACME_COVER)

    assert report.title == "MLOps maturity report: Fraud detection, 2026 Q4"
    assert report.author == "Dana Okafor"
    assert report.language == "en"
    assert report.header == "Fraud detection · 2026 Q4 · 20 November 2026"
    cover = report.cover
    assert (cover.organisation, cover.team, cover.label) == (
        "Acme Analytics",
        "Fraud detection",
        "2026 Q4",
    )
    assert (cover.bank_title, cover.bank_version) == ("MLOps maturity assessment", "2.0")
    assert cover.respondents == "Dana Okafor (lead), Sam Lee"
    assert cover.engine_version == "2.0.0"


def test_the_summary_explains_a_missing_foundation() -> None:
    result = score(TINY_BANK, AssessmentInput(answers=tiny_answers(DES_0_01=a("0"))))

    summary = build_report(TINY_BANK, result, COVER).summary

    assert summary.overall_label == "Not yet level 0"
    assert summary.overall_sentence.startswith("Design does not yet meet level 0.")
    design = summary.phases[0]
    assert (design.name, design.label) == ("Design", "Not yet level 0")
    assert design.sentence == (
        "Level 0 needs every one of its practices in place, by hand or automated: 2 of 3 are. "
        "Not yet in place: Practice DES-0-01."
    )
    assert summary.actions[0].code == "DES-0-01"


def test_the_summary_names_the_phases_that_hold_the_overall_level() -> None:
    result = score(TINY_BANK, AssessmentInput(answers=tiny_answers(OPS_1_01=a("0.5"))))

    summary = build_report(TINY_BANK, result, COVER).summary

    assert summary.overall_label == "Level 0 \u2013 Manual process"
    assert summary.overall_meaning == "Every step is manual."
    assert summary.overall_sentence == (
        "The overall level is the lowest phase level: Operations holds it at level 0, while "
        "Design reaches level 2 and Development reaches level 2."
    )
    assert summary.phases[0].sentence == "Top level reached."


def test_the_summary_lists_at_most_five_actions_in_the_engines_order() -> None:
    bank = bundled_bank()
    result = score(bank, realistic_input(bank, seed=3))

    summary = build_report(bank, result, ACME_COVER).summary

    assert len(result.recommendations) > 5
    assert [a.code for a in summary.actions] == [r.code for r in result.recommendations[:5]]
    assert summary.more_actions == len(result.recommendations) - 5


def test_the_summary_says_when_evidence_would_lower_the_level() -> None:
    # DEV-1-01 is critical at level 1, where it must be automated: without evidence it counts
    # as done by hand. (At level 0, by hand is enough: evidence cannot lower that level.)
    answers = tiny_answers(DEV_1_01=Answer(AnswerValue.AUTOMATED))  # no evidence

    summary = build_report(TINY_BANK, score(TINY_BANK, AssessmentInput(answers)), COVER).summary

    assert summary.evidence_sentence.startswith(
        "Counting only answers backed by evidence, the overall level would be Level 0 \u2013 "
        "Manual process, as Development drops to Level 0 \u2013 Manual process: 1 practice "
        "answered as fully in place has no evidence attached"
    )


def test_the_summary_says_when_evidence_would_lower_a_phase_but_not_the_overall_level() -> None:
    answers = tiny_answers(DES_0_01=a("0"), OPS_1_01=Answer(AnswerValue.AUTOMATED))

    summary = build_report(TINY_BANK, score(TINY_BANK, AssessmentInput(answers)), COVER).summary

    assert summary.evidence_sentence == (
        "Counting only answers backed by evidence, the overall level holds but Operations drops "
        "to Level 0 \u2013 Manual process: 1 practice answered as fully in place has no evidence "
        "attached and counts as done manually in that view."
    )


def test_role_gaps_get_one_sentence_each_and_a_section_with_their_practices() -> None:
    given = AssessmentInput(
        answers=tiny_answers(
            DEV_1_01=a("0"), DEV_1_02=a("0"), DEV_2_01=a("0"), OPS_0_01=a("0"), OPS_2_01=a("0")
        ),
        team={"ml_engineer": Presence.ABSENT, "data_scientist": Presence.PRESENT},
    )
    report = build_report(TINY_BANK, score(TINY_BANK, given), COVER)

    # One role held (the data scientist): a small team, so the absent ML engineer's work is
    # given to the role most involved in it rather than hired for. Its first-month actions:
    # OPS-0-01 (operations is not yet level 0), DEV-1-01 (critical at development's next level)
    # and DEV-1-02; the reason names two and counts the third. Its plan: the same three at 10
    # person-days each = 50 % of 60 days.
    assert report.summary.role_sentences == (
        "Nobody is named as ML engineer: give it to the data scientist, since it owns "
        "\u201cPractice OPS-0-01\u201d, \u201cPractice DEV-1-01\u201d and 1 more in the first 30 "
        "days; its "
        "actions come to about 50\u00a0% of one person's time over 90 days.",
    )
    roles = {role.code: role for role in report.roles}
    assert len(roles) == len(TINY_BANK.roles)
    ml = roles["ml_engineer"]
    # In reach (up to each phase's target): DEV-1-01 0, DEV-1-02 0, OPS-0-01 0, OPS-0-02 1, all
    # owned and medium risk -> 3 / 4 = 75 %.
    assert (ml.presence_label, ml.gap, ml.action_label) == (
        "Absent",
        "75\u00a0%",
        "Give to someone in the team",
    )
    codes = ["DEV-1-01", "DEV-1-02", "DEV-2-01", "OPS-0-01", "OPS-2-01"]
    assert [p.code for p in ml.open_practices] == codes
    assert {p.relation for p in ml.open_practices} == {"owner"}
    # A count only: the roadmap and the appendix name the practices.
    assert ml.open_summary == "5 of 10"
    # The data scientist only contributes to DEV-1-02 here.
    scientist = roles["data_scientist"]
    assert [(p.code, p.relation) for p in scientist.open_practices] == [("DEV-1-02", "contributor")]
    assert roles["platform_owner"].open_summary == "No practice linked"
    assert roles["platform_owner"].gap == "n/a"


def test_the_roadmap_is_the_plan_by_month() -> None:
    given = AssessmentInput(
        answers=tiny_answers(DES_0_02=a("0.5"), OPS_1_02=a("0"), DEV_1_02=a("0")),
        targets={"design": 2, "development": 2, "operations": 2},
    )
    report = build_report(TINY_BANK, score(TINY_BANK, given), COVER)

    # Development and operations are at level 0 with a gap at level 1 (tier 2: their next
    # level); DES-0-02 at 0.5 strengthens design's level 0 (tier 3). Three actions: one month.
    groups = [(g.anchor, g.title, [i.rec.code for i in g.items]) for g in report.roadmap]
    assert groups == [("roadmap-30", "First 30 days", ["DEV-1-02", "OPS-1-02", "DES-0-02"])]
    assert [i.number for g in report.roadmap for i in g.items] == [1, 2, 3]
    first = report.roadmap[0]
    assert first.intro == (
        "3 actions. What blocks the next level, then the quick wins: start these now."
    )
    # Design still meets level 0: that practice strengthens a level already reached.
    assert [i.unlocks for i in first.items] == [True, True, False]
    item = first.items[1].rec
    assert (item.owner_name, item.first_step, item.period) == (
        "ML engineer",
        "Start OPS-1-02.",
        30,
    )


def test_a_result_scored_before_the_plan_keeps_its_roadmap_by_level() -> None:
    given = AssessmentInput(
        answers=tiny_answers(DES_0_02=a("0.5"), OPS_1_02=a("0"), DEV_1_02=a("0")),
        targets={"design": 2, "development": 2, "operations": 2},
    )
    stored = score(TINY_BANK, given).to_dict()
    stored["engine_version"] = "1.0.0"
    report = build_report(TINY_BANK, Result.from_dict(stored), COVER)

    assert [g.anchor for g in report.roadmap] == ["roadmap-level-0", "roadmap-level-1"]
    assert report.roadmap[0].intro == (
        "1 practice: strengthening level 0 where it is already reached (Design)."
    )


def test_the_method_lists_na_reasons_unknowns_evidence_and_low_confidence() -> None:
    given = AssessmentInput(
        answers=tiny_answers(
            DES_2_01=Answer(AnswerValue.NOT_APPLICABLE, reason="no second model"),
            DES_2_02=Answer(AnswerValue.NOT_APPLICABLE, reason="one product only"),
            DEV_0_02=Answer(AnswerValue.UNKNOWN),
            OPS_1_01=Answer(AnswerValue.AUTOMATED),
        )
    )
    method = build_report(TINY_BANK, score(TINY_BANK, given), COVER).method

    assert [(na.code, na.reason) for na in method.not_applicable] == [
        ("DES-2-01", "no second model"),
        ("DES-2-02", "one product only"),
    ]
    assert method.unknown == ("DEV-0-02",)
    assert method.without_evidence == ("OPS-1-01",)
    assert [(c.phase, c.level, c.na, c.questions) for c in method.low_confidence] == [
        ("Design", 2, 2, 2)
    ]
    operations = method.evidence_rows[2]
    assert (operations.claimed, operations.evidenced) == (
        "Level 2 \u2013 CI/CD pipeline automation",
        "Level 0 \u2013 Manual process",
    )
    assert (method.threshold, method.engine_version, method.bank_key) == (
        "80\u00a0%",
        "2.0.0",
        "tiny@1.0",
    )


def test_the_appendix_holds_every_question_with_its_answer_and_texts() -> None:
    given = AssessmentInput(
        answers=tiny_answers(
            DES_0_02=Answer(AnswerValue.MANUAL, evidence="see the wiki", note="reviewed in June"),
            DES_0_03=Answer(AnswerValue.NOT_APPLICABLE, reason="one source only"),
            DEV_0_01=Answer(AnswerValue.AUTOMATED),
        )
    )
    given.answers.pop("OPS-2-03")
    appendix = build_report(TINY_BANK, score(TINY_BANK, given), COVER).appendix

    rows = {row.code: row for phase in appendix for level in phase.levels for row in level.rows}
    assert list(rows) == [q.code for q in TINY_BANK.questions]
    # A level-0 practice fully in place is "institutionalised", in the report as in the form.
    assert (rows["DES-0-01"].answer, rows["DES-0-01"].critical) == ("Institutionalised", True)
    assert rows["DES-0-01"].evidence_url == EVIDENCE
    assert (rows["DES-0-02"].evidence, rows["DES-0-02"].evidence_url) == ("see the wiki", "")
    assert rows["DES-0-02"].note == "reviewed in June"
    assert (rows["DES-0-03"].answer, rows["DES-0-03"].reason) == (
        "Not applicable",
        "one source only",
    )
    assert rows["DEV-0-01"].downgraded is True
    assert rows["DES-0-01"].downgraded is False
    assert (rows["OPS-2-03"].answer, rows["OPS-2-03"].value) == ("Not answered", "")


def test_progress_gives_level_cell_and_answer_changes_in_words() -> None:
    previous = score(TINY_BANK, AssessmentInput(answers=tiny_answers(DES_0_01=a("0"))))
    current = score(TINY_BANK, AssessmentInput(answers=tiny_answers(OPS_2_01=a("0"))))

    progress = build_report(TINY_BANK, current, COVER, Previous("2026 Q3", None, previous)).progress

    assert progress is not None
    assert progress.sentence == (
        "The overall level rose from not yet level 0 to Level 1 \u2013 ML pipeline automation. "
        "Design moved up; Operations moved down. 1 answer improved and 1 regressed."
    )
    assert [(p.name, p.before, p.after, p.change) for p in progress.phases] == [
        ("Design", "Not yet level 0", "Level 2 \u2013 CI/CD pipeline automation", "Up 3 levels"),
        (
            "Development",
            "Level 2 \u2013 CI/CD pipeline automation",
            "Level 2 \u2013 CI/CD pipeline automation",
            "No change",
        ),
        (
            "Operations",
            "Level 2 \u2013 CI/CD pipeline automation",
            "Level 1 \u2013 ML pipeline automation",
            "Down 1 level",
        ),
    ]
    assert [(c.phase, c.level, c.before, c.after, c.change) for c in progress.cells] == [
        ("Design", 0, "67\u00a0%, not met", "100\u00a0%, met", "+33 points, now met"),
        ("Operations", 2, "100\u00a0%, met", "67\u00a0%, not met", "-33 points, no longer met"),
    ]
    assert progress.improved_text == "DES-0-01 from not in place to institutionalised"
    assert progress.regressed_text == "OPS-2-01 from automated to not in place"
    assert progress.note == ""


def test_progress_notes_a_change_of_bank_version() -> None:
    older = replace(TINY_BANK, version="0.9")
    previous = score(older, AssessmentInput(answers=tiny_answers()))
    current = score(TINY_BANK, AssessmentInput(answers=tiny_answers()))

    progress = build_report(TINY_BANK, current, COVER, Previous("v0", None, previous)).progress

    assert progress is not None
    assert progress.note == (
        "The previous assessment used tiny@0.9 and this one tiny@1.0: questions are compared "
        "where their codes match."
    )


def test_dates_are_written_in_words_whatever_the_locale() -> None:
    assert format_date(date(2026, 3, 7)) == "7 March 2026"
    assert format_date(None) == ""


def test_a_regression_is_said_first_in_the_summary() -> None:
    # Last quarter everything was automated (level 2); now OPS-0-01 is not in place, so
    # operations and the overall level fall to "not yet level 0".
    before = score(TINY_BANK, AssessmentInput(answers=tiny_answers()))
    now = score(TINY_BANK, AssessmentInput(answers=tiny_answers(OPS_0_01=a("0"))))

    summary = build_report(TINY_BANK, now, COVER, Previous("2026 Q3", None, before)).summary

    assert summary.regressed is True
    assert summary.change_sentence == (
        "Regression. Since 2026 Q3, the overall level fell from Level 2 \u2013 CI/CD pipeline "
        "automation to not yet level 0: no practice improved and 1 went back."
    )


def test_the_summary_names_strengths_risks_and_the_first_month_in_words() -> None:
    bank = bundled_bank()
    result = score(bank, realistic_input(bank, seed=3))

    summary = build_report(bank, result, ACME_COVER).summary

    assert len(summary.strengths) == 3
    assert len(summary.risks) == 3
    assert all(
        risk.note and not re.search(r"[A-Z]{3}-\d-\d\d", risk.note) for risk in summary.risks
    )
    assert [rec.period for rec in summary.first_month] == [30] * len(summary.first_month)
    assert summary.first_month == tuple(
        r for r in build_report(bank, result, ACME_COVER).view.recommendations if r.period == 30
    )
    # No question code in the summary's sentences: codes stay in tables and the appendix.
    prose = " ".join(
        [summary.overall_sentence, summary.evidence_sentence, summary.index_sentence]
        + [phase.sentence for phase in summary.phases]
        + list(summary.role_sentences)
        + list(summary.strengths)
    )
    assert not re.search(r"[A-Z]{3}-\d-\d\d", prose), prose


def test_a_result_of_another_scoring_method_is_no_regression() -> None:
    # Last quarter scored by engine 1: the same answers, a different method. A level that moved
    # may only say the method changed, so the summary says that instead of "Regression".
    before = score(TINY_BANK, AssessmentInput(answers=tiny_answers()))
    stored = before.to_dict()
    stored["engine_version"] = "1.0.0"
    now = score(TINY_BANK, AssessmentInput(answers=tiny_answers(OPS_0_01=a("0"))))

    summary = build_report(
        TINY_BANK, now, COVER, Previous("2026 Q3", None, Result.from_dict(stored))
    ).summary

    assert summary.regressed is False
    assert summary.change_sentence.startswith(
        "Since 2026 Q3, the scoring method changed (this result uses the maturity model 2.0)"
    )


def test_each_risk_on_the_first_page_says_where_the_plan_takes_it_up() -> None:
    bank = bundled_bank()
    report = build_report(bank, score(bank, realistic_input(bank, seed=3)), ACME_COVER)
    numbers = {rec.name: n for n, rec in enumerate(report.view.recommendations, start=1)}
    periods = {rec.name: rec.period for rec in report.view.recommendations}
    words = {30: "first 30 days", 60: "days 31 to 60", 90: "days 61 to 90", None: "after 90 days"}

    assert len(report.summary.risks) == 3
    for risk in report.summary.risks:
        assert risk.title in numbers  # every missing high-risk practice is in the plan here
        expected = f"Roadmap item {numbers[risk.title]}, {words[periods[risk.title]]}."
        assert risk.when == expected


def test_the_gate_sentence_names_each_cap_once() -> None:
    bank = bundled_bank()
    report = build_report(bank, score(bank, realistic_input(bank, seed=3)), ACME_COVER)
    sentence = report.summary.gate_sentence
    waiting = [g for g in report.view.gate if not g.binding]
    caps = {g.caps_at for g in waiting}

    assert len(waiting) > len(caps)  # two practices share a cap in this case
    for caps_at in caps:
        clause = f"(the overall level cannot pass level {caps_at})"
        assert sentence.count(clause) == 1
    for g in waiting:
        assert g.missing in sentence
