"""A KoboToolbox XLSX export, generated: `make_kobo_export(rows=5000, invalid=12, members=True)`.

Shaped like Kobo's "XML values and headers" export with group names: a main sheet named after the
form with group-prefixed columns ("group_person/given_name") and Kobo's own columns (_id, _uuid,
_submission_time, ..., _index), and a "group_members" sheet for the household-members repeat group
(_index, _parent_table_name, _parent_index, _submission__uuid, ...). Values are written the ways
field teams write them ("Femme", "F", "female"; "Guinée", "GIN", "GN"; dates as ISO text, as
DD/MM/YYYY, as Excel date cells and as Excel serial numbers) so that value mapping and date reading
are exercised. Deterministic for a given seed.

`invalid` rows (spread evenly, never the first) are wrong for distinct reasons, in the order of
INVALID_REASONS; `expected_errors()` gives {row number: field} for them, for assertions. With
suggest_mapping's mapping and no value mapping, every other row is valid.

Used by the parsing tests, the imports app's tests and the browser test.
"""

import datetime
import io
import random
import uuid

MAIN_SHEET = "Enregistrement AVRR"
MEMBER_SHEET = "group_members"
MAIN_COLUMNS = [
    "start",
    "end",
    "today",
    "group_person/given_name",
    "group_person/family_name",
    "group_person/sex",
    "group_person/date_of_birth",
    "group_person/nationality",
    "group_person/phone",
    "group_person/languages",
    "group_document/document_type",
    "group_document/document_number",
    "group_document/expiry_date",
    "group_household/member_count",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
]
MEMBER_COLUMNS = [
    "group_members/member_given_name",
    "group_members/member_family_name",
    "group_members/member_sex",
    "group_members/member_dob",
    "group_members/member_relationship",
    "group_members/member_travels",
    "_index",
    "_parent_table_name",
    "_parent_index",
    "_submission__id",
    "_submission__uuid",
    "_submission__submission_time",
    "_submission__validation_status",
    "_submission__notes",
    "_submission__status",
    "_submission__submitted_by",
    "_submission___version__",
    "_submission__tags",
]
# (reason, field of the error) in the order invalid rows get them.
INVALID_REASONS = [
    ("given name empty", "principal.given_name"),
    ("family name empty", "principal.family_name"),
    ("sex not recognised", "principal.sex"),
    ("date of birth not a date", "principal.date_of_birth"),
    ("date of birth in the future", "principal.date_of_birth"),
    ("nationality unknown", "principal.nationality"),
    ("document type unknown", "document.doc_type"),
    ("document number empty", "document.number"),
    ("no date of birth nor year", "principal.birth_year"),
    ("member relationship unknown", "members.0.relationship"),
    ("member sex empty", "members.0.sex"),
    ("same submission uuid as the first row", "case.key"),
]
_NO_MEMBERS = {  # replacements when the export has no members sheet
    "member relationship unknown": ("phone too long", "principal.phone"),
    "member sex empty": ("date of birth before 1900", "principal.date_of_birth"),
}

_GIVEN_F = ["Aminata", "Mariama", "Fatoumata", "Kadiatou", "Aïssatou", "Hawa", "Djénéba", "Awa"]
_GIVEN_M = ["Ousmane", "Mamadou", "Ibrahima", "Sékou", "Alpha", "Moussa", "Lansana", "Boubacar"]
_FAMILY = ["Diallo", "Barry", "Bah", "Camara", "Sow", "Traoré", "Konaté", "Kouyaté", "N'Diaye"]
_FEMALE = ["F", "Femme", "female", "féminin"]
_MALE = ["M", "Homme", "male", "H"]
_COUNTRIES = ["Guinée", "Guinea", "GN", "GIN", "Guinée Conakry", "Côte d'Ivoire", "CIV", "SN"]
_DOC_TYPES = ["passport", "Passeport", "CNI", "laissez-passer"]
_LANGS = ["fr ff", "fr", "fr sus", "ar fr", "Pular"]
_SUBMITTED = datetime.datetime(2025, 3, 3, 9, 30)


def _invalid_rows(rows: int, invalid: int) -> dict[int, int]:
    """{data index (0 = first data row): reason index}; never index 0."""
    if invalid > rows - 1:
        raise ValueError("invalid must be smaller than rows")
    out = {}
    for k in range(invalid):
        out[((k + 1) * rows) // (invalid + 1)] = k % len(INVALID_REASONS)
    return out


def _reasons(members: bool) -> list:
    if members:
        return INVALID_REASONS
    return [_NO_MEMBERS.get(r, (r, f)) for r, f in INVALID_REASONS]


def expected_errors(rows: int = 5000, invalid: int = 12, members: bool = True) -> dict[int, str]:
    """{sheet row number: field of the expected error} of make_kobo_export's invalid rows."""
    reasons = _reasons(members)
    return {i + 2: reasons[r][1] for i, r in _invalid_rows(rows, invalid).items()}


def make_kobo_export(
    rows: int = 5000, invalid: int = 12, members: bool = True, *, seed: int = 7
) -> bytes:
    import xlsxwriter

    rng = random.Random(seed)
    reasons = _reasons(members)
    bad = {i: reasons[r][0] for i, r in _invalid_rows(rows, invalid).items()}
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_numbers": False})
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    main = wb.add_worksheet(MAIN_SHEET)
    main.write_row(0, 0, MAIN_COLUMNS)
    sheet = None
    if members:
        sheet = wb.add_worksheet(MEMBER_SHEET)
        sheet.write_row(0, 0, MEMBER_COLUMNS)
    member_row = 1
    first_uuid = ""
    for i in range(rows):
        reason = bad.get(i)
        female = rng.random() < 0.45
        given = rng.choice(_GIVEN_F if female else _GIVEN_M)
        family = rng.choice(_FAMILY)
        sex = rng.choice(_FEMALE if female else _MALE)
        dob = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(0, 16000))
        form = i % 4  # ISO text, DD/MM/YYYY, date cell, Excel serial
        if form == 0:
            dob_value = dob.isoformat()
        elif form == 1:
            dob_value = dob.strftime("%d/%m/%Y")
        elif form == 2:
            dob_value = dob
        else:
            dob_value = (dob - datetime.date(1899, 12, 30)).days
        nationality = rng.choice(_COUNTRIES)
        phone = f"+224 6{rng.randrange(10**7, 10**8)}" if rng.random() < 0.7 else ""
        has_doc = rng.random() < 0.6
        doc_type = rng.choice(_DOC_TYPES) if has_doc else ""
        doc_number = f"{'PG' if has_doc else ''}{rng.randrange(10**6, 10**7)}" if has_doc else ""
        expiry = (
            datetime.date(2026, 1, 1) + datetime.timedelta(days=rng.randrange(0, 3000))
            if has_doc
            else None
        )
        n_members = 0
        if members and rng.random() < 0.35:
            n_members = rng.choice((1, 1, 2, 3))
        uid = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        if i == 0:
            first_uuid = uid
        submitted = _SUBMITTED + datetime.timedelta(minutes=7 * i)
        if reason == "given name empty":
            given = ""
        elif reason == "family name empty":
            family = "  "
        elif reason == "sex not recognised":
            sex = "Z"
        elif reason == "date of birth not a date":
            dob_value = "31/02/1990"
        elif reason == "date of birth in the future":
            dob_value = "01/01/2090"
        elif reason == "date of birth before 1900":
            dob_value = "1850-06-01"
        elif reason == "nationality unknown":
            nationality = "Atlantide"
        elif reason == "document type unknown":
            doc_type, doc_number = "carte de bibliothèque", "B-1"
        elif reason == "document number empty":
            doc_type, doc_number = "Passeport", ""
        elif reason == "no date of birth nor year":
            dob_value = ""
        elif reason == "phone too long":
            phone = "+224 " + "6" * 60
        elif reason in ("member relationship unknown", "member sex empty"):
            n_members = max(n_members, 1)
        elif reason == "same submission uuid as the first row":
            uid = first_uuid
        r = i + 1
        values = [
            submitted.isoformat(timespec="milliseconds") + "+00:00",
            (submitted + datetime.timedelta(minutes=5)).isoformat(timespec="milliseconds")
            + "+00:00",
            submitted.date().isoformat(),
            given,
            family,
            sex,
            dob_value,
            nationality,
            phone,
            rng.choice(_LANGS),
            doc_type,
            doc_number,
            expiry.isoformat() if expiry else "",
            n_members + 1,
            100000 + i,
            uid,
            submitted.isoformat(timespec="seconds"),
            "",
            "",
            "submitted_via_web",
            "enqueteur1",
            "vPQ3wYd2m8q",
            "",
            r,
        ]
        for c, v in enumerate(values):
            if v == "" or v is None:
                continue
            if isinstance(v, datetime.date):
                main.write_datetime(r, c, v, date_fmt)
            elif isinstance(v, str):
                main.write_string(r, c, v)
            else:
                main.write_number(r, c, v)
        for m in range(n_members):
            relationship = "spouse" if m == 0 and rng.random() < 0.6 else "child"
            m_sex = rng.choice(["F", "M"])
            m_dob = (
                datetime.date(2008, 1, 1) + datetime.timedelta(days=rng.randrange(0, 5000))
                if relationship == "child"
                else datetime.date(1975, 1, 1) + datetime.timedelta(days=rng.randrange(0, 9000))
            )
            if m == 0 and reason == "member relationship unknown":
                relationship = "voisin"
            if m == 0 and reason == "member sex empty":
                m_sex = ""
            row = [
                rng.choice(_GIVEN_F if m_sex == "F" else _GIVEN_M),
                family.strip() or "Diallo",
                m_sex,
                m_dob.strftime("%d/%m/%Y"),
                {"spouse": "épouse", "child": "enfant"}.get(relationship, relationship)
                if m % 2
                else relationship,
                "yes" if rng.random() < 0.9 else "no",
                member_row,
                MAIN_SHEET,
                r,
                100000 + i,
                uid,
                submitted.isoformat(timespec="seconds"),
                "",
                "",
                "submitted_via_web",
                "enqueteur1",
                "vPQ3wYd2m8q",
                "",
            ]
            for c, v in enumerate(row):
                if v == "":
                    continue
                if isinstance(v, str):
                    sheet.write_string(member_row, c, v)
                else:
                    sheet.write_number(member_row, c, v)
            member_row += 1
    wb.close()
    return out.getvalue()
