from django.contrib import admin

from awda.audit.admin_mixins import AuditedModelAdmin

from .models import MissionHealthSettings


@admin.register(MissionHealthSettings)
class MissionHealthSettingsAdmin(AuditedModelAdmin, admin.ModelAdmin):
    """Administrators set, per mission, how long a fitness-to-travel decision stays valid.
    Medical records themselves are not in the admin: they are seen through the case, scoped and
    audited."""

    list_display = ["mission", "fitness_validity_days"]
    list_select_related = ["mission"]
    autocomplete_fields = ["mission"]
