"""Query parameters of the case and person lists: parsed and validated here, then passed as
keyword arguments to cases.selectors (the same selectors the web UI uses)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from awda.core.api.fields import CountryField
from awda.core.text import as_id

from ..choices import Priority, Status

# sort parameter -> keyset ordering (real model fields; the cursor holds the values of the whole
# tuple, and the unique id, appended if missing, breaks ties such as many cases of one status)
CASE_SORTS = {
    "-registered": ("-registered_on", "-id"),
    "registered": ("registered_on", "id"),
    "-number": ("-number", "-id"),
    "number": ("number", "id"),
    "-updated": ("-updated_at", "-id"),
    "updated": ("updated_at", "id"),
    "-priority": ("-priority", "-id"),
    "priority": ("priority", "id"),
    "status": ("status", "-id"),
    "-status": ("-status", "-id"),
}


class MultipleChoiceListField(serializers.ListField):
    """A repeated query parameter (?status=a&status=b), also accepting comma-separated values."""

    def to_internal_value(self, data):
        if isinstance(data, list | tuple):
            data = [part for item in data for part in str(item).split(",") if part]
        return super().to_internal_value(data)


class AssigneeField(serializers.CharField):
    """A user id, `me`, or `none` (unassigned)."""

    def to_internal_value(self, data):
        value = super().to_internal_value(data).strip().lower()
        if value == "none":
            return "none"
        if value == "me":
            return self.context["request"].user.pk
        if as_id(value) is None:
            raise serializers.ValidationError(_("Give a user id, 'me' or 'none'."))
        return as_id(value)


class CaseFilterSerializer(serializers.Serializer):
    status = MultipleChoiceListField(
        child=serializers.ChoiceField(choices=Status.choices),
        required=False,
        help_text=_("One or more statuses (repeat the parameter or separate with commas)."),
    )
    office = serializers.IntegerField(required=False, help_text=_("Office id"))
    nationality = CountryField(required=False, help_text=_("ISO 3166 alpha-2 or alpha-3"))
    assigned_to = AssigneeField(
        required=False, help_text=_("Caseworker: a user id, 'me', or 'none' for unassigned.")
    )
    project = serializers.IntegerField(required=False, help_text=_("Project id"))
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    registered_from = serializers.DateField(required=False)
    registered_to = serializers.DateField(required=False)
    departed_from = serializers.DateField(required=False)
    departed_to = serializers.DateField(required=False)
    q = serializers.CharField(
        required=False,
        help_text=_(
            "Search: case number, or a member's name (accent- and case-blind), phone or "
            "document number."
        ),
    )
    sort = serializers.ChoiceField(choices=list(CASE_SORTS), required=False, default="-registered")

    def selector_kwargs(self) -> dict:
        p = dict(self.validated_data)
        sort = p.pop("sort")
        p["query"] = p.pop("q", None)
        return {**{k: v for k, v in p.items() if v not in (None, "", [])}, "sort": sort}


class PersonFilterSerializer(serializers.Serializer):
    q = serializers.CharField(
        required=False,
        help_text=_(
            "Names and aliases (accent- and case-blind: 'traore' finds 'TRAORÉ'), phone or "
            "document number."
        ),
    )
    nationality = CountryField(required=False, help_text=_("ISO 3166 alpha-2 or alpha-3"))
