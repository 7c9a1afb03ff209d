from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.db import transaction
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


def _is_privileged(user) -> bool:
    return user.is_superuser or user.is_staff


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ["office"]

    # Administrators manage other people's roles, never their own (no self-granted case access).
    def has_add_permission(self, request, obj=None):
        own = obj is not None and obj.pk == request.user.pk
        return super().has_add_permission(request, obj) and (request.user.is_superuser or not own)

    def has_change_permission(self, request, obj=None):
        own = obj is not None and obj.pk == request.user.pk
        return super().has_change_permission(request, obj) and (
            request.user.is_superuser or not own
        )

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)


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

    def has_change_permission(self, request, obj=None):
        """Only a superuser changes another privileged account (staff or superuser)."""
        if (
            obj is not None
            and not request.user.is_superuser
            and obj.pk != request.user.pk
            and _is_privileged(obj)
        ):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and _is_privileged(obj):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        from .services import user_tokens_revoke

        super().save_model(request, obj, form, change)
        if change and not obj.is_active:
            user_tokens_revoke(obj)  # a deactivated account keeps no API access

    def user_change_password(self, request, id, form_url=""):
        """Setting someone's password is audited and revokes their API tokens; for a privileged
        account (staff, superuser) only a superuser may do it."""
        from awda.audit.services import audit_record

        from .services import user_tokens_revoke

        target = self.get_object(request, id)
        if target is not None and not request.user.is_superuser and _is_privileged(target):
            raise PermissionDenied
        with transaction.atomic():
            response = super().user_change_password(request, id, form_url)
            if request.method == "POST" and response.status_code == 302 and target is not None:
                user_tokens_revoke(target)
                audit_record(request.user, action="accounts.user.password_set_by_admin", obj=target)
        return response


@admin.register(Membership)
class MembershipAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["user", "office", "role", "is_active"]
    list_filter = ["role", "office__mission", "office", "is_active"]
    search_fields = ["user__username", "user__first_name", "user__last_name"]
    autocomplete_fields = ["user", "office"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and not request.user.is_superuser and obj.user_id == request.user.pk:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not request.user.is_superuser and obj.user_id == request.user.pk:
            raise PermissionDenied  # no self-granted roles
        super().save_model(request, obj, form, change)
