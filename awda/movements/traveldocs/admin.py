from django.contrib import admin

from .models import DocumentBatch, ExitAuthorisation, TravelDocument


@admin.register(TravelDocument)
class TravelDocumentAdmin(admin.ModelAdmin):
    """Read-only: travel documents are written through the services (audited)."""

    list_display = ("id", "case", "kind", "status", "number", "expires_on")
    list_filter = ("kind", "status")
    search_fields = ("number", "case__number")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExitAuthorisation)
class ExitAuthorisationAdmin(TravelDocumentAdmin):
    list_display = ("id", "case", "status", "authority", "granted_on", "valid_until")
    list_filter = ("status",)
    search_fields = ("reference", "case__number")


@admin.register(DocumentBatch)
class DocumentBatchAdmin(TravelDocumentAdmin):
    list_display = ("id", "kind", "recipient", "office", "status", "sent_on")
    list_filter = ("kind", "status")
    search_fields = ("recipient__name",)
