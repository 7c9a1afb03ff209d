from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from awda.audit.admin_mixins import AuditedModelAdmin

from .models import Membership, Mission, Office, User


class OfficeInline(admin.TabularInline):
    model = Office
    extra = 0


@admin.register(Mission)
class MissionAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["name", "code", "country_alpha3", "kind", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "code"]
    inlines = [OfficeInline]


@admin.register(Office)
class OfficeAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["name", "code", "mission", "city", "is_active"]
    list_filter = ["mission", "is_active"]
    search_fields = ["name", "code", "city"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["office"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    inlines = [MembershipInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "is_staff"]
    fieldsets = (*BaseUserAdmin.fieldsets, (_("Preferences"), {"fields": ("preferred_language",)}))
    # Only a superuser may grant administrative powers; reference-data administrators manage
    # accounts and memberships but cannot raise anyone's (or their own) privileges.
    PRIVILEGE_FIELDS = ("is_superuser", "is_staff", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += [f for f in self.PRIVILEGE_FIELDS if f not in readonly]
        return readonly


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["user", "office", "role", "is_active"]
    list_filter = ["role", "office__mission", "office", "is_active"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "office"]
