"""The one write path for persons, identity documents and partner organisations.

Callers (cases services, views, API, imports) pass already-authorised objects; permission to edit a
person is checked by the cases policies, which know which cases the person belongs to.
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record, diff, snapshot
from awda.core import countries
from awda.core.concurrency import save_versioned
from awda.core.errors import StaleEdit, ValidationFailed
from awda.core.text import compact, digits, fold

from .choices import DocumentType, OrganisationKind, Sex
from .match_keys import RECORD_FIELDS, match_keys_refresh
from .models import IdentityDocument, Organisation, Person

PERSON_FIELDS = [
    "given_name",
    "family_name",
    "other_names",
    "name_arabic",
    "sex",
    "date_of_birth",
    "birth_year",
    "dob_estimated",
    "nationality",
    "languages",
    "phone",
    "address",
    "city",
]
# The person fields the duplicate engine reads (a change refreshes the person's match keys).
MATCH_FIELDS = set(RECORD_FIELDS)
DOCUMENT_FIELDS = ["doc_type", "number", "issuing_country", "issue_date", "expiry_date", "notes"]
ORGANISATION_FIELDS = [
    "name",
    "kind",
    "country",
    "city",
    "contact_name",
    "email",
    "phone",
    "address",
    "notes",
    "is_active",
]


def _clean_person(data: dict, *, prefix: str = "") -> dict:
    """Normalise and validate person fields; raise ValidationFailed listing every bad field."""
    errors: dict[str, list[str]] = {}
    out = {k: data[k] for k in PERSON_FIELDS if k in data}
    for key in (
        "given_name",
        "family_name",
        "other_names",
        "name_arabic",
        "phone",
        "address",
        "city",
    ):
        if key in out:
            out[key] = (out[key] or "").strip()
    for key in ("given_name", "family_name"):
        if key in out and not out[key]:
            errors[prefix + key] = [_("This field is required.")]
    if "sex" in out and out["sex"] not in Sex.values:
        errors[prefix + "sex"] = [_("Choose a valid sex.")]
    if "nationality" in out:
        nat = countries.resolve(out["nationality"] or "")
        if out["nationality"] and not nat:
            errors[prefix + "nationality"] = [
                _("Unknown country code: %(v)s") % {"v": out["nationality"]}
            ]
        out["nationality"] = nat
        out["nationality_alpha3"] = countries.alpha3(nat)
    if "languages" in out:
        langs = out["languages"] or []
        if isinstance(langs, str):
            langs = [x.strip() for x in langs.split(",") if x.strip()]
        out["languages"] = list(dict.fromkeys(str(x).strip() for x in langs if str(x).strip()))
    today = timezone.localdate()
    dob = out.get("date_of_birth")
    if dob:
        if isinstance(dob, str):
            try:
                dob = datetime.date.fromisoformat(dob)
            except ValueError:
                errors[prefix + "date_of_birth"] = [_("Enter a valid date (YYYY-MM-DD).")]
                dob = None
        if dob and dob > today:
            errors[prefix + "date_of_birth"] = [_("The date of birth is in the future.")]
        if dob and dob.year < 1900:
            errors[prefix + "date_of_birth"] = [_("The date of birth is too far in the past.")]
        out["date_of_birth"] = dob
        if dob:
            out["birth_year"] = dob.year
    year = out.get("birth_year")
    if year not in (None, ""):
        try:
            year = int(year)
        except (TypeError, ValueError):
            year = -1
        if not (1900 <= year <= today.year):
            errors[prefix + "birth_year"] = [
                _("Enter a year between 1900 and %(y)s.") % {"y": today.year}
            ]
        out["birth_year"] = year
    elif "birth_year" in out:
        out["birth_year"] = None
    if "phone" in out:
        out["phone_digits"] = digits(out["phone"])
    if errors:
        raise ValidationFailed(fields=errors)
    return out


def _refresh_search_text(person: Person) -> None:
    numbers = person.documents.values_list("number", flat=True) if person.pk else []
    doc_numbers = " ".join(compact(n).lower() for n in numbers)
    person.search_text = " ".join(
        x
        for x in [
            fold(f"{person.given_name} {person.family_name}"),
            fold(person.other_names),
            person.name_arabic,
            person.phone_digits,
            doc_numbers,
        ]
        if x
    )


def person_create(
    user, *, office, data: dict, documents: list[dict] | None = None, prefix: str = ""
) -> Person:
    cleaned = _clean_person(data, prefix=prefix)
    missing = [k for k in ("given_name", "family_name", "sex") if not cleaned.get(k)]
    if missing:
        raise ValidationFailed(fields={prefix + k: [_("This field is required.")] for k in missing})
    if not cleaned.get("date_of_birth") and not cleaned.get("birth_year"):
        raise ValidationFailed(
            fields={
                prefix + "birth_year": [_("Give the date of birth or an estimated year of birth.")]
            }
        )
    if not cleaned.get("date_of_birth"):
        cleaned["dob_estimated"] = True
    with transaction.atomic():
        person = Person(registered_by_office=office, created_by=user, **cleaned)
        _refresh_search_text(person)
        person.save()
        audit_record(
            user,
            action="registry.person.created",
            obj=person,
            person_id=person.pk,
            office_id=office.pk,
            changes=snapshot(person, PERSON_FIELDS),
        )
        for i, doc in enumerate(documents or []):
            identity_document_add(user, person=person, data=doc, prefix=f"{prefix}documents.{i}.")
        if not documents:  # otherwise each document added has refreshed them
            match_keys_refresh(person)
    return person


def person_update(
    user, *, person: Person, expected_version: int | None, data: dict, case_id=None
) -> Person:
    cleaned = _clean_person(data)
    if (
        "date_of_birth" in data
        and not cleaned.get("date_of_birth")
        and not cleaned.get("birth_year", person.birth_year)
    ):
        raise ValidationFailed(
            fields={"birth_year": [_("Give the date of birth or an estimated year of birth.")]}
        )
    if "date_of_birth" in cleaned and not cleaned["date_of_birth"]:
        cleaned["dob_estimated"] = True  # only the (estimated) year is left
    with transaction.atomic():
        before = snapshot(person, PERSON_FIELDS)
        for key, value in cleaned.items():
            setattr(person, key, value)
        _refresh_search_text(person)
        changes = diff(before, snapshot(person, PERSON_FIELDS))
        save_versioned(
            person,
            expected_version=expected_version,
            fields=[*cleaned.keys(), "search_text", "updated_at"],
        )
        if MATCH_FIELDS & cleaned.keys():
            match_keys_refresh(person)
        if changes:
            audit_record(
                user,
                action="registry.person.updated",
                obj=person,
                person_id=person.pk,
                case_id=case_id,
                changes=changes,
            )
    return person


def _clean_document(data: dict, prefix: str = "") -> dict:
    errors = {}
    out = {k: data[k] for k in DOCUMENT_FIELDS if k in data}
    if out.get("doc_type") not in DocumentType.values:
        errors[prefix + "doc_type"] = [_("Choose a valid document type.")]
    out["number"] = (out.get("number") or "").strip()
    if not compact(out["number"]):
        errors[prefix + "number"] = [_("This field is required.")]
    if out.get("issuing_country"):
        code = countries.resolve(out["issuing_country"])
        if not code:
            errors[prefix + "issuing_country"] = [
                _("Unknown country code: %(v)s") % {"v": out["issuing_country"]}
            ]
        out["issuing_country"] = code
    for key in ("issue_date", "expiry_date"):
        if isinstance(out.get(key), str):
            try:
                out[key] = datetime.date.fromisoformat(out[key]) if out[key] else None
            except ValueError:
                errors[prefix + key] = [_("Enter a valid date (YYYY-MM-DD).")]
    if out.get("issue_date") and out.get("expiry_date") and out["expiry_date"] < out["issue_date"]:
        errors[prefix + "expiry_date"] = [_("The expiry date is before the issue date.")]
    if errors:
        raise ValidationFailed(fields=errors)
    out["number_compact"] = compact(out["number"])
    return out


def _touch_person(person: Person, expected_version: int | None) -> None:
    """Identity documents are part of the person's record: a document change refreshes the
    person's search text and bumps the person's version, compare-and-set against
    `expected_version` when given (StaleEdit if someone changed the person or a document)."""
    qs = Person.objects.filter(pk=person.pk)
    if expected_version is not None:
        qs = qs.filter(version=int(expected_version))
    if not qs.update(version=F("version") + 1, search_text=person.search_text):
        raise StaleEdit()
    person.version = Person.objects.values_list("version", flat=True).get(pk=person.pk)


def identity_document_add(
    user,
    *,
    person: Person,
    data: dict,
    prefix: str = "",
    case_id=None,
    expected_version: int | None = None,
) -> IdentityDocument:
    cleaned = _clean_document(data, prefix)
    with transaction.atomic():
        doc = IdentityDocument.objects.create(person=person, **cleaned)
        _refresh_search_text(person)
        _touch_person(person, expected_version)
        match_keys_refresh(person)
        audit_record(
            user,
            action="registry.identity_document.created",
            obj=doc,
            person_id=person.pk,
            case_id=case_id,
            changes=snapshot(doc, DOCUMENT_FIELDS),
        )
    return doc


def identity_document_update(
    user,
    *,
    document: IdentityDocument,
    data: dict,
    case_id=None,
    expected_version: int | None = None,
) -> IdentityDocument:
    cleaned = _clean_document({**snapshot(document, DOCUMENT_FIELDS), **data})
    with transaction.atomic():
        before = snapshot(document, DOCUMENT_FIELDS)
        for k, v in cleaned.items():
            setattr(document, k, v)
        document.save(update_fields=[*cleaned.keys(), "updated_at"])
        person = document.person
        _refresh_search_text(person)
        _touch_person(person, expected_version)
        match_keys_refresh(person)
        audit_record(
            user,
            action="registry.identity_document.updated",
            obj=document,
            person_id=person.pk,
            case_id=case_id,
            changes=diff(before, snapshot(document, DOCUMENT_FIELDS)),
        )
    return document


def identity_document_delete(
    user, *, document: IdentityDocument, case_id=None, expected_version: int | None = None
) -> None:
    with transaction.atomic():
        person = document.person
        audit_record(
            user,
            action="registry.identity_document.deleted",
            obj=document,
            person_id=person.pk,
            case_id=case_id,
            changes=snapshot(document, DOCUMENT_FIELDS),
        )
        document.delete()
        _refresh_search_text(person)
        _touch_person(person, expected_version)
        match_keys_refresh(person)


def _clean_organisation(data: dict) -> dict:
    out = {k: data[k] for k in ORGANISATION_FIELDS if k in data}
    errors = {}
    if "name" in out and not (out["name"] or "").strip():
        errors["name"] = [_("This field is required.")]
    if "kind" in out and out["kind"] not in OrganisationKind.values:
        errors["kind"] = [_("Choose a valid type.")]
    if "country" in out:
        code = countries.resolve(out["country"] or "")
        if not code:
            errors["country"] = [_("Unknown country code: %(v)s") % {"v": out["country"]}]
        out["country"] = code
    if errors:
        raise ValidationFailed(fields=errors)
    return out


def organisation_create(user, *, data: dict) -> Organisation:
    cleaned = _clean_organisation(data)
    if not cleaned.get("name") or not cleaned.get("kind") or not cleaned.get("country"):
        raise ValidationFailed(
            fields={
                k: [_("This field is required.")]
                for k in ("name", "kind", "country")
                if not cleaned.get(k)
            }
        )
    with transaction.atomic():
        org = Organisation.objects.create(**cleaned)
        audit_record(
            user,
            action="registry.organisation.created",
            obj=org,
            changes=snapshot(org, ORGANISATION_FIELDS),
        )
    return org


def organisation_update(user, *, organisation: Organisation, data: dict) -> Organisation:
    cleaned = _clean_organisation(data)
    with transaction.atomic():
        before = snapshot(organisation, ORGANISATION_FIELDS)
        for k, v in cleaned.items():
            setattr(organisation, k, v)
        organisation.save(update_fields=[*cleaned.keys(), "updated_at"])
        audit_record(
            user,
            action="registry.organisation.updated",
            obj=organisation,
            changes=diff(before, snapshot(organisation, ORGANISATION_FIELDS)),
        )
    return organisation
