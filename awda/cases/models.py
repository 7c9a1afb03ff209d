from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.core import countries
from awda.core.models import TimeStampedModel, VersionedModel

from .choices import (
    AttachmentKind,
    ClosureReason,
    Priority,
    ReferralSource,
    Relationship,
    Status,
    TaskStatus,
)


class CaseSequence(models.Model):
    """Next case number per office and year; incremented under a row lock."""

    office = models.ForeignKey("accounts.Office", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["office", "year"], name="case_sequence_unique")
        ]

    def __str__(self):
        return f"{self.office_id}/{self.year}: {self.last_value}"


class Case(TimeStampedModel, VersionedModel):
    number = models.CharField(_("case number"), max_length=30, unique=True)
    mission = models.ForeignKey(
        "accounts.Mission",
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("mission"),
    )
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="cases", verbose_name=_("office")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.REGISTERED, db_index=True
    )
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)
    status_before_hold = models.CharField(max_length=20, choices=Status.choices, blank=True)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        verbose_name=_("caseworker"),
    )
    priority = models.PositiveSmallIntegerField(
        _("priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    referral_source = models.CharField(
        _("referral source"),
        max_length=20,
        choices=ReferralSource.choices,
        default=ReferralSource.WALK_IN,
    )
    referral_organisation = models.ForeignKey(
        "registry.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="referred_cases",
        verbose_name=_("referring organisation"),
    )
    referral_details = models.TextField(_("referral details"), blank=True)
    registered_on = models.DateField(_("registration date"), db_index=True)
    country_of_return = models.CharField(_("country of return"), max_length=2, db_index=True)
    destination_area = models.CharField(_("destination area"), max_length=200, blank=True)
    destination_pcode = models.CharField(_("destination P-code"), max_length=20, blank=True)
    project = models.ForeignKey(
        "finance.Project",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("project"),
    )
    eligibility_decided_at = models.DateTimeField(
        _("eligibility decided at"), null=True, blank=True
    )
    eligibility_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    declaration_signed_on = models.DateField(
        _("declaration of voluntary return signed on"), null=True, blank=True
    )
    declaration_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    departed_on = models.DateField(_("departure date"), null=True, blank=True, db_index=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=30, choices=ClosureReason.choices, blank=True
    )
    # Set by the handover (movement issue): the origin mission's staff then see the case.
    receiving_mission = models.ForeignKey(
        "accounts.Mission",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="received_cases",
        verbose_name=_("receiving mission"),
    )
    handed_over_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    # The restricted data categories the handover shared (consent.choices.DataCategory, e.g.
    # "health"): the receiving mission's roles count for that category's permissions only then.
    handover_categories = models.JSONField(
        _("data shared at the handover"), default=list, blank=True
    )
    # Denormalised from the principal applicant for lists and filters.
    principal = models.ForeignKey(
        "registry.Person",
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("principal applicant"),
    )
    nationality = models.CharField(_("nationality"), max_length=2, blank=True, db_index=True)
    member_count = models.PositiveSmallIntegerField(_("members"), default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["office", "status"], name="case_office_status_idx"),
            models.Index(fields=["office", "-registered_on", "-id"], name="case_office_reg_idx"),
            models.Index(fields=["receiving_mission", "status"], name="case_receiving_idx"),
            models.Index(fields=["assigned_to", "status"], name="case_assignee_idx"),
        ]

    def __str__(self):
        return self.number

    @property
    def country_of_return_name(self):
        return countries.name(self.country_of_return)


class CaseMember(TimeStampedModel):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="members", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="case_memberships",
        verbose_name=_("person"),
    )
    relationship = models.CharField(
        _("relationship to the principal"), max_length=20, choices=Relationship.choices
    )
    is_principal = models.BooleanField(_("principal applicant"), default=False)
    travels = models.BooleanField(_("travels"), default=True)

    class Meta:
        ordering = ["-is_principal", "id"]
        verbose_name = _("case member")
        verbose_name_plural = _("case members")
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="case_member_unique"),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(is_principal=True), name="case_one_principal"
            ),
        ]

    def __str__(self):
        return f"{self.case} - {self.person}"


class CaseTransition(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(_("transition"), max_length=40)
    from_status = models.CharField(_("from"), max_length=20, choices=Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Status.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    office = models.ForeignKey(
        "accounts.Office", on_delete=models.PROTECT, related_name="+", verbose_name=_("office")
    )
    occurred_at = models.DateTimeField(_("time"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)
    reason = models.TextField(_("reason"), blank=True)
    closure_reason = models.CharField(
        _("closure reason"), max_length=30, choices=ClosureReason.choices, blank=True
    )
    project = models.ForeignKey(
        "finance.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["occurred_at", "id"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        indexes = [models.Index(fields=["case", "occurred_at"], name="case_transition_idx")]

    def __str__(self):
        return f"{self.case_id}: {self.from_status} -> {self.to_status}"


class Note(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    body = models.TextField(_("note"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("note")
        verbose_name_plural = _("notes")


class Task(TimeStampedModel, VersionedModel):
    """A to-do on a case. Versioned: an edit or a status change sent with a stale version is
    refused (two people closing or editing the same task)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=200)
    description = models.TextField(_("details"), blank=True)
    due_date = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
        verbose_name=_("assigned to"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=TaskStatus.choices,
        default=TaskStatus.OPEN,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["status", "due_date", "id"]
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        indexes = [
            models.Index(fields=["assignee", "status", "due_date"], name="task_assignee_idx")
        ]

    def __str__(self):
        return self.title


def attachment_path(instance, filename):
    return f"attachments/{instance.case.office_id}/{instance.case_id}/{instance.stored_name}"


class Attachment(TimeStampedModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    person = models.ForeignKey(
        "registry.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=AttachmentKind.choices)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    stored_name = models.CharField(max_length=80, editable=False)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name
