"""What the maturity report of an assessment needs from the database, gathered once: the cover,
the previous assessment, the team's history and its disagreements, its action plan; and the key
its rendered PDF is cached under, which depends on the same reads."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.text import slugify
from django.utils.timezone import localdate

from assessment.models import Action, Assessment, AssessmentStatus
from assessment.pdf.cache import PdfKey
from assessment.reports.report import ReportContext, build_report
from assessment.reports.sections.cover import Cover
from assessment.reports.sections.disagreements import build_disagreements
from assessment.reports.sections.plan import Plan, PlanAction
from assessment.reports.sections.progress import Previous
from assessment.scoring.consensus import TeamSnapshot
from assessment.scoring.followup import DoneAction
from assessment.selectors.actions import (
    TeamPlan,
    done_in,
    owner_label,
    plan_as_of,
    plan_of,
    teams_actions,
)
from assessment.selectors.assessments import stored_result, trend_points
from assessment.selectors.commentary import Signature, report_signatures
from assessment.selectors.respondents import respondents, role_holders
from core.selectors import display_name

# Bump when the print template or stylesheet changes what a PDF looks like, so cached PDFs of
# already submitted assessments are rendered again.
REPORT_LAYOUT_VERSION = "12"  # 2: disagreements; 3: the trend chart; 4: level-0 answer words;
# 5: the index, the gate and the N/A list of engine 2; 6, 7: the plan, strengths, risks, roles;
# 8: tables within the margins, role headings kept with their verdict; 9: level 0 in the chart;
# 10: the one-page executive summary, the plan before the detail, branding and commentary;
# 11: the team's action plan section, and the follow-up of its done actions in the progress;
# 12: an earlier report's plan as it stood when the next assessment was submitted

# The status of each open action in a report another followed.
OPEN_THEN = "Open"

# An e-mail address, as someone may type one into a name or a title: a shared report shows none.
_ADDRESS = re.compile(r"([\w.!#$%&'*+/=?^`{|}~-]+)@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b")


@dataclass(frozen=True)
class ReportSources:
    """The rows a report is built from. Cheap to gather; building the report is not, so the
    PDF's cache key is computed from these alone."""

    assessment: Assessment
    previous: Assessment | None
    history: tuple[Assessment, ...]  # submitted up to and including this one, oldest first
    signature: Signature  # the branding and the consultant's commentary
    # The team's actions as they stand on `plan.today`: the day it is read, or for a report
    # that another followed, as they stood when that one was submitted.
    plan: TeamPlan
    # The team's actions marked done between the previous submission and this one, for the
    # follow-up in the progress section; none without a previous assessment.
    done_since_previous: tuple[DoneAction, ...] = ()
    shared: bool = False  # read through a share link: its PDF is cached apart
    following: Assessment | None = None  # the team's next submitted assessment, if any

    @property
    def pdf_key(self) -> PdfKey:
        """Its result version, the layout version and every submission it shows (the previous
        one it is compared with, and the trend's): any resubmission among them changes the PDF.
        The action plan is read as of a day: what the plan section and the follow-up show is
        in the key too, so a cached PDF never outlives an edited action or, for the team's
        latest report, the day it was rendered. An earlier report's plan is read as of the next
        submission, so its PDF is rendered once and kept, whatever the team does since."""
        compared = _submission(self.previous) if self.previous is not None else "none"
        history = ",".join(_submission(a) for a in self.history)
        return PdfKey(
            assessment_id=self.assessment.pk,
            result_version=self.assessment.result_version,
            audience="shared" if self.shared else "",
            # The submission's time as well as its number: ids and versions repeat when a
            # database is recreated beside an existing MEDIA_ROOT, and a stale PDF must never be
            # served.
            variant=(
                f"layout={REPORT_LAYOUT_VERSION};this={_submission(self.assessment)};"
                f"previous={compared};"
                f"history={hashlib.sha256(history.encode()).hexdigest()[:16]};"
                f"signature={self.signature.fingerprint};"
                f"plan={_fingerprint(_plan(self, self.previous), self.done_shown)}"
            ),
        )

    @property
    def done_shown(self) -> tuple[DoneAction, ...]:
        """The follow-up's actions as this reader sees them."""
        done = self.done_since_previous
        return _public_done(done) if self.shared else done


def report_sources(
    assessment: Assessment, *, shared: bool = False, today: date | None = None
) -> ReportSources:
    """For an assessment that has a result (submitted, or reopened since). `shared`: as read
    through a link by someone outside the organisation: a draft commentary is left out.
    `today`: the day the action plan is read as of (the local date by default)."""
    return report_sources_of([assessment], shared=shared, today=today)[assessment.pk]


def report_sources_of(
    assessments: Sequence[Assessment], *, shared: bool = False, today: date | None = None
) -> dict[int, ReportSources]:
    """`report_sources` of each assessment (each with a result, its team and organisation
    joined), by id, in four queries however many there are: an organisation export reads its
    reports' sources this way, chunk by chunk, rather than a handful of queries per report."""
    for assessment in assessments:
        if assessment.result is None:
            raise ValueError(f"assessment {assessment.pk} has no result to report on")
    day = today or localdate()
    given = {a.pk: a for a in assessments}
    team_ids = {a.team_id for a in assessments}
    submitted: dict[int, list[Assessment]] = {}
    for row in _submitted_of(team_ids):
        submitted.setdefault(row.team_id, []).append(row)
    signatures = report_signatures(assessments, published_only=shared)
    actions = teams_actions(team_ids)
    sources = {}
    for assessment in assessments:
        team_submitted = submitted.get(assessment.team_id, [])
        team_actions = actions.get(assessment.team_id, [])
        previous = _previous(assessment, team_submitted)
        if previous is not None:
            # Read whole already when it is one of those asked about: its result, which a
            # rendering compares with, need not be read again.
            previous = given.get(previous.pk, previous)
        following = _following(assessment, team_submitted)
        done: tuple[DoneAction, ...] = ()
        if previous is not None and assessment.submitted_at is not None:
            done = done_in(team_actions, previous.submitted_at, assessment.submitted_at)
        sources[assessment.pk] = ReportSources(
            assessment=assessment,
            previous=previous,
            history=tuple(
                a
                for a in team_submitted
                if a.created_at <= assessment.created_at and a.summary is not None
            ),
            signature=signatures[assessment.pk],
            # The key's fingerprint is taken from the same rows the section shows, so the two
            # cannot disagree.
            plan=plan_as_of(team_actions, following.submitted_at)
            if following is not None and following.submitted_at is not None
            else plan_of(team_actions, day),
            done_since_previous=done,
            shared=shared,
            following=following,
        )
    return sources


def _submitted_of(team_ids: set[int]) -> list[Assessment]:
    """The teams' submitted assessments, oldest first (by creation: reopening and resubmitting
    last quarter's must not make it "later" than this quarter's), without their results, which
    only a rendering of the one compared with reads: `has_result` says whether there is one."""
    return list(
        Assessment.objects.filter(team_id__in=team_ids, status=AssessmentStatus.SUBMITTED)
        .order_by("created_at", "pk")
        .only("id", "team_id", "label", "summary", "result_version", "submitted_at", "created_at")
        .annotate(
            has_result=ExpressionWrapper(Q(result__isnull=False), output_field=BooleanField())
        )
    )


def _previous(assessment: Assessment, team_submitted: list[Assessment]) -> Assessment | None:
    """The team's latest submitted assessment with a result, started before this one."""
    earlier = [
        a
        for a in team_submitted
        if a.pk != assessment.pk and a.created_at < assessment.created_at and _has_result(a)
    ]
    return earlier[-1] if earlier else None


def _following(assessment: Assessment, team_submitted: list[Assessment]) -> Assessment | None:
    """The team's first submitted assessment with a result started after this one."""
    return next(
        (
            a
            for a in team_submitted
            if a.pk != assessment.pk and a.created_at > assessment.created_at and _has_result(a)
        ),
        None,
    )


def _has_result(row: Assessment) -> bool:
    """The `has_result` annotation of a row of `_submitted_of`."""
    return bool(row.has_result)  # type: ignore[attr-defined]  # an annotation, not a field


def report_context(sources: ReportSources) -> ReportContext:
    assessment, previous = sources.assessment, sources.previous
    team = assessment.team
    submitted_by = assessment.submitted_by
    cover = Cover(
        organisation=team.organization.name,
        team=team.name,
        label=assessment.label,
        date=localdate(assessment.submitted_at) if assessment.submitted_at else None,
        respondents=tuple(display_name(r.user) for r in respondents(assessment)),
        author=display_name(submitted_by) if submitted_by else team.organization.name,
        people=tuple(role_holders(assessment).items()),
    )
    bank = assessment.bank.bank()
    # Read from the snapshot taken at submission, so a reopened assessment's report keeps
    # showing what was settled then; None for an assessment answered by one person.
    snapshot = assessment.team_snapshot
    return build_report(
        bank,
        stored_result(assessment),
        cover,
        Previous(
            label=previous.label,
            date=localdate(previous.submitted_at) if previous.submitted_at else None,
            result=stored_result(previous),
            done=sources.done_shown,
        )
        if previous is not None
        else None,
        build_disagreements(
            bank, TeamSnapshot.from_dict(snapshot), named=assessment.name_respondents
        )
        if snapshot is not None
        else None,
        tuple(trend_points(list(sources.history))),
        branding=sources.signature.branding,
        commentary=sources.signature.commentary,
        plan=_plan(sources, previous),
    )


def _plan(sources: ReportSources, previous: Assessment | None) -> Plan:
    """The team's plan for the report: its open actions, and those done since the previous
    assessment (all of them when there is none). A shared report names people but shows no
    e-mail address, wherever one was typed."""
    plan = sources.plan
    since = previous.submitted_at if previous is not None else None
    clean = _without_addresses if sources.shared else str

    # A report another followed: how far its open actions had gone then is not kept (they may
    # have been started, or done, since), so each is simply open.
    opened = {a.pk for a in plan.open} if sources.following is not None else set()

    def action(row: Action) -> PlanAction:
        return PlanAction(
            title=clean(row.title),
            practices=tuple(row.practices),
            owner=clean(owner_label(row)),
            status=OPEN_THEN if row.pk in opened else row.get_status_display(),
            due_on=row.due_on,
            done_on=localdate(row.done_at) if row.done_at and row.pk not in opened else None,
        )

    return Plan(
        today=plan.today,
        open=tuple(action(row) for row in plan.open),
        done=tuple(
            action(row)
            for row in plan.done
            if since is None or (row.done_at is not None and row.done_at > since)
        ),
        since=previous.label if previous is not None else "",
        followed_by=sources.following.label if sources.following is not None else "",
        has_actions=bool(plan.all),
    )


def _fingerprint(*shown: object) -> str:
    """Of what a section shows, read from plain values (dataclasses of dates, strings and
    tuples, whose repr is stable): it changes exactly when the section would."""
    return hashlib.sha256(repr(shown).encode()).hexdigest()[:16]


def _without_addresses(text: str) -> str:
    """`text` with every e-mail address cut to the part before the @: "dana.okafor"."""
    return _ADDRESS.sub(r"\1", text)


def _public_done(done: tuple[DoneAction, ...]) -> tuple[DoneAction, ...]:
    return tuple(
        DoneAction(id=a.id, title=_without_addresses(a.title), practices=a.practices) for a in done
    )


def _submission(assessment: Assessment) -> str:
    submitted = assessment.submitted_at.isoformat() if assessment.submitted_at else "never"
    return f"{assessment.pk}.{assessment.result_version}@{submitted}"


def report_filename(assessment: Assessment) -> str:
    stem = slugify(f"{assessment.team.name} {assessment.label}") or f"assessment-{assessment.pk}"
    return f"mlops-maturity-{stem}.pdf"
