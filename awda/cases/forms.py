"""HTML forms of the case pages. They parse input into the keyword arguments of cases.services;
the rules themselves (who may, what is valid, gates) stay in the services."""

import re

from django import forms
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from awda.accounts.models import Office
from awda.accounts.selectors import users_in_offices
from awda.finance.selectors import project_list_for
from awda.registry.choices import DocumentType
from awda.registry.forms import (
    DateInput,
    IdentityDocumentForm,
    PersonForm,
    StyledForm,
    country_choices,
)
from awda.registry.models import Person
from awda.registry.selectors import organisation_list

from .choices import AttachmentKind, ClosureReason, Priority, ReferralSource, Relationship
from .policies import CASE_VIEWERS, offices_where
from .selectors import person_queryset_for


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        full = obj.get_full_name()
        return f"{full} ({obj.get_username()})" if full else obj.get_username()


def version_field():
    """The version of the record the user saw, as a required hidden input (optimistic locking):
    a form without it is refused (400), never applied blindly."""
    return forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=1,
        error_messages={
            "required": _(
                "The form did not say which version of the record you saw. Reload the page "
                "and apply your change again."
            )
        },
    )


class VersionForm(StyledForm):
    """The version of the record the user saw (case, task or person): stale edits are refused by
    the services."""

    version = version_field()


class PersonDocumentForm(IdentityDocumentForm):
    """An identity document added from the members tab, with the person's version the user saw
    (documents are part of the person's record and share its version)."""

    version = version_field()


# ---- registration -----------------------------------------------------------------------------


class CaseFieldsMixin:
    """The case fields shared by registration and edit."""

    def _add_case_fields(self, *, office_ids):
        self.fields["referral_source"] = forms.ChoiceField(
            label=_("Referral source"), choices=ReferralSource.choices
        )
        self.fields["referral_organisation"] = forms.ModelChoiceField(
            label=_("Referring organisation"),
            queryset=organisation_list(),
            required=False,
        )
        self.fields["referral_details"] = forms.CharField(
            label=_("Referral details"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
            help_text=_("Reference of the referral letter, contact person, circumstances."),
        )
        self.fields["priority"] = forms.TypedChoiceField(
            label=_("Priority"), choices=Priority.choices, coerce=int, initial=Priority.NORMAL
        )
        self.fields["country_of_return"] = forms.ChoiceField(
            label=_("Country of return"), choices=country_choices, required=False
        )
        self.fields["destination_area"] = forms.CharField(
            label=_("Destination area"),
            max_length=200,
            required=False,
            help_text=_("Region, town or district where the returnee will live."),
        )
        self.fields["destination_pcode"] = forms.CharField(
            label=_("Destination P-code"),
            max_length=20,
            required=False,
            help_text=_("OCHA place code, e.g. GN001."),
        )
        self.fields["assigned_to"] = UserChoiceField(
            label=_("Assigned caseworker"),
            queryset=users_in_offices(office_ids),
            required=False,
        )

    def case_data(self) -> dict:
        d = self.cleaned_data
        out = {
            "referral_source": d["referral_source"],
            "referral_organisation": d.get("referral_organisation"),
            "referral_details": d.get("referral_details") or "",
            "priority": d["priority"],
            "destination_area": d.get("destination_area") or "",
            "destination_pcode": d.get("destination_pcode") or "",
        }
        if d.get("country_of_return"):
            out["country_of_return"] = d["country_of_return"]
        if "assigned_to" in self.fields and not self.fields["assigned_to"].disabled:
            out["assigned_to"] = d.get("assigned_to")
        return out


class CaseRegisterForm(CaseFieldsMixin, StyledForm):
    office = forms.ModelChoiceField(label=_("Office"), queryset=Office.objects.none())
    registered_on = forms.DateField(
        label=_("Registration date"), required=False, widget=DateInput()
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        office_ids = offices_where(user, "case.register")
        self.fields["office"].queryset = Office.objects.filter(pk__in=office_ids).order_by("name")
        self._add_case_fields(office_ids=office_ids)
        self.fields["country_of_return"].help_text = _(
            "Leave empty to use the principal applicant's nationality."
        )
        if not self.is_bound:
            self.initial.setdefault("registered_on", timezone.localdate())
            self.initial.setdefault("assigned_to", user.pk)
            if len(office_ids) == 1:
                self.initial.setdefault("office", next(iter(office_ids)))
        self._style()

    def case_data(self) -> dict:
        out = super().case_data()
        out["registered_on"] = self.cleaned_data.get("registered_on") or timezone.localdate()
        return out


# ---- new or existing person --------------------------------------------------------------------

NEW, EXISTING = "new", "existing"
PERSON_MODES = [(NEW, _("New person")), (EXISTING, _("Existing person"))]


class PersonModeField(forms.ChoiceField):
    """'new' (the default, also when nothing is posted) or 'existing'. Choosing 'new' is not a
    change: an untouched member row stays empty and is ignored."""

    def has_changed(self, initial, data):
        return (data or NEW) != (initial or NEW)


class ExistingPersonMixin:
    """A person is either new (the person fields) or already in the registry (one person appears in
    several cases over the years). The existing one is found with the htmx search and stored as its
    id; the field's queryset is the user's scoped registry, so an id outside it is refused.

    `picked_person` is set by the view (with documents and case history) to show the choice again
    when the page comes back with errors."""

    picked_person = None
    pick_required_message = _("Search for the person and choose them, or switch to “New person”.")

    def _add_pick_fields(self, user):
        self.fields["person_mode"] = PersonModeField(
            label=_("Person"), choices=PERSON_MODES, required=False, initial=NEW
        )
        self.fields["existing_person"] = forms.ModelChoiceField(
            label=_("Existing person"),
            queryset=person_queryset_for(user) if user is not None else Person.objects.none(),
            required=False,
            widget=forms.HiddenInput,
            error_messages={
                "invalid_choice": _("This person is not in the part of the registry you can see.")
            },
        )

    @property
    def is_existing(self) -> bool:
        if self.is_bound:
            return self.data.get(self.add_prefix("person_mode")) == EXISTING
        return self.initial.get("person_mode") == EXISTING

    def _clean_pick(self, data: dict) -> dict:
        """For an existing person: only the choice counts; errors of the (hidden) new-person
        fields are dropped."""
        for name in list(self._errors or {}):
            if name not in self.pick_kept_fields:
                del self._errors[name]
        if not data.get("existing_person") and not self.has_error("existing_person"):
            self.add_error("existing_person", self.pick_required_message)
        return data


class PrincipalPickForm(ExistingPersonMixin, StyledForm):
    """The principal applicant's choice between a new and an existing person (prefix 'principal',
    next to the PersonForm of the same prefix)."""

    pick_kept_fields = ("person_mode", "existing_person")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_pick_fields(user)
        self._style()

    def clean(self):
        data = super().clean()
        return self._clean_pick(data) if self.is_existing else data


class MemberForm(ExistingPersonMixin, PersonForm):
    """Another member of the case: relationship, travels, and either an existing person or the
    person fields with one optional document."""

    pick_kept_fields = ("relationship", "travels", "person_mode", "existing_person", "version")

    relationship = forms.ChoiceField(
        label=_("Relationship to the principal"),
        choices=[("", "---------")]
        + [c for c in Relationship.choices if c[0] != Relationship.PRINCIPAL],
    )
    travels = forms.BooleanField(label=_("Travels"), required=False, initial=True)
    doc_type = forms.ChoiceField(
        label=_("Document type"),
        choices=[("", "---------"), *DocumentType.choices],
        required=False,
    )
    doc_number = forms.CharField(label=_("Document number"), max_length=60, required=False)
    doc_issuing_country = forms.ChoiceField(
        label=_("Issuing country"), choices=country_choices, required=False
    )
    doc_expiry_date = forms.DateField(label=_("Expiry date"), required=False, widget=DateInput())

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_pick_fields(user)
        self._style()

    def clean(self):
        if self.is_existing:
            return self._clean_pick(forms.Form.clean(self))
        data = super().clean()
        if (data.get("doc_type") or data.get("doc_number")) and not (
            data.get("doc_type") and data.get("doc_number")
        ):
            field = "doc_number" if data.get("doc_type") else "doc_type"
            self.add_error(field, _("Give the document type and number, or neither."))
        return data

    def member_data(self) -> dict:
        d = self.cleaned_data
        if self.is_existing:
            return {
                "relationship": d["relationship"],
                "travels": bool(d.get("travels")),
                "person_id": d["existing_person"].pk,
            }
        documents = []
        if d.get("doc_type") and d.get("doc_number"):
            documents.append(
                {
                    "doc_type": d["doc_type"],
                    "number": d["doc_number"],
                    "issuing_country": d.get("doc_issuing_country") or "",
                    "expiry_date": d.get("doc_expiry_date"),
                }
            )
        return {
            "relationship": d["relationship"],
            "travels": bool(d.get("travels")),
            "person": self.data_for_service(),
            "documents": documents,
        }


MemberFormSet = formset_factory(MemberForm, extra=0, can_delete=True)
DocumentFormSet = formset_factory(IdentityDocumentForm, extra=1)


class MemberAddForm(MemberForm):
    version = version_field()


class MemberEditForm(StyledForm):
    """A member's relationship to the principal (not for the principal) and whether they travel."""

    relationship = forms.ChoiceField(
        label=_("Relationship to the principal"),
        choices=[c for c in Relationship.choices if c[0] != Relationship.PRINCIPAL],
    )
    travels = forms.BooleanField(label=_("Travels"), required=False)
    # The case version the user saw (rendered as a hidden input by the template); required.
    version = version_field()

    def __init__(self, *args, member, **kwargs):
        super().__init__(*args, **kwargs)
        if member.is_principal:
            del self.fields["relationship"]
        if not self.is_bound:
            self.initial.update({"relationship": member.relationship, "travels": member.travels})
        self._style()

    def update_kwargs(self) -> dict:
        d = self.cleaned_data
        out = {"travels": bool(d.get("travels")), "expected_version": d["version"]}
        if "relationship" in self.fields:
            out["relationship"] = d["relationship"]
        return out


class PersonMatchForm(forms.Form):
    """What has been typed of a new person so far (names, sex, birth, nationality, phone, document
    numbers), for the duplicate check (cases.duplicate_check.likely_duplicates). Lenient: what
    does not parse is left out, and the check decides whether enough has been typed."""

    MAX_DOCUMENTS = 10

    given_name = forms.CharField(required=False, max_length=120)
    family_name = forms.CharField(required=False, max_length=120)
    other_names = forms.CharField(required=False, max_length=300)
    sex = forms.CharField(required=False, max_length=10)
    nationality = forms.CharField(required=False, max_length=3)
    phone = forms.CharField(required=False, max_length=40)
    date_of_birth = forms.DateField(required=False)
    birth_year = forms.IntegerField(required=False, min_value=1900, max_value=2100)
    estimated_age = forms.IntegerField(required=False, min_value=0, max_value=120)
    # The one document of a member row (MemberForm); the principal's documents are a formset
    # ("<prefix>-doc-<n>-number"), read by document_numbers().
    doc_number = forms.CharField(required=False, max_length=60)

    PERSON_KEYS = (
        "given_name",
        "family_name",
        "other_names",
        "sex",
        "nationality",
        "phone",
        "date_of_birth",
        "birth_year",
        "estimated_age",
    )

    def person_data(self) -> dict:
        self.is_valid()
        d = self.cleaned_data
        return {k: d[k] for k in self.PERSON_KEYS if d.get(k) not in (None, "")}

    def document_numbers(self) -> list[str]:
        self.is_valid()
        numbers = []
        if self.cleaned_data.get("doc_number"):
            numbers.append(self.cleaned_data["doc_number"])
        row = re.compile(rf"^{re.escape(self.prefix or '')}-doc-\d{{1,3}}-number$")
        for key in sorted(k for k in self.data if row.match(k)):
            value = (self.data.get(key) or "").strip()[:60]
            if value:
                numbers.append(value)
        return list(dict.fromkeys(numbers))[: self.MAX_DOCUMENTS]


# ---- edits ------------------------------------------------------------------------------------


class CaseEditForm(CaseFieldsMixin, StyledForm):
    version = version_field()

    def __init__(self, *args, case, can_assign: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self._add_case_fields(office_ids=[case.office_id])
        if not can_assign:
            self.fields["assigned_to"].disabled = True
            self.fields["assigned_to"].help_text = _("Only an office manager can reassign a case.")
        if not self.is_bound:
            self.initial.update(
                {
                    "version": case.version,
                    "referral_source": case.referral_source,
                    "referral_organisation": case.referral_organisation_id,
                    "referral_details": case.referral_details,
                    "priority": case.priority,
                    "country_of_return": case.country_of_return,
                    "destination_area": case.destination_area,
                    "destination_pcode": case.destination_pcode,
                    "assigned_to": case.assigned_to_id,
                }
            )
        self.fields["country_of_return"].required = True
        self._style()


class DeclarationForm(StyledForm):
    signed_on = forms.DateField(label=_("Signed on"), widget=DateInput())
    version = version_field()


class TransitionForm(StyledForm):
    """The inputs of one transition (workflow.Transition.requires) plus an optional comment."""

    version = version_field()

    def __init__(self, *args, transition, user, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.transition = transition
        requires = transition.requires
        if "project" in requires:
            self.fields["project"] = forms.ModelChoiceField(
                label=_("Funding project"),
                queryset=project_list_for(user, mission_ids=[case.mission_id], active_only=True),
                help_text=_("The case must meet the project's eligibility rules."),
            )
        if "closure_reason" in requires:
            self.fields["closure_reason"] = forms.ChoiceField(
                label=_("Closure reason"),
                choices=[("", "---------"), *ClosureReason.choices],
            )
        if "reason" in requires:
            self.fields["reason"] = forms.CharField(
                label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3})
            )
        self.fields["comment"] = forms.CharField(
            label=_("Comment"),
            required="comment" in requires,
            widget=forms.Textarea(attrs={"rows": 2}),
        )
        if not self.is_bound:
            self.initial.setdefault("version", case.version)
        self._style()

    def transition_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "comment": d.get("comment") or "",
            "reason": d.get("reason") or "",
            "closure_reason": d.get("closure_reason") or "",
            "project": d.get("project"),
            "expected_version": d["version"],
        }


# ---- notes, tasks, attachments ----------------------------------------------------------------


class NoteForm(StyledForm):
    body = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 3}))


class TaskForm(StyledForm):
    title = forms.CharField(label=_("Task"), max_length=200)
    description = forms.CharField(
        label=_("Details"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    due_date = forms.DateField(label=_("Due date"), required=False, widget=DateInput())
    assignee = UserChoiceField(label=_("Assigned to"), queryset=None, required=False)

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users_in_offices([case.office_id], roles=CASE_VIEWERS)

    def task_kwargs(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "description": d.get("description") or "",
            "due_date": d.get("due_date"),
            "assignee": d.get("assignee"),
        }


class AttachmentForm(StyledForm):
    file = forms.FileField(label=_("File"))
    kind = forms.ChoiceField(label=_("Type"), choices=[("", "---------"), *AttachmentKind.choices])
    description = forms.CharField(label=_("Description"), max_length=300, required=False)
    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=None,
        required=False,
        empty_label=_("The whole case"),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        from awda.registry.models import Person

        self.fields["person"].queryset = Person.objects.filter(
            case_memberships__case=case
        ).order_by("family_name", "given_name")
        self.fields["file"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx,.odt"


__all__ = [
    "AttachmentForm",
    "CaseEditForm",
    "CaseRegisterForm",
    "DeclarationForm",
    "DocumentFormSet",
    "IdentityDocumentForm",
    "MemberAddForm",
    "MemberEditForm",
    "MemberFormSet",
    "NoteForm",
    "PersonDocumentForm",
    "PersonForm",
    "PersonMatchForm",
    "PrincipalPickForm",
    "TaskForm",
    "TransitionForm",
    "VersionForm",
]
