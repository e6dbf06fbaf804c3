from django.contrib import admin
from django.http import HttpRequest

from core.models import (
    AccessToken,
    Invitation,
    Membership,
    Organization,
    OrganizationEvent,
    ReportBranding,
    Team,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records the application writes through its services: visible here, never edited here,
    so the audit trail and frozen results stay trustworthy."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class TeamInline(admin.TabularInline):
    model = Team
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "created_at"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TeamInline, MembershipInline]


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "created_at"]
    list_filter = ["organization"]
    search_fields = ["name", "organization__name"]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "organization", "role", "created_at"]
    list_filter = ["role", "organization"]
    search_fields = ["user__username", "user__email", "organization__name"]
    autocomplete_fields = ["user", "organization"]


@admin.register(OrganizationEvent)
class OrganizationEventAdmin(ReadOnlyAdmin):
    list_display = ["organization", "kind", "user", "at", "detail"]
    list_filter = ["kind"]


@admin.register(ReportBranding)
class ReportBrandingAdmin(ReadOnlyAdmin):
    list_display = ["organization", "prepared_by", "firm", "confidentiality", "updated_at"]
    exclude = ["logo"]  # bytes; the organisation's branding page shows it


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ["organization", "email", "role", "sent_at", "accepted_at", "revoked_at"]
    exclude = ["token_hash"]


@admin.register(AccessToken)
class AccessTokenAdmin(ReadOnlyAdmin):
    # The hash is left out: nothing can be done with it, and the secret was never stored.
    list_display = ["prefix", "name", "user", "scope", "organization", "expires_at", "revoked_at"]
    exclude = ["token_hash"]
