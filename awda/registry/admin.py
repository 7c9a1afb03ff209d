from django.contrib import admin

from awda.audit.admin_mixins import AuditedModelAdmin

from .models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["name", "kind", "country", "city", "is_active"]
    list_filter = ["kind", "country", "is_active"]
    search_fields = ["name", "city", "contact_name"]
