from django.contrib import admin
from django.http import HttpRequest

from assessment.models import (
    Action,
    Answer,
    Assessment,
    AssessmentEvent,
    ExportJob,
    FinalAnswer,
    QuestionBank,
    Reminder,
    ReportCommentary,
    ReportShare,
    ReportShareUse,
    Respondent,
    TeamStanding,
    Webhook,
    WebhookDelivery,
)
from core.admin import ReadOnlyAdmin


@admin.register(QuestionBank)
class QuestionBankAdmin(ReadOnlyAdmin):
    """Read-only: banks come from versioned files via `load_question_bank`."""

    list_display = ["title", "slug", "version", "question_count", "loaded_at"]
    list_filter = ["slug"]
    readonly_fields = [
        "slug",
        "version",
        "title",
        "checksum",
        "question_count",
        "loaded_at",
        "content",
    ]

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class RespondentInline(admin.TabularInline):
    model = Respondent
    extra = 0
    fields = ("user", "is_lead", "role", "phases")
    readonly_fields = fields
    can_delete = False


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ["label", "team", "status", "bank", "created_at", "submitted_at"]
    list_filter = ["status", "team__organization"]
    search_fields = ["label", "team__name", "team__organization__name"]
    inlines = [RespondentInline]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["question_code", "value", "respondent", "updated_at"]
    list_filter = ["value"]
    search_fields = ["question_code", "respondent__user__username"]


@admin.register(FinalAnswer)
class FinalAnswerAdmin(ReadOnlyAdmin):
    list_display = ["question_code", "value", "assessment", "decided_by", "updated_at"]
    search_fields = ["question_code"]


@admin.register(AssessmentEvent)
class AssessmentEventAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "kind", "user", "at", "detail"]
    list_filter = ["kind"]


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = ["organization", "status", "done_steps", "total_steps", "created_at"]
    list_filter = ["status"]


@admin.register(TeamStanding)
class TeamStandingAdmin(ReadOnlyAdmin):
    list_display = ["team", "trend"]


@admin.register(Respondent)
class RespondentAdmin(ReadOnlyAdmin):
    list_display = ["user", "assessment", "is_lead", "role"]


@admin.register(ReportShare)
class ReportShareAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "note", "created_by", "expires_at", "revoked_at"]


@admin.register(ReportShareUse)
class ReportShareUseAdmin(ReadOnlyAdmin):
    list_display = ["share", "kind", "at", "address"]


@admin.register(ReportCommentary)
class ReportCommentaryAdmin(ReadOnlyAdmin):
    list_display = ["assessment", "updated_by", "updated_at", "published_at", "published_by"]


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["title", "team", "status", "due_on", "owner", "owner_name"]
    list_filter = ["status"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["kind", "key", "sent_to", "sent_at"]


@admin.register(Webhook)
class WebhookAdmin(ReadOnlyAdmin):
    list_display = ["url", "organization", "is_active", "created_by", "created_at"]
    list_filter = ["is_active"]
    # The signing secret stays on the owners' page: the admin has no need to show it.
    exclude = ["secret"]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "event_type",
        "webhook",
        "status",
        "attempts",
        "response_status",
        "created_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "event_type"]
