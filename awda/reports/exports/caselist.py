"""The case-list export: its columns, and its rows read in chunks of CHUNK_ROWS.

Rows come from the case list's own selector (awda.cases.selectors.case_list_for, so the same
scope and filters), reduced to `values_list` of the columns with the principal applicant, the
office and the project joined in: one query per chunk whatever the number of rows, and nothing
kept between chunks. Chunks follow each other by keyset ("seek") pagination on the primary key,
newest first, never by OFFSET: each chunk query starts where the previous one stopped, walking
the primary-key index, and runs to completion (no cursor held open, so no long transaction, and on
SQLite no write lock kept between chunks).

Why the id and not the list's default order (registration date): the two agree for cases
registered on the day they were entered, and the id follows the order in which the rows (and the
principals' person rows) were written, so a chunk reads neighbouring pages. On 1,000,000 cases
whose registration dates do not follow their insertion order (ten years of history imported at
once, as in the benchmark) the registration-date order read the persons at random: 19 to 23 s of
chunk queries against 4.4 s by id (bench/README.md, "Exports")."""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from awda.cases.choices import Status
from awda.registry.choices import Sex
from awda.screening.consent.choices import DataCategory
from awda.screening.consent.models import Consent
from awda.screening.consent.selectors import valid_consent_q

CHUNK_ROWS = 2000

# What a case list discloses, for the transfer log (consent.choices.DataCategory).
CATEGORIES = [DataCategory.IDENTITY.value, DataCategory.CASE.value]

TEXT, INT, DATE = "text", "int", "date"


@dataclass(frozen=True)
class Column:
    label: Promise
    kind: str
    width: int


COLUMNS = (
    Column(_("Case number"), TEXT, 20),
    Column(_("Status"), TEXT, 16),
    Column(_("Office"), TEXT, 14),
    Column(_("Registration date"), DATE, 12),
    Column(_("Nationality (ISO 3166)"), TEXT, 10),
    Column(_("Country of return (ISO 3166)"), TEXT, 10),
    Column(_("Project"), TEXT, 16),
    Column(_("Members"), INT, 8),
    Column(_("Family name (principal applicant)"), TEXT, 22),
    Column(_("Given name(s) (principal applicant)"), TEXT, 22),
    Column(_("Sex"), TEXT, 8),
    Column(_("Date of birth"), DATE, 12),
    Column(_("Age"), INT, 6),
    Column(_("Departure date"), DATE, 12),
)

_FIELDS = (
    "id",
    "registered_on",
    "number",
    "status",
    "office__name",
    "nationality",
    "country_of_return",
    "project__code",
    "member_count",
    "principal__family_name",
    "principal__given_name",
    "principal__sex",
    "principal__date_of_birth",
    "principal__birth_year",
    "departed_on",
)


def with_consent(queryset, purpose: str, day: datetime.date):
    """Only the cases whose principal applicant holds a valid consent for `purpose` on `day`
    (the rule of awda.screening.consent: given, dated on or before the day, not withdrawn)."""
    consents = Consent.objects.filter(
        valid_consent_q(day), person_id=OuterRef("principal_id"), purpose=purpose
    )
    return queryset.filter(Exists(consents))


def age_on(dob, birth_year, day: datetime.date) -> int | None:
    """As registry.models.Person.age_on."""
    if dob:
        return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))
    if birth_year:
        return day.year - birth_year
    return None


def rows_queryset(queryset):
    """The export's columns of a case queryset, in the export's order (values, not models)."""
    return queryset.select_related(None).order_by("-id").values_list(*_FIELDS)


def page_queryset(rows, position: int | None, size: int):
    """The chunk of `rows` (from rows_queryset) after `position`, the id of the last row written
    (None for the first chunk)."""
    if position is not None:
        rows = rows.filter(id__lt=position)
    return rows[:size]


def chunks(queryset, *, today: datetime.date, size: int | None = None) -> Iterator[list[list]]:
    """The rows of `queryset` (a case queryset) as lists in COLUMNS order, CHUNK_ROWS at a time:
    one query per chunk. Statuses and sexes are labels in the active language."""
    size = size or CHUNK_ROWS
    statuses = {k: str(v) for k, v in Status.choices}
    sexes = {k: str(v) for k, v in Sex.choices}
    rows = rows_queryset(queryset)
    position = None
    while True:
        batch = list(page_queryset(rows, position, size))
        if not batch:
            return
        yield [
            [
                number,
                statuses.get(status, status),
                office,
                registered_on,
                nationality,
                country_of_return,
                project,
                members,
                family_name,
                given_name,
                sexes.get(sex, sex) if sex else None,
                dob,
                age_on(dob, birth_year, today),
                departed_on,
            ]
            for (
                _pk,
                registered_on,
                number,
                status,
                office,
                nationality,
                country_of_return,
                project,
                members,
                family_name,
                given_name,
                sex,
                dob,
                birth_year,
                departed_on,
            ) in batch
        ]
        if len(batch) < size:
            return
        position = batch[-1][0]
