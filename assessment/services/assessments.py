"""An assessment's life: started (maybe from last quarter's), composed, submitted and frozen,
reopened. Every step is recorded in its `AssessmentEvent`s."""

from __future__ import annotations

from functools import partial

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessment.banks.mapping import carry_answers
from assessment.formats.webhook_events import ASSESSMENT_REOPENED, ASSESSMENT_SUBMITTED
from assessment.models import (
    Answer,
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    QuestionBank,
    Respondent,
)
from assessment.scoring.engine import score
from assessment.scoring.results import Result
from assessment.scoring.summary import result_summary
from assessment.selectors.answers import scored_answers
from assessment.selectors.assessments import engine_input, previous_submitted_assessment
from assessment.selectors.consensus import team_snapshot
from assessment.selectors.webhooks import assessment_event_data
from assessment.services.commentary import commentary_withdraw
from assessment.services.reports import report_pdf_warm
from assessment.services.standings import team_standing_refresh
from assessment.services.webhooks import webhook_event
from core.models import Team

ALREADY_SUBMITTED = "This assessment was submitted; its answers can no longer change."
NOT_SUBMITTED = "Only a submitted assessment can be reopened."
REASON_LIMIT = 500  # AssessmentEvent.detail


class AssessmentLocked(Exception):
    """A write to an assessment that no longer accepts it."""


class AssessmentIncomplete(Exception):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        count = len(missing)
        words = "1 question has" if count == 1 else f"{count} questions have"
        super().__init__(f"{words} no answer yet")


def assessment_start(
    *,
    team: Team,
    bank: QuestionBank,
    label: str,
    targets: dict[str, int],
    by: User,
    copy_from: Assessment | None = None,
    detail: str = "",
) -> Assessment:
    """A new draft. With `copy_from` (the team's last assessment), it starts from that one's team
    composition and scored answers, so a quarterly re-assessment only changes what changed;
    answers follow renamed questions through the bank's `replaces:` mapping."""
    with transaction.atomic():
        assessment = Assessment.objects.create(
            team=team,
            bank=bank,
            label=label,
            targets=targets,
            created_by=by,
            # Only roles the chosen bank knows: a new version may have dropped one.
            composition={
                role: presence
                for role, presence in (copy_from.composition if copy_from else {}).items()
                if role in {r.code for r in bank.bank().roles}
            },
        )
        lead = Respondent.objects.create(assessment=assessment, user=by, is_lead=True)
        if copy_from is not None:
            detail = detail or f"started from {copy_from.label}"
        AssessmentEvent.objects.create(
            assessment=assessment, kind=AssessmentEvent.Kind.CREATED, user=by, detail=detail
        )
        if copy_from is not None:
            _copy_answers(copy_from, lead, bank, by)
    return assessment


def _copy_answers(copy_from: Assessment, lead: Respondent, bank: QuestionBank, by: User) -> None:
    """The earlier assessment's scored answers, as the lead's. Within one bank version they are
    copied as they are; into another version they follow `replaces:` and are marked to confirm,
    since the question may have been reworded, split or merged (banks/mapping.py)."""
    records = scored_answers(copy_from).answers
    if copy_from.bank_id == bank.pk:
        rows = [
            Answer(
                respondent=lead,
                question_code=code,
                value=record.value,
                evidence=record.evidence,
                note=record.note,
                reason=record.reason,
                updated_by=by,
            )
            for code, record in records.items()
        ]
    else:
        earlier_bank = copy_from.bank.bank()
        earlier = {code: r.scored() for code, r in records.items() if r.answered}
        rows = [
            Answer(
                respondent=lead,
                question_code=carried.code,
                value=carried.answer.value.value,
                evidence=carried.answer.evidence,
                note=carried.answer.note,
                reason=carried.answer.reason,
                updated_by=by,
                carried=carried.carry.value,
                carried_from=f"{' + '.join(carried.sources)} in version {earlier_bank.version}",
            )
            for carried in carry_answers(earlier_bank, bank.bank(), earlier)
            if carried.answer is not None
        ]
    Answer.objects.bulk_create(rows)


def assessment_set_composition(
    *, assessment: Assessment, composition: dict[str, str], by: User
) -> None:
    with transaction.atomic():
        locked = lock_draft(assessment)
        assessment.composition = composition
        if locked.composition == composition:
            return
        locked.composition = composition
        locked.save(update_fields=["composition", "updated_at"])
        AssessmentEvent.objects.create(
            assessment=locked, kind=AssessmentEvent.Kind.COMPOSITION_CHANGED, user=by
        )


def assessment_submit(*, assessment: Assessment, by: User) -> Result:
    """Score the scored answers and freeze them. Every question needs an answer ("Don't know"
    counts); the stored result never changes afterwards."""
    with transaction.atomic():
        locked = lock_draft(assessment)
        bank = locked.bank.bank()
        scored = scored_answers(locked)
        missing = [
            q.code
            for q in bank.questions
            if not (q.code in scored.answers and scored.answers[q.code].answered)
        ]
        if missing:
            raise AssessmentIncomplete(missing)
        result = score(bank, engine_input(locked, scored.answers))
        locked.status = AssessmentStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = by
        locked.result = result.to_dict()
        locked.summary = result_summary(locked.result)
        locked.team_snapshot = team_snapshot(locked, bank).to_dict() if scored.team else None
        locked.engine_version = result.engine_version
        locked.result_version += 1
        locked.save()
        AssessmentEvent.objects.create(
            assessment=locked, kind=AssessmentEvent.Kind.SUBMITTED, user=by
        )
        # A published commentary spoke of the previous figures: it becomes a draft to re-read.
        commentary_withdraw(assessment=locked, by=by, detail="the assessment was submitted again")
        team_standing_refresh(locked.team_id)
        webhook_event(
            organization_id=locked.team.organization_id,
            event_type=ASSESSMENT_SUBMITTED,
            data=partial(assessment_event_data, locked),
        )
        # The team's previous report is followed by this one now: its plan section is read as
        # of today and no longer changes, so its PDF is final. A free worker renders it now,
        # rather than the next organisation export.
        earlier = previous_submitted_assessment(locked)
        if earlier is not None:
            transaction.on_commit(partial(report_pdf_warm.enqueue, earlier.pk))
    _refresh(assessment, locked)
    return result


def assessment_reopen(*, assessment: Assessment, by: User, reason: str = "") -> None:
    """Back to draft, recorded in the assessment's history. The old result is kept until the
    next submission replaces it, so its report stays readable meanwhile."""
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if not locked.is_submitted:
            raise AssessmentLocked(NOT_SUBMITTED)
        locked.status = AssessmentStatus.DRAFT
        locked.save(update_fields=["status", "updated_at"])
        AssessmentEvent.objects.create(
            assessment=locked,
            kind=AssessmentEvent.Kind.REOPENED,
            user=by,
            detail=reason[:REASON_LIMIT],
        )
        team_standing_refresh(locked.team_id)
        webhook_event(
            organization_id=locked.team.organization_id,
            event_type=ASSESSMENT_REOPENED,
            data=partial(assessment_event_data, locked),
        )
    _refresh(assessment, locked)


def assessment_set_naming(*, assessment: Assessment, name_respondents: bool, by: User) -> None:
    """Whether the report names respondents beside their answers (else "Respondent 2")."""
    with transaction.atomic():
        locked = lock_draft(assessment)
        assessment.name_respondents = name_respondents
        if locked.name_respondents == name_respondents:
            return
        locked.name_respondents = name_respondents
        locked.save(update_fields=["name_respondents", "updated_at"])
        AssessmentEvent.objects.create(
            assessment=locked,
            kind=AssessmentEvent.Kind.NAMING_CHOSEN,
            user=by,
            detail="named" if name_respondents else "anonymous",
        )


def lock_draft(assessment: Assessment) -> Assessment:
    """The assessment's row, locked until the transaction ends; AssessmentLocked once submitted.
    Holding it makes a concurrent submit wait, so no write lands after a submission."""
    locked = Assessment.objects.select_for_update().select_related("bank").get(pk=assessment.pk)
    if locked.is_submitted:
        raise AssessmentLocked(ALREADY_SUBMITTED)
    return locked


def _refresh(assessment: Assessment, locked: Assessment) -> None:
    fields = ("status", "submitted_at", "submitted_by", "result", "summary", "engine_version")
    for field in (*fields, "team_snapshot", "result_version"):
        setattr(assessment, field, getattr(locked, field))
