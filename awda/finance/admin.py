from django.contrib import admin

from awda.audit.admin_mixins import AuditedModelAdmin

from .models import Donor, Project


@admin.register(Donor)
class DonorAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["name", "short_name", "country"]
    search_fields = ["name", "short_name"]


@admin.register(Project)
class ProjectAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["code", "name", "mission", "start_date", "end_date", "currency", "is_active"]
    list_filter = ["mission", "is_active", "donors"]
    search_fields = ["code", "name"]
    filter_horizontal = ["donors", "eligible_offices"]
