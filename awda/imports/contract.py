"""The types that flow through an import: source -> table -> mapping -> validated case records.

    read (sources/)  ->  Table (rows with their household-member child rows)
    map + validate (mapping.py, validate.py)  ->  CaseRecord per valid row, RowError per problem
    commit (services.py)  ->  cases, persons, documents; one ImportedRecord per row key

A row of the source is one case: its principal applicant, their identity document, and the
household members from a repeat group (Kobo) or member columns.
"""

import datetime
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from awda.core.errors import ApplicationError

# Fields a source column can be mapped to. "principal.<person field>", "document.<field>" (the
# principal's identity document), "case.<field>", and "member.<person field>" /
# "member.relationship" for the columns of the household-members repeat group.
PERSON_TARGETS = (
    "given_name",
    "family_name",
    "other_names",
    "sex",
    "date_of_birth",
    "birth_year",
    "nationality",
    "phone",
    "languages",
    "address",
    "city",
)
DOCUMENT_TARGETS = ("doc_type", "number", "issuing_country", "issue_date", "expiry_date")
CASE_TARGETS = ("registered_on", "country_of_return", "key")  # "key": the row's stable key
MEMBER_TARGETS = (*PERSON_TARGETS, "relationship", "travels")
# Every target a mapping may use, in the order the mapping editor shows them.
ALL_TARGETS = (
    *(f"principal.{t}" for t in PERSON_TARGETS),
    *(f"document.{t}" for t in DOCUMENT_TARGETS),
    *(f"case.{t}" for t in CASE_TARGETS),
    *(f"member.{t}" for t in MEMBER_TARGETS),
)


class SourceError(ApplicationError):
    """A file or a Kobo response that cannot be read at all (not a row-level problem)."""

    code = "import_source"
    status = 400
    default_message = _("The file could not be read.")


@dataclass(slots=True)
class SourceRow:
    number: int  # the row number the user sees in the file (header is row 1) or the submission #
    key: str  # stable key: Kobo submission _uuid / meta/instanceID, else a hash of the values
    values: dict  # column name -> raw cell value (str, int, float, datetime, None)
    children: dict = field(default_factory=dict)  # repeat group name -> list of {column: value}


@dataclass(slots=True)
class Table:
    columns: (
        list  # column names in file order (Kobo group prefixes kept: "group_person/given_name")
    )
    child_columns: dict  # repeat group name -> its column names
    rows: list  # SourceRow, in file order
    source_name: str = ""  # file name or Kobo asset name
    kind: str = ""  # "csv", "xlsx" or "kobo" (API JSON): row numbers are submission _id for "kobo"
    warnings: list = field(default_factory=list)  # translated notes on what was not read


@dataclass(slots=True)
class Mapping:
    columns: dict  # target field (e.g. "principal.given_name", "member.sex") -> source column
    values: dict = field(default_factory=dict)  # target field -> {source value: Awda value}
    member_group: str = ""  # the repeat group whose rows are household members ("" = none)
    defaults: dict = field(default_factory=dict)  # target -> Awda value used when the cell is empty
    date_order: str = "dmy"  # how to read 01/02/2024: "dmy" (default) or "mdy"


@dataclass(slots=True)
class RowError:
    row: int  # SourceRow.number
    field: str  # target field, e.g. "principal.date_of_birth" or "members.2.sex"
    column: str  # the source column the value came from ("" if none)
    message: str  # translated, says what is wrong and what is expected
    value: str = ""  # the offending value as text


@dataclass(slots=True)
class CaseRecord:
    row: int
    key: str
    principal: dict  # cleaned person fields, as registry.services.person_create accepts them
    documents: list = field(default_factory=list)  # cleaned document dicts
    members: list = field(default_factory=list)  # [{"relationship", "travels", "person": {...}}]
    registered_on: datetime.date | None = None
    country_of_return: str = ""  # ISO alpha-2
