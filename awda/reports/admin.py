"""Export jobs and the bulk transfer log in the Django admin, read-only: jobs are created by
their requesters (the export pages and the API) and run by the task, never edited here. The
password token is not shown."""

from django.contrib import admin

from .models import ExportJob, ExportTransfer


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportJob)
class ExportJobAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "kind",
        "format",
        "status",
        "progress",
        "created_by",
        "created_at",
        "finished_at",
        "password_protected",
        "leaves_organisation",
        "expires_at",
    ]
    list_filter = ["kind", "format", "status", "password_protected", "leaves_organisation"]
    list_select_related = ["created_by"]
    date_hierarchy = "created_at"
    exclude = ["password_token"]


@admin.register(ExportTransfer)
class ExportTransferAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "job",
        "recipient",
        "purpose",
        "case_count",
        "excluded_count",
        "transferred_on",
        "recorded_by",
    ]
    list_filter = ["purpose"]
    list_select_related = ["job", "recorded_by"]
    search_fields = ["recipient"]
    date_hierarchy = "transferred_on"
