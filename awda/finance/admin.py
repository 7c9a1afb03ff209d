"""Funding in the Django admin (administrators). Reference data (donors, projects, budget
lines, per-person caps, exchange rates, contributions) is editable here, every change audited
(AuditedModelAdmin). Finance officers use the finance pages, whose services also check the
budget rules; the admin is the administrators' fallback, held to the same rules where they
protect the figures:
- a project's currency cannot change once it has costs, lines, caps or contributions
  (services.projects.project_currency_check);
- a per-person cap cannot be set on a category never charged to a person;
- an exchange rate saved here converts the charges awaiting it, like one entered by finance,
  and its audit event says how many (`converted`).
Overrides and charges are written only by the services (an override adds to its line's overrun
allowance; a charge follows its source record), so they are read-only here."""

from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext as _

from awda.audit.admin_mixins import AuditedModelAdmin, _audited_fields
from awda.audit.services import audit_record, diff, snapshot
from awda.core.errors import ValidationFailed

from .choices import NOT_PER_PERSON, CostCategory
from .models import (
    BudgetLine,
    BudgetOverride,
    Charge,
    Contribution,
    Donor,
    ExchangeRate,
    PersonCap,
    Project,
)
from .services.projects import project_currency_check
from .services.rates import convert_pending_of


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordedByMixin:
    """The admin user records the row (recorded_by is not a form field)."""

    exclude = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        if not obj.recorded_by_id:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Donor)
class DonorAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["name", "short_name", "country"]
    search_fields = ["name", "short_name"]


class ProjectAdminForm(forms.ModelForm):
    """The admin builds the form of the model with this clean method (modelform_factory)."""

    def clean_currency(self):
        currency = self.cleaned_data["currency"]
        try:
            project_currency_check(self.instance, currency)
        except ValidationFailed as exc:
            raise forms.ValidationError(exc.fields["currency"]) from None
        return currency


@admin.register(Project)
class ProjectAdmin(AuditedModelAdmin, admin.ModelAdmin):
    form = ProjectAdminForm
    list_display = ["code", "name", "mission", "start_date", "end_date", "currency", "is_active"]
    list_filter = ["mission", "is_active", "donors"]
    search_fields = ["code", "name"]
    filter_horizontal = ["donors", "eligible_offices"]


@admin.register(BudgetLine)
class BudgetLineAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["project", "code", "name", "amount", "warning_percent", "overrun_allowed"]
    list_filter = ["project"]
    search_fields = ["project__code", "code", "name"]
    readonly_fields = ["overrun_allowed", "version"]


class PersonCapAdminForm(forms.ModelForm):
    def clean_category(self):
        category = self.cleaned_data["category"]
        if category in NOT_PER_PERSON:
            raise forms.ValidationError(
                _(
                    "Costs of the category %(category)s are charged to the case, never to a "
                    "person: a per-person cap would never apply."
                )
                % {"category": CostCategory(category).label}
            )
        return category


@admin.register(PersonCap)
class PersonCapAdmin(AuditedModelAdmin, admin.ModelAdmin):
    form = PersonCapAdminForm
    list_display = ["project", "category", "amount"]
    list_filter = ["project", "category"]


@admin.register(ExchangeRate)
class ExchangeRateAdmin(AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["currency", "to_currency", "rate", "valid_from", "source", "recorded_by"]
    list_filter = ["currency", "to_currency"]
    date_hierarchy = "valid_from"
    exclude = ["recorded_by"]

    def save_model(self, request, obj, form, change):
        """Save, convert the charges awaiting a rate of its currencies (charges already
        converted keep the rate they used), and audit both in one event."""
        fields = _audited_fields(obj)
        old = type(obj).objects.filter(pk=obj.pk).first() if change and obj.pk else None
        before = snapshot(old, fields) if old else {}
        with transaction.atomic():
            if not obj.recorded_by_id:
                obj.recorded_by = request.user
            obj.save()
            currencies = {obj.currency, obj.to_currency}
            if old is not None:
                currencies |= {old.currency, old.to_currency}
            converted = convert_pending_of(currencies)
            after = snapshot(obj, fields)
            audit_record(
                request.user,
                action=f"{obj._meta.label_lower}.{'updated' if change else 'created'}",
                obj=obj,
                changes={**(diff(before, after) if change else after), "converted": converted},
            )
        if converted:
            self.message_user(
                request,
                _("%(n)s charge(s) awaiting a rate were converted.") % {"n": converted},
            )


@admin.register(Contribution)
class ContributionAdmin(RecordedByMixin, AuditedModelAdmin, admin.ModelAdmin):
    list_display = ["project", "donor", "amount", "currency", "received_on", "reference"]
    list_filter = ["project", "donor", "currency"]
    search_fields = ["reference", "project__code"]


@admin.register(BudgetOverride)
class BudgetOverrideAdmin(ReadOnlyAdmin):
    list_display = ["line", "amount", "granted_by", "created_at"]
    list_filter = ["line__project"]


@admin.register(Charge)
class ChargeAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "project",
        "budget_line",
        "source",
        "source_id",
        "category",
        "stage",
        "amount",
        "currency",
        "project_amount",
    ]
    list_filter = ["project", "stage", "source", "category", "currency"]
    list_select_related = ["project", "budget_line"]
