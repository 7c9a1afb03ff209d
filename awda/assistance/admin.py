"""The ledger in the Django admin, read-only: lines are recorded and cancelled through the
services (the UI and the API), never edited here (money records keep their history)."""

from django.contrib import admin

from .models import AssistanceLine, Distribution


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AssistanceLine)
class AssistanceLineAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "case",
        "kind",
        "start_date",
        "quantity",
        "unit",
        "unit_cost",
        "total",
        "currency",
        "project",
        "status",
    ]
    list_filter = ["kind", "status", "currency", "project"]
    list_select_related = ["case", "project"]
    search_fields = ["case__number"]
    date_hierarchy = "start_date"
    raw_id_fields = ["case", "person", "provider", "project", "distribution", "receipt"]


@admin.register(Distribution)
class DistributionAdmin(ReadOnlyAdmin):
    list_display = ["id", "office", "distributed_on", "kind", "description", "currency"]
    list_filter = ["kind", "office"]
    list_select_related = ["office"]
    date_hierarchy = "distributed_on"
    raw_id_fields = ["provider"]
