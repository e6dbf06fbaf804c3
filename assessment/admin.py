from django.contrib import admin
from django.http import HttpRequest

from assessment.models import QuestionBank


@admin.register(QuestionBank)
class QuestionBankAdmin(admin.ModelAdmin):
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

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
