"""Reintegration in the Django admin. Caps are configuration, edited here (audited). Survey
instruments are loaded with `manage.py load_instrument` (validated) and only (de)activated
here. The case records (plans, purchases, visits, ...) are written through the services and are
read-only here."""

from django.contrib import admin

from awda.audit.admin_mixins import AuditedModelAdmin

from . import models as m


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(m.ReintegrationCap)
class ReintegrationCapAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["project", "nationality", "vulnerability", "amount", "currency", "basis"]
    list_filter = ["project", "currency", "basis"]
    search_fields = ["project__code", "nationality"]


@admin.register(m.Instrument)
class InstrumentAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["code", "version", "name", "is_placeholder", "is_active", "created_at"]
    list_filter = ["code", "is_placeholder", "is_active"]
    fields = ["code", "version", "name", "is_placeholder", "is_active", "checksum", "source"]
    readonly_fields = ["code", "version", "name", "is_placeholder", "checksum", "source"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (
    m.ReintegrationFile,
    m.Plan,
    m.CollectiveProject,
    m.Purchase,
    m.CashTranche,
    m.Referral,
    m.MonitoringVisit,
    m.Survey,
):
    admin.site.register(
        model,
        type(
            f"{model.__name__}Admin",
            (ReadOnlyAdmin,),
            {"list_display": ["id", "case"] if hasattr(model, "case") else ["id"]},
        ),
    )
