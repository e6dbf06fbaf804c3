"""Writes. Views and commands call these; they never write models themselves."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from assessment import selectors
from assessment.banks.loader import BankFile
from assessment.banks.mapping import continued_codes
from assessment.banks.parse import BankInvalid
from assessment.dashboard import trend_between
from assessment.models import (
    Answer,
    AnswerChoice,
    Assessment,
    AssessmentEvent,
    AssessmentStatus,
    ExportJob,
    FinalAnswer,
    QuestionBank,
    Respondent,
    TeamStanding,
    result_summary,
)
from assessment.scoring.engine import score
from assessment.scoring.results import Result
from assessment.scoring.types import Answer as ScoredAnswer
from assessment.scoring.types import AnswerValue, AssessmentInput, Presence
from core.models import Organization, Team

PUBLISHED_VERSION_CHANGED = (
    "{source}: {key} is already published with different content; a published version never "
    "changes: give this file a new version (e.g. {suggestion}) and keep the old one"
)


@dataclass(frozen=True)
class BankLoadOutcome:
    bank: QuestionBank
    created: bool


def question_banks_load(*, files: list[BankFile]) -> list[BankLoadOutcome]:
    """Store validated bank files, all or none. Same content again is a no-op."""
    problems: list[str] = []
    outcomes: list[BankLoadOutcome] = []
    with transaction.atomic():
        for bank_file in files:
            bank = bank_file.bank
            stored = (
                QuestionBank.objects.select_for_update()
                .filter(slug=bank.slug, version=bank.version)
                .first()
            )
            if stored is None:
                stored = QuestionBank.objects.create(
                    slug=bank.slug,
                    version=bank.version,
                    title=bank.title,
                    checksum=bank_file.checksum,
                    content=bank_file.data,
                    question_count=len(bank.questions),
                )
                outcomes.append(BankLoadOutcome(stored, created=True))
            elif stored.checksum == bank_file.checksum:
                outcomes.append(BankLoadOutcome(stored, created=False))
            else:
                problems.append(
                    PUBLISHED_VERSION_CHANGED.format(
                        source=bank_file.path,
                        key=bank.key,
                        suggestion=_next_version(bank.version),
                    )
                )
        if problems:
            # Leave the transaction so nothing of this call is kept.
            raise BankInvalid(problems)
    return outcomes


def _next_version(version: str) -> str:
    parts = version.split(".")
    parts[-1] = str(int(parts[-1]) + 1)
    return ".".join(parts)


# --- Assessments -------------------------------------------------------------------------------

ALREADY_SUBMITTED = "This assessment was submitted; its answers can no longer change."
NOT_SUBMITTED = "Only a submitted assessment can be reopened."


class AssessmentLocked(Exception):
    """A write to an assessment that no longer accepts it."""


class AssessmentIncomplete(Exception):
    def __init__(self, missing: list[str]) -> None:
        self.missing = missing
        super().__init__(f"{len(missing)} question(s) have no answer yet")


@dataclass(frozen=True)
class AnswerData:
    """What a form or an import says about one question."""

    value: str  # an AnswerChoice value, or "" when only evidence or a note was typed
    evidence: str = ""
    note: str = ""
    reason: str = ""


def assessment_start(
    *,
    team: Team,
    bank: QuestionBank,
    label: str,
    targets: dict[str, int],
    by: AbstractBaseUser,
    copy_from: Assessment | None = None,
) -> Assessment:
    """A new draft. With `copy_from` (the team's last assessment), it starts from that one's team
    composition and final answers, so a quarterly re-assessment only changes what changed;
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
        detail = f"started from {copy_from.label}" if copy_from else ""
        AssessmentEvent.objects.create(
            assessment=assessment, kind=AssessmentEvent.Kind.CREATED, user=by, detail=detail
        )
        if copy_from is not None:
            earlier = {a.question_code: a for a in selectors.final_answers(copy_from)}
            mapping = continued_codes(bank.bank(), earlier)
            Answer.objects.bulk_create(
                Answer(
                    respondent=lead,
                    question_code=new_code,
                    value=earlier[old_code].value,
                    evidence=earlier[old_code].evidence,
                    note=earlier[old_code].note,
                    reason=earlier[old_code].reason,
                    updated_by=by,
                )
                for new_code, old_code in mapping.items()
            )
    return assessment


def assessment_import(
    *,
    team: Team,
    bank: QuestionBank,
    label: str,
    given: AssessmentInput,
    by: AbstractBaseUser,
) -> Assessment:
    """A draft holding an imported file's answers, team and targets, for review and submission
    here. Called only with a fully checked file, so nothing is ever half-imported."""
    with transaction.atomic():
        assessment = assessment_start(
            team=team, bank=bank, label=label, targets=dict(given.targets), by=by
        )
        assessment.composition = {
            role: presence.value
            for role, presence in given.team.items()
            if presence != Presence.UNKNOWN
        }
        assessment.save(update_fields=["composition"])
        AssessmentEvent.objects.filter(assessment=assessment).update(detail="imported from a file")
        answers_save(
            assessment=assessment,
            respondent=assessment.respondents.get(is_lead=True),
            changes={
                code: AnswerData(
                    value=answer.value.value,
                    evidence=answer.evidence,
                    note=answer.note,
                    reason=answer.reason,
                )
                for code, answer in given.answers.items()
            },
            by=by,
        )
    return assessment


def assessment_set_composition(
    *, assessment: Assessment, composition: dict[str, str], by: AbstractBaseUser
) -> None:
    with transaction.atomic():
        locked = _lock_draft(assessment)
        locked.composition = composition
        locked.save(update_fields=["composition", "updated_at"])
    assessment.composition = composition


def answers_save(
    *,
    assessment: Assessment,
    respondent: Respondent,
    changes: dict[str, AnswerData],
    by: AbstractBaseUser,
) -> int:
    """Write only the answers that changed, so two people editing different questions of one
    assessment at the same moment both keep theirs. Returns how many were written."""
    return _answers_upsert(
        assessment,
        Answer,
        changes,
        owner={"respondent": respondent},
        writer={"updated_by": by},
    )


def assessment_input(assessment: Assessment, answers: list[Answer]) -> AssessmentInput:
    """The engine's input for an assessment, from its final answers."""
    return AssessmentInput(
        answers={
            a.question_code: ScoredAnswer(
                value=AnswerValue(a.value), evidence=a.evidence, note=a.note, reason=a.reason
            )
            for a in answers
            if a.value
        },
        team={role: Presence(presence) for role, presence in assessment.composition.items()},
        targets={phase: int(level) for phase, level in assessment.targets.items()},
    )


def assessment_submit(*, assessment: Assessment, by: AbstractBaseUser) -> Result:
    """Score the final answers and freeze them. Every question needs an answer ("Don't know"
    counts); the stored result never changes afterwards."""
    with transaction.atomic():
        locked = _lock_draft(assessment)
        bank = locked.bank.bank()
        answers = list(selectors.final_answers(locked))
        answered = {a.question_code for a in answers if a.value}
        missing = [q.code for q in bank.questions if q.code not in answered]
        if missing:
            raise AssessmentIncomplete(missing)
        result = score(bank, assessment_input(locked, answers))
        locked.status = AssessmentStatus.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.submitted_by = by
        locked.result = result.to_dict()
        locked.summary = result_summary(locked.result)
        locked.team_snapshot = selectors.team_disagreement_records(locked, bank)
        locked.engine_version = result.engine_version
        locked.result_version += 1
        locked.save()
        AssessmentEvent.objects.create(
            assessment=locked, kind=AssessmentEvent.Kind.SUBMITTED, user=by
        )
        team_standing_refresh(locked.team_id)
    _refresh(assessment, locked)
    return result


def assessment_reopen(*, assessment: Assessment, by: AbstractBaseUser, reason: str = "") -> None:
    """Back to draft, recorded in the assessment's history. The old result is kept until the
    next submission replaces it, so its report stays readable meanwhile."""
    with transaction.atomic():
        locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
        if not locked.is_submitted:
            raise AssessmentLocked(NOT_SUBMITTED)
        locked.status = AssessmentStatus.DRAFT
        locked.save(update_fields=["status", "updated_at"])
        AssessmentEvent.objects.create(
            assessment=locked, kind=AssessmentEvent.Kind.REOPENED, user=by, detail=reason[:500]
        )
        team_standing_refresh(locked.team_id)
    _refresh(assessment, locked)


def respondent_add(
    *,
    assessment: Assessment,
    user: AbstractBaseUser,
    role: str,
    phases: list[str],
    by: AbstractBaseUser,
) -> Respondent:
    """Invite a team member to answer on their own. From the second respondent on, the
    assessment is answered as a team: only the final answers the lead settles are scored."""
    with transaction.atomic():
        locked = _lock_draft(assessment)
        return Respondent.objects.create(
            assessment=locked, user=user, role=role, phases=phases, is_lead=False
        )


def respondent_remove(*, respondent: Respondent, by: AbstractBaseUser) -> None:
    with transaction.atomic():
        _lock_draft(respondent.assessment)
        if respondent.is_lead:
            raise AssessmentLocked("The lead cannot be removed from their own assessment.")
        respondent.delete()


def final_answers_save(
    *, assessment: Assessment, changes: dict[str, AnswerData], by: AbstractBaseUser
) -> int:
    """The lead's settled answers; respondents' own answers are never touched."""
    return _answers_upsert(
        assessment,
        FinalAnswer,
        changes,
        owner={"assessment": assessment},
        writer={"decided_by": by},
    )


def _answers_upsert(
    assessment: Assessment,
    model: type[Answer] | type[FinalAnswer],
    changes: dict[str, AnswerData],
    *,
    owner: dict[str, object],
    writer: dict[str, object],
) -> int:
    """Write whole answers by question code, for one owner (a respondent, or the assessment's
    final answers). One upsert statement: no read-modify-write race between two savers."""
    if not changes:
        return 0
    rows = [
        model(
            **owner,
            **writer,
            question_code=code,
            value=data.value,
            evidence=data.evidence,
            note=data.note,
            reason=data.reason if data.value == AnswerChoice.NOT_APPLICABLE else "",
        )
        for code, data in changes.items()
    ]
    with transaction.atomic():
        # Holding the assessment row makes a concurrent submit wait, so nothing lands after it.
        _lock_draft(assessment)
        model.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=[*owner, "question_code"],
            update_fields=["value", "evidence", "note", "reason", "updated_at", *writer],
        )
    return len(rows)


def assessment_set_naming(*, assessment: Assessment, name_respondents: bool) -> None:
    with transaction.atomic():
        locked = _lock_draft(assessment)
        locked.name_respondents = name_respondents
        locked.save(update_fields=["name_respondents", "updated_at"])
    assessment.name_respondents = name_respondents


def _lock_draft(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().select_related("bank").get(pk=assessment.pk)
    if locked.is_submitted:
        raise AssessmentLocked(ALREADY_SUBMITTED)
    return locked


def _refresh(assessment: Assessment, locked: Assessment) -> None:
    fields = ("status", "submitted_at", "submitted_by", "result", "summary", "engine_version")
    for field in (*fields, "team_snapshot"):
        setattr(assessment, field, getattr(locked, field))
    assessment.result_version = locked.result_version


def organization_export_start(*, organization: Organization, by: AbstractBaseUser) -> ExportJob:
    """Queue a ZIP export of the organisation; the worker (`db_worker`) builds it."""
    from assessment.tasks import export_organization

    # One export at a time per organisation: a second click joins the one under way.
    running = ExportJob.objects.filter(
        organization=organization, status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]
    ).first()
    if running is not None:
        return running
    job = ExportJob.objects.create(organization=organization, requested_by=by)
    # Enqueue only once the job row is committed, so the worker always finds it.
    transaction.on_commit(lambda: export_organization.enqueue(job.pk))
    return job


def team_standing_refresh(team_id: int) -> TeamStanding:
    """Recompute a team's dashboard row from its two latest submitted assessments."""
    # Lock the team first: two submissions of one team at once must not each write a standing
    # that misses the other.
    Team.objects.select_for_update().filter(pk=team_id).first()
    latest_two = list(
        Assessment.objects.filter(team_id=team_id, status=AssessmentStatus.SUBMITTED)
        .order_by("-submitted_at", "-pk")
        .only("id", "label", "submitted_at", "summary")[:2]
    )
    entries = [
        {
            "id": a.pk,
            "label": a.label,
            "submitted_at": a.submitted_at.isoformat(),
            "summary": a.summary,
        }
        for a in latest_two
    ]
    standing, _ = TeamStanding.objects.update_or_create(
        team_id=team_id,
        defaults={
            "latest": entries[0] if entries else None,
            "trend": trend_between(latest_two[1].summary, latest_two[0].summary)
            if len(latest_two) > 1
            else "",
        },
    )
    return standing
