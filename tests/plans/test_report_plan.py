"""The action plan in the report: the follow-up of the actions done between two submissions (in
the progress section and on the compare page), the plan section in the page, the PDF and the
Word copy, the PDF's cache key, and the number of queries whatever the number of actions."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime, timedelta

import docx
import pdfplumber
import pypdf
import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.timezone import localdate

from assessment.models import Action, Assessment, QuestionBank
from assessment.pdf import render as pdf
from assessment.reports.docx import report_docx
from assessment.reports.report import ReportContext
from assessment.reports.sections.plan import START_SENTENCE, Plan, PlanAction, build_plan
from assessment.scoring.followup import Reflection
from assessment.scoring.types import Answer, AnswerValue, AssessmentInput, Presence
from assessment.selectors.report import report_context, report_sources
from assessment.services.actions import action_update
from core.models import Team
from tests.factories import UserFactory
from tests.reports.helpers import bundled_bank, submitted_assessment
from tests.reports.test_pdf_layout import RIGHT_EDGE, body_words, is_heading, rightmost

pytestmark = pytest.mark.django_db

# Practices of the bundled bank (2.0), all at level 1, so their answers read "done manually" and
# "automated" (a level-0 practice fully in place reads "institutionalised").
RAISED = "DEV-1-04"  # done manually in Q3, automated in Q4
STUCK = "DEV-1-05"  # done manually both times
HALF = ("OPS-1-02", "OPS-1-05")  # the first automated in Q4, the second still done manually

Q3_AT = datetime(2026, 9, 15, 12, tzinfo=UTC)
Q4_AT = datetime(2026, 11, 20, 12, tzinfo=UTC)
TODAY = date(2026, 12, 5)
SENTENCE = (
    "Of the 3 actions done since 2026 Q3, 1 is reflected in the answers, 1 partly, 1 not yet."
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")  # not "mlops-maturity@2.0"


def given(*automated: str) -> AssessmentInput:
    """Every practice done by hand, except those given, automated with evidence."""
    bank = bundled_bank()
    answers = {
        q.code: Answer(AnswerValue.AUTOMATED, evidence="https://wiki.example/proof")
        if q.code in automated
        else Answer(AnswerValue.MANUAL)
        for q in bank.questions
    }
    return AssessmentInput(
        answers=answers, team={role.code: Presence.PRESENT for role in bank.roles}
    )


def submitted(
    team: Team, bank: QuestionBank, by: User, label: str, at: datetime, **kw
) -> Assessment:
    assessment = submitted_assessment(team=team, bank=bank, by=by, label=label, **kw)
    Assessment.objects.filter(pk=assessment.pk).update(submitted_at=at)
    assessment.refresh_from_db()
    return assessment


@pytest.fixture
def quarters(acme_team, alice, mlops_bank) -> tuple[Assessment, Assessment]:
    """2026 Q3, then 2026 Q4 where RAISED and HALF[0] went from done manually to automated."""
    q3 = submitted(acme_team, mlops_bank, alice, "2026 Q3", Q3_AT, given=given())
    q4 = submitted(acme_team, mlops_bank, alice, "2026 Q4", Q4_AT, given=given(RAISED, HALF[0]))
    return q3, q4


def action(team: Team, by: User, title: str, *practices: str, **fields) -> Action:
    return Action.objects.create(
        team=team, title=title, practices=list(practices), created_by=by, updated_by=by, **fields
    )


@pytest.fixture
def mo(acme_team) -> User:
    return UserFactory.create(username="mo", first_name="Mo", last_name="Reyes")


@pytest.fixture
def plan(quarters, acme_team, alice, mo) -> dict[str, Action]:
    """Three actions done between Q3 and Q4 (one per verdict), one done before Q3, one after
    Q4, two open (one overdue on TODAY) and one dropped."""
    done = Action.Status.DONE
    between = Q3_AT + timedelta(days=20)
    return {
        "raised": action(acme_team, alice, "Log every run's metadata", RAISED, status=done,
                         done_at=between, owner=mo),
        "half": action(acme_team, alice, "Validate and route serving alerts", *HALF, status=done,
                       done_at=between + timedelta(days=1), owner_name="Sam (platform)"),
        "stuck": action(acme_team, alice, "Share feature definitions", STUCK, status=done,
                        done_at=between + timedelta(days=2)),
        "before": action(acme_team, alice, "An old clean-up", STUCK, status=done,
                         done_at=Q3_AT - timedelta(days=3)),
        "after": action(acme_team, alice, "Write the runbook", "OPS-1-05", status=done,
                        done_at=Q4_AT + timedelta(days=5)),
        "late": action(acme_team, alice, "Measure training-serving skew", "OPS-1-07",
                       status=Action.Status.IN_PROGRESS, due_on=date(2026, 11, 23), owner=mo),
        "open": action(acme_team, alice, "Monitor model staleness", "OPS-1-08",
                       due_on=date(2027, 1, 31)),
        "dropped": action(acme_team, alice, "A dropped idea", status=Action.Status.DROPPED,
                          dropped_reason="Not worth it"),
    }  # fmt: skip


def q4_report(quarters, *, shared: bool = False, today: date = TODAY) -> ReportContext:
    return report_context(report_sources(quarters[1], shared=shared, today=today))


def one_line(text: str) -> str:
    return " ".join(text.split())


# --- The follow-up in the progress section -------------------------------------------------------


def test_progress_follows_up_the_actions_done_between_the_two_submissions(quarters, plan):
    progress = q4_report(quarters).progress
    assert progress is not None

    assert progress.followup_sentence == SENTENCE
    # Oldest first; the action done before Q3 and the one done after Q4 are not followed up.
    assert [(f.title, f.reflection) for f in progress.followups] == [
        ("Log every run's metadata", Reflection.REFLECTED),
        ("Validate and route serving alerts", Reflection.PARTLY),
        ("Share feature definitions", Reflection.NOT_REFLECTED),
    ]
    raised, half, stuck = progress.followups
    assert raised.verdict == "Done and reflected in the answers"
    assert raised.practices_text == f"{RAISED} from done manually to automated"
    assert half.practices_text == (
        f"{HALF[0]} from done manually to automated; {HALF[1]} from done manually to done manually"
    )
    assert stuck.verdict == "Done but not reflected in the answers"


def test_the_first_assessment_has_no_follow_up(quarters, plan):
    report = report_context(report_sources(quarters[0], today=TODAY))
    assert report.progress is None
    assert report.plan is not None  # but it has the plan


def test_no_action_done_in_between_means_no_follow_up(quarters):
    progress = q4_report(quarters).progress
    assert progress is not None
    assert (progress.followups, progress.followup_sentence) == ((), "")


# --- The plan section ----------------------------------------------------------------------------


def test_the_plan_section_follows_the_roadmap_with_counts_open_then_done(quarters, plan):
    report = q4_report(quarters)
    anchors = [s.anchor for s in report.sections]
    assert anchors[anchors.index("roadmap") + 1] == "plan"
    assert report.section_titles["plan"] == "Action plan"
    view = report.plan
    assert view is not None

    assert view.as_of == "5 December 2026"
    assert "as it stands on 5 December 2026" in view.intro
    assert view.counts == "2 open actions, 1 of them overdue; 4 done since 2026 Q3."
    # Open by due date; the dropped one is not listed.
    assert [r.title for r in view.open] == [
        "Measure training-serving skew",
        "Monitor model staleness",
    ]
    late, later = view.open
    assert (late.owner, late.status, late.overdue) == ("Mo Reyes", "In progress", True)
    assert late.due == "23 November 2026: overdue by 12 days"
    assert late.practices == "Training-serving skew measurement (OPS-1-07)"
    assert (later.owner, later.status, later.due, later.overdue) == (
        "Nobody yet",
        "Planned",
        "31 January 2027",
        False,
    )
    # Done since Q3, most recent first: the one done after Q4 too, not the one before Q3.
    assert view.done_title == "Done since 2026 Q3"
    assert [(r.title, r.done) for r in view.done] == [
        ("Write the runbook", "25 November 2026"),
        ("Share feature definitions", "7 October 2026"),
        ("Validate and route serving alerts", "6 October 2026"),
        ("Log every run's metadata", "5 October 2026"),
    ]
    assert view.done[2].owner == "Sam (platform)"


def test_overdue_is_said_in_words_from_the_day_after_the_due_date() -> None:
    bank = bundled_bank()
    due = date(2026, 12, 1)
    rows = {
        today: build_plan(
            bank,
            Plan(today, open=(PlanAction("A", (), "", "Planned", due_on=due),), has_actions=True),
        )
        for today in (date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 20))
    }
    assert [(v.open[0].due, v.counts) for v in rows.values()] == [
        ("1 December 2026", "1 open action; none done so far."),
        ("1 December 2026: overdue by 1 day", "1 open action, overdue; none done so far."),
        ("1 December 2026: overdue by 19 days", "1 open action, overdue; none done so far."),
    ]
    assert rows[date(2026, 12, 1)].open[0].practices == "None named"


def test_a_team_without_actions_is_told_how_to_start_one(quarters):
    view = q4_report(quarters).plan
    assert view is not None
    assert view.empty == START_SENTENCE
    assert "accept the recommendations" in START_SENTENCE
    assert "result page" in START_SENTENCE


def test_the_report_page_shows_the_plan_and_the_follow_up(alice_client, quarters, plan):
    # The page reads the plan as of the real day: the overdue action is due yesterday.
    Action.objects.filter(pk=plan["late"].pk).update(due_on=localdate() - timedelta(days=1))
    page = alice_client.get(f"/assessments/{quarters[1].pk}/report/").content.decode()

    section = page[page.index('id="plan"') : page.index('id="findings"')]
    assert '<a href="#plan">Action plan</a>' in page
    assert "Measure training-serving skew" in section
    assert "overdue by 1 day" in section
    assert "Write the runbook" in section
    assert "A dropped idea" not in page
    progress = one_line(page[page.index('id="progress"') :])
    assert SENTENCE in progress
    assert "Log every run&#x27;s metadata</span> · Done and reflected in the answers" in progress


def test_the_pdf_prints_the_plan_with_its_contents_entry(quarters, plan):
    report = q4_report(quarters)
    reader = pypdf.PdfReader(io.BytesIO(pdf.report_pdf(report).content))
    pages = [one_line(page.extract_text()) for page in reader.pages]

    assert "Action plan" in pages[1]  # the contents, on page 2
    (plan_page,) = [p for p in pages if "Open actions, by due date" in p]
    assert "2 open actions, 1 of them overdue; 4 done since 2026 Q3." in plan_page
    assert "overdue by 12 days" in plan_page
    assert "as it stands on 5 December 2026" in plan_page
    assert any(SENTENCE in p for p in pages)
    assert any("Done and reflected in the answers" in p for p in pages)


def test_the_word_copy_has_the_plan_after_the_roadmap(quarters, plan):
    report = q4_report(quarters)
    document = docx.Document(io.BytesIO(report_docx(report)))
    headings = [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 1"]
    assert headings == [s.title for s in report.sections]
    assert headings[headings.index("Roadmap") + 1] == "Action plan"
    rows = [[c.text for c in row.cells] for t in document.tables for row in t.rows]
    assert [
        "Measure training-serving skew",
        "Training-serving skew measurement (OPS-1-07)",
        "Mo Reyes",
        "23 November 2026: overdue by 12 days",
        "In progress",
    ] in rows
    texts = [p.text for p in document.paragraphs]
    assert any(SENTENCE in t for t in texts)
    assert "2 open actions, 1 of them overdue; 4 done since 2026 Q3." in texts


def test_a_shared_report_names_owners_but_shows_no_address(quarters, plan, acme_team, alice):
    # A member whose username is an address and no name, and a name typed with an address.
    ana = UserFactory.create(username="ana.diaz@example.com", first_name="", last_name="")
    Action.objects.filter(pk=plan["late"].pk).update(owner=ana)
    Action.objects.filter(pk=plan["open"].pk).update(owner_name="Lee <lee@example.org>")
    action(acme_team, alice, "Ask ops@example.com for access", STUCK, status=Action.Status.DONE,
           done_at=Q3_AT + timedelta(days=30))  # fmt: skip

    members = q4_report(quarters)
    shared = q4_report(quarters, shared=True)

    assert members.plan is not None
    assert shared.plan is not None
    assert members.plan.open[0].owner == "ana.diaz@example.com"  # members see who it is
    assert [r.owner for r in shared.plan.open] == ["ana.diaz", "Lee <lee>"]
    html = pdf.print_html(shared)
    assert EMAIL.findall(html) == []
    assert "Ask ops for access" in html
    assert "Mo Reyes" in html


# --- The cached PDF's key ------------------------------------------------------------------------


def test_the_pdf_key_changes_when_an_action_changes_or_a_day_passes(quarters, plan, alice):
    assessment = quarters[1]

    def key(today: date = TODAY):
        return report_sources(assessment, today=today).pdf_key

    first = key()
    assert key() == first  # nothing changed: the cached PDF is served
    assert key(TODAY + timedelta(days=1)) != first  # "as of" another day, overdue by one more

    action_update(action=plan["open"], by=alice, due_on=date(2027, 2, 28))
    edited = key()
    assert edited != first
    Action.objects.filter(pk=plan["open"].pk).delete()
    assert key() != edited
    # A dropped action is not in the section: removing it changes nothing the PDF shows.
    removed = key()
    Action.objects.filter(pk=plan["dropped"].pk).delete()
    assert key() == removed
    assert "layout=12;" in first.variant


def test_a_new_action_changes_the_key_of_a_report_without_actions(quarters, acme_team, alice):
    before = report_sources(quarters[1], today=TODAY).pdf_key
    action(acme_team, alice, "A first action", RAISED)
    assert report_sources(quarters[1], today=TODAY).pdf_key != before


# --- A report another followed ------------------------------------------------------------------


@pytest.fixture
def dated_plan(plan: dict[str, Action]) -> dict[str, Action]:
    """The plan's actions created on the days they would have been: each a week before it was
    done or due, the open ones and the dropped one before Q3."""
    for row in plan.values():
        created = (row.done_at or Q3_AT) - timedelta(days=7)
        Action.objects.filter(pk=row.pk).update(created_at=created)
        row.refresh_from_db()
    return plan


def q3_plan(quarters, today: date = TODAY):
    sources = report_sources(quarters[0], today=today)
    report = report_context(sources)
    assert report.plan is not None
    return sources, report.plan


def test_an_earlier_report_shows_the_plan_as_it_stood_when_the_next_was_submitted(
    quarters, dated_plan
):
    """Q3's report, followed by Q4 on 20 November: the plan as of that day. "Write the
    runbook" was done after it, so it is open there; the dropped idea is left out. How far an
    open action had gone then is not kept, so each is simply "Open"."""
    _, view = q3_plan(quarters)
    assert view.as_of == "20 November 2026"
    assert "when 2026 Q4 was submitted" in view.intro
    open_rows = {row.title: row.status for row in view.open}
    assert open_rows == {
        "Measure training-serving skew": "Open",
        "Write the runbook": "Open",  # done five days after Q4: open as of Q4
        "Monitor model staleness": "Open",
    }
    # Done by Q4, since the report before it (there is none: every one done by then).
    assert [row.title for row in view.done] == [
        "Share feature definitions",
        "Validate and route serving alerts",
        "Log every run's metadata",
        "An old clean-up",
    ]
    # Overdue as of that day: due 23 November, three days later, so not yet.
    assert not any(row.overdue for row in view.open)


def test_an_earlier_reports_pdf_is_kept_whatever_the_team_does_since(
    quarters, dated_plan, acme_team, alice
):
    """Its key changes only with what the section shows, never with the day: an export renders
    a team's history once, and from then on only each team's latest report."""
    sources, _ = q3_plan(quarters)
    first = sources.pdf_key
    assert q3_plan(quarters, TODAY + timedelta(days=40))[0].pdf_key == first
    action_update(action=dated_plan["late"], by=alice, status="done")  # done since Q4
    action(acme_team, alice, "A new idea", RAISED)  # created since Q4
    assert q3_plan(quarters)[0].pdf_key == first
    # A title it shows, edited: the PDF is rendered again.
    action_update(action=dated_plan["open"], by=alice, title="Monitor model staleness weekly")
    assert q3_plan(quarters)[0].pdf_key != first


def test_an_action_recorded_after_the_fact_counts_from_when_it_was_done(quarters, acme_team, alice):
    """Created today with the day it was done, before Q4: Q3's report lists it as done."""
    action(acme_team, alice, "Tagged the models", RAISED, status=Action.Status.DONE,
           done_at=Q4_AT - timedelta(days=2))  # fmt: skip
    _, view = q3_plan(quarters)
    assert [(row.title, row.done) for row in view.done] == [
        ("Tagged the models", "18 November 2026")
    ]
    assert view.open == ()


def test_an_earlier_report_of_a_team_without_a_plan_then_says_so(quarters):
    _, view = q3_plan(quarters)
    assert view.empty == "The team had no action plan on 20 November 2026."


def test_submitting_queues_the_rendering_of_the_report_it_follows(
    acme_team, alice, mlops_bank, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    from assessment.services.assessments import assessment_start, assessment_submit
    from tests.web.helpers import answer_everything_via_services

    def warmups() -> list[list[int]]:
        rows = DBTaskResult.objects.filter(task_path__endswith="report_pdf_warm")
        return [row.args_kwargs["args"] for row in rows.order_by("enqueued_at")]

    made = []
    for label in ("Q1", "Q2"):
        made.append(
            assessment_start(team=acme_team, bank=mlops_bank, label=label, targets={}, by=alice)
        )
        answer_everything_via_services(alice, made[-1], "0.5")
        with django_capture_on_commit_callbacks(execute=True):
            assessment_submit(assessment=made[-1], by=alice)
    assert warmups() == [[made[0].pk]]  # nothing to render when Q1, the first, was submitted


# --- Queries -------------------------------------------------------------------------------------


def queries_for_report(assessment: Assessment) -> int:
    assessment = Assessment.objects.get(pk=assessment.pk)  # nothing cached on the instance
    with CaptureQueriesContext(connection) as captured:
        report_context(report_sources(assessment, today=TODAY))
    return len(captured)


def test_the_report_costs_the_same_queries_for_2_or_20_actions(quarters, acme_team, alice, mo):
    def add(count: int, start: int) -> None:
        for index in range(start, start + count):
            status = Action.Status.DONE if index % 2 else Action.Status.PLANNED
            action(acme_team, alice, f"Action {index}", RAISED, STUCK, status=status,
                   done_at=Q3_AT + timedelta(days=index) if index % 2 else None,
                   owner=mo if index % 3 else None, due_on=date(2026, 12, 1))  # fmt: skip

    add(2, 0)
    with_two = queries_for_report(quarters[1])
    add(18, 2)
    report = report_context(report_sources(quarters[1], today=TODAY))
    assert report.plan is not None
    assert report.progress is not None
    assert len(report.plan.open) + len(report.plan.done) == 20
    assert len(report.progress.followups) == 10
    assert queries_for_report(quarters[1]) == with_two


# --- The compare page ----------------------------------------------------------------------------


def test_the_compare_page_follows_up_the_actions_done_in_between(alice_client, quarters, plan):
    q3, q4 = quarters
    page = alice_client.get(f"/teams/{q3.team_id}/compare/?before={q4.pk}&after={q3.pk}")
    text = page.content.decode()

    assert page.status_code == 200
    assert "Actions done in between" in text
    assert SENTENCE in one_line(text)
    table = text[text.index('id="actions-heading"') : text.index('id="cells-heading"')]
    assert "Validate and route serving alerts" in table
    assert "Done, partly reflected in the answers" in table
    assert "Write the runbook" not in table  # done after Q4
    assert "An old clean-up" not in table  # done before Q3


def test_the_compare_page_says_nothing_of_actions_when_none_was_done(alice_client, quarters):
    q3, q4 = quarters
    text = alice_client.get(f"/teams/{q3.team_id}/compare/?before={q3.pk}&after={q4.pk}")
    assert "Actions done in between" not in text.content.decode()


# --- Print layout --------------------------------------------------------------------------------


def test_a_long_plan_stays_within_the_margins_and_never_strands_a_heading(
    quarters, acme_team, alice, mo
):
    # As long as a title may be (200 characters: PostgreSQL refuses more).
    long_title = ("Put the whole model-monitoring and retraining chain under one owner " * 3)[:190]
    for index in range(24):
        action(acme_team, alice, f"{index}. {long_title.strip()}", RAISED, STUCK, *HALF,
               owner=mo, due_on=date(2026, 11, 1) + timedelta(days=3 * index))  # fmt: skip
    report = q4_report(quarters)
    document = pdfplumber.open(io.BytesIO(pdf.report_pdf(report).content))
    plan_pages = [
        page
        for page in document.pages
        if "Open actions, by due date" in (page.extract_text() or "")
    ]
    assert plan_pages
    start = document.pages.index(plan_pages[0])
    pages = document.pages[start : start + 4]
    assert [round(rightmost(p), 1) for p in pages if rightmost(p) > RIGHT_EDGE] == []
    for page in pages:
        words = sorted(body_words(page), key=lambda w: (round(w["top"]), w["x0"]))
        last = [w for w in words if round(w["top"]) == round(words[-1]["top"])]
        assert not all(is_heading(w) for w in last)
