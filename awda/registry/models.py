from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.core import countries
from awda.core.models import TimeStampedModel, VersionedModel

from .choices import DocumentType, OrganisationKind, Sex


class Organisation(TimeStampedModel):
    """Partner organisations: referral sources now; providers, consulates, suppliers later."""

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=OrganisationKind.choices)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166 alpha-2"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")

    def __str__(self):
        return self.name


class Person(TimeStampedModel, VersionedModel):
    """An individual. One person can appear in several cases over the years."""

    given_name = models.CharField(_("given name(s)"), max_length=120)
    family_name = models.CharField(_("family name"), max_length=120)
    other_names = models.CharField(
        _("other names / aliases"),
        max_length=300,
        blank=True,
        help_text=_("Other spellings and aliases, separated by commas"),
    )
    name_arabic = models.CharField(_("name in Arabic script"), max_length=200, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, db_index=True
    )
    dob_estimated = models.BooleanField(_("date of birth estimated"), default=False)
    nationality = models.CharField(
        _("nationality"), max_length=2, blank=True, db_index=True, help_text=_("ISO 3166 alpha-2")
    )
    nationality_alpha3 = models.CharField(_("nationality (alpha-3)"), max_length=3, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    phone_digits = models.CharField(max_length=40, blank=True, db_index=True, editable=False)
    address = models.TextField(_("address in the host country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    registered_by_office = models.ForeignKey(
        "accounts.Office",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("registering office"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    # Folded names, aliases, phone digits and document numbers, for accent- and case-blind search.
    search_text = models.TextField(editable=False, blank=True)
    # Set by the duplicates review when this record was merged into another one: the record stays
    # (its cases and history point to it) but is no longer proposed as a possible duplicate.
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        editable=False,
        verbose_name=_("merged into"),
    )

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        indexes = [models.Index(fields=["family_name", "given_name"], name="person_name_idx")]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name.upper()}".strip()

    @property
    def nationality_name(self) -> str:
        return countries.name(self.nationality)

    def age_on(self, day) -> int | None:
        if self.date_of_birth:
            dob = self.date_of_birth
            return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
        if self.birth_year:
            return day.year - self.birth_year
        return None

    @property
    def age(self) -> int | None:
        from django.utils import timezone

        return self.age_on(timezone.localdate())


class IdentityDocument(TimeStampedModel):
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="documents", verbose_name=_("person")
    )
    doc_type = models.CharField(_("type"), max_length=20, choices=DocumentType.choices)
    number = models.CharField(_("number"), max_length=60)
    number_compact = models.CharField(max_length=60, editable=False, db_index=True)
    issuing_country = models.CharField(_("issuing country"), max_length=2, blank=True)
    issue_date = models.DateField(_("issue date"), null=True, blank=True)
    expiry_date = models.DateField(_("expiry date"), null=True, blank=True)
    notes = models.CharField(_("notes"), max_length=200, blank=True)

    class Meta:
        ordering = ["doc_type", "id"]
        verbose_name = _("identity document")
        verbose_name_plural = _("identity documents")

    def __str__(self):
        return f"{self.get_doc_type_display()} {self.number}"


class PersonMatchKey(models.Model):
    """One blocking key of a person (awda.registry.matching.blocking_keys): two registrations that
    may be the same person share at least one key, so the duplicate check looks persons up by key
    instead of comparing against everyone. Derived data, kept current by the registry services
    (awda/registry/match_keys.py); `manage.py rebuild_match_keys` rebuilds it."""

    KEY_LENGTH = 120

    # No foreign-key constraint in the database: a person has about nine keys, and checking
    # them was 40 % of the foreign-key checks an import waits for at commit (2.2 s of 21 s per
    # 100,000 rows, bench/import.py). The keys are derived (`rebuild_match_keys`), Django still
    # deletes them with their person, and the duplicate check reads persons through the persons
    # table, so a key left without its person finds nothing.
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="match_keys", db_constraint=False
    )
    key = models.CharField(max_length=KEY_LENGTH)

    class Meta:
        verbose_name = _("duplicate-check key")
        verbose_name_plural = _("duplicate-check keys")
        constraints = [
            # Its b-tree, (key, person_id), serves the lookup by key (the leading column) and
            # returns the most recent persons of a key by an index-only backward scan.
            models.UniqueConstraint(fields=["key", "person"], name="person_match_key_unique")
        ]

    def __str__(self):
        return self.key
