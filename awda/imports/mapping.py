"""Column mapping: which source column feeds which Awda field.

`suggest_mapping` reads the column names the way a person would: the Kobo group prefix is dropped
("group_person/given_name" -> "given_name"; "." as in Kobo CSV exports too), case, accents,
punctuation and small words are ignored ("Date de naissance" = "date_naissance" = "DateNaissance"),
and names are compared with a table of French and English synonyms. The household-members repeat
group is the child group whose columns look most like person fields. Nothing is guessed from the
values except the day/month order of dates (dates.detect_order).

A mapping is saved per source as JSON (`mapping_to_json` / `mapping_from_json`) and reused for the
next file or pull from the same source.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awda.core.text import fold

from . import dates
from .contract import (
    ALL_TARGETS,
    CASE_TARGETS,
    DOCUMENT_TARGETS,
    MEMBER_TARGETS,
    PERSON_TARGETS,
    Mapping,
    Table,
)

FIELD_LABELS = {
    "given_name": gettext_lazy("given name"),
    "family_name": gettext_lazy("family name"),
    "other_names": gettext_lazy("other names"),
    "sex": gettext_lazy("sex"),
    "date_of_birth": gettext_lazy("date of birth"),
    "birth_year": gettext_lazy("year of birth"),
    "nationality": gettext_lazy("nationality"),
    "phone": gettext_lazy("phone"),
    "languages": gettext_lazy("languages"),
    "address": gettext_lazy("address"),
    "city": gettext_lazy("city"),
    "doc_type": gettext_lazy("document type"),
    "number": gettext_lazy("document number"),
    "issuing_country": gettext_lazy("issuing country"),
    "issue_date": gettext_lazy("issue date"),
    "expiry_date": gettext_lazy("expiry date"),
    "registered_on": gettext_lazy("registration date"),
    "country_of_return": gettext_lazy("country of return"),
    "key": gettext_lazy("row key"),
    "relationship": gettext_lazy("relationship"),
    "travels": gettext_lazy("travels"),
}
GROUP_LABELS = {
    "principal": gettext_lazy("Principal applicant"),
    "document": gettext_lazy("Identity document"),
    "case": gettext_lazy("Case"),
    "member": gettext_lazy("Household member"),
}


def field_label(target: str) -> str:
    """'principal.date_of_birth' -> 'date of birth' (translated)."""
    return str(FIELD_LABELS[target.rsplit(".", 1)[-1]])


def target_choices() -> list[tuple[str, str]]:
    """(target, "Principal applicant: given name") for the mapping editor, in ALL_TARGETS order."""
    return [
        (t, f"{GROUP_LABELS[t.split('.')[0]]}: {FIELD_LABELS[t.split('.')[1]]}")
        for t in ALL_TARGETS
    ]


# Compact names (folded, small words and separators removed) -> field. Person fields apply to the
# principal (main rows) and to members (repeat group rows).
_PERSON_SYNONYMS = {
    "given_name": "givenname givennames firstname firstnames first forename forenames prenom "
    "prenoms prenomsusuels",
    "family_name": "familyname surname lastname last nom nomfamille patronyme noms nomusage",
    "other_names": "othernames alias aliases autresnoms autrenom surnom surnoms nickname "
    "akas aka autresorthographes",
    "sex": "sex sexe gender genre",
    "date_of_birth": "dateofbirth datebirth dob birthdate birthday datenaissance naissance ddn "
    "datenaiss datenais dnaissance",
    "birth_year": "birthyear yearbirth yob anneenaissance anneedenaissance anneenaiss",
    "nationality": "nationality nationalite citizenship nationalites",
    "phone": "phone telephone tel phonenumber numerotelephone numtel mobile portable cellphone "
    "gsm telephonenumber telephone1 numerotel",
    "languages": "languages language langue langues languesparlees spokenlanguages langueparlee",
    "address": "address adresse addresse adresseactuelle currentaddress domicile",
    "city": "city ville town localite commune villeresidence",
}
_MAIN_SYNONYMS = {
    "document.doc_type": "doctype documenttype typedocument typepiece typeid idtype "
    "typeofdocument typedoc typepieceidentite documentidentite",
    "document.number": "documentnumber docnumber numerodocument numdocument ndocument "
    "passportnumber passportno passportnum numeropasseport numpasseport npasseport nopasseport "
    "passeport passport idnumber numeropiece npiece numeropieceidentite numerocni ncni "
    "numeroidentite",
    "document.issuing_country": "issuingcountry paysemission paysdelivrance issuedby "
    "countryofissue countryissue",
    "document.issue_date": "issuedate dateissue dateofissue dateemission datedelivrance delivrele",
    "document.expiry_date": "expirydate expirationdate dateexpiration dateexpiry validuntil "
    "datevalidite datefinvalidite expire expiresle dateofexpiry",
    "case.registered_on": "registeredon registrationdate dateregistration dateenregistrement "
    "dateinscription dateentretien interviewdate",
    "case.country_of_return": "countryofreturn returncountry paysretour paysderetour "
    "destination paysdestination countrydestination destinationcountry",
}
# Used only when no column matched the synonyms above (Kobo's own fields).
_MAIN_FALLBACK = {
    "case.registered_on": "today submissiontime start",
}
_MEMBER_SYNONYMS = {
    "relationship": "relationship relation lien lienparente liendeparente relationtohead "
    "relationshiptohead relationwithhead lienavecchef lienchefmenage lienavecdemandeur "
    "relationshiptopa relationshipwithapplicant",
    "travels": "travels voyage voyageavec travelswith accompagne travelling voyagera partavec "
    "departavec travel",
}
_STOP = {"de", "du", "des", "d", "la", "le", "les", "l", "of", "the", "a", "en", "s"}
_PRINCIPAL_AFFIX = {"principal", "pa", "chef", "demandeur", "applicant", "head", "hoh", "main"}
_MEMBER_AFFIX = {"member", "members", "membre", "membres", "hh", "m", "mbr", "menage", "household"}


def _index(table: dict, prefix: str = "") -> dict:
    out = {}
    for target, names in table.items():
        for n in names.split():
            out.setdefault(n, prefix + target)
    return out


_PRINCIPAL_INDEX = _index(_PERSON_SYNONYMS, "principal.") | _index(_MAIN_SYNONYMS)
_FALLBACK_INDEX = _index(_MAIN_FALLBACK)
_MEMBER_INDEX = _index(_PERSON_SYNONYMS, "member.") | _index(_MEMBER_SYNONYMS, "member.")


def column_tokens(column: str) -> list[str]:
    """'group_person/Date_de_Naissance' -> ['date', 'naissance']."""
    last = column.rsplit("/", 1)[-1]
    if "/" not in column and "." in last:
        last = last.rsplit(".", 1)[-1]
    last = last.replace("'", " ").replace("\u2019", " ")  # "d'expiration": d + expiration
    return [t for t in fold(last).replace(" ", "_").split("_") if t and t not in _STOP]


def _strip(tokens: list, affixes: set) -> list:
    while len(tokens) > 1 and tokens[0] in affixes:
        tokens = tokens[1:]
    while len(tokens) > 1 and tokens[-1] in affixes:
        tokens = tokens[:-1]
    return tokens


def _match_main(column: str) -> tuple[str, int] | None:
    tokens = column_tokens(column)
    if not tokens:
        return None
    compact = "".join(tokens)
    for candidate in (compact, "".join(_strip(tokens, _PRINCIPAL_AFFIX))):
        if column.startswith("_"):
            break
        if candidate in _PRINCIPAL_INDEX:
            return _PRINCIPAL_INDEX[candidate], 0
    if compact in _FALLBACK_INDEX:
        return _FALLBACK_INDEX[compact], 1
    return None


def _match_member(column: str) -> str | None:
    if column.startswith("_"):
        return None
    tokens = column_tokens(column)
    if not tokens:
        return None
    for candidate in ("".join(tokens), "".join(_strip(tokens, _MEMBER_AFFIX))):
        if candidate in _MEMBER_INDEX:
            return _MEMBER_INDEX[candidate]
        if candidate.startswith(("lien", "relation")):
            return "member.relationship"
    return None


def _member_columns(columns: list) -> dict:
    out = {}
    for column in columns:
        target = _match_member(column)
        if target and target not in out:
            out[target] = column
    return out


def suggest_mapping(table: Table) -> Mapping:
    columns: dict = {}
    rank: dict = {}
    for column in table.columns:
        found = _match_main(column)
        if found:
            target, priority = found
            if target not in columns or priority < rank[target]:
                columns[target] = column
                rank[target] = priority
    mapping = Mapping(columns=columns)
    best, best_score = "", 1
    for group, child_columns in table.child_columns.items():
        found = _member_columns(child_columns)
        score = sum(
            1 for t in found if t.split(".")[1] in PERSON_TARGETS or t == "member.relationship"
        )
        if score > best_score:
            best, best_score = group, score
    if best:
        mapping.member_group = best
        columns.update(_member_columns(table.child_columns[best]))
    if "document.number" in columns and "document.doc_type" not in columns:
        compact = "".join(column_tokens(columns["document.number"]))
        for words, doc_type in (
            (("passport", "passeport"), "passport"),
            (("cni", "identite", "nationalid"), "national_id"),
            (("laissez", "laisser"), "laissez_passer"),
        ):
            if any(w in compact for w in words):
                mapping.defaults["document.doc_type"] = doc_type
                break
    mapping.date_order = dates.detect_order(_date_samples(table, mapping))
    return mapping


_DATE_TARGETS = (
    "principal.date_of_birth",
    "document.issue_date",
    "document.expiry_date",
    "case.registered_on",
    "member.date_of_birth",
)


def _date_samples(table: Table, mapping: Mapping, limit: int = 5000):
    cols = [mapping.columns[t] for t in _DATE_TARGETS[:-1] if t in mapping.columns]
    member_col = mapping.columns.get("member.date_of_birth")
    for row in table.rows[:limit]:
        for c in cols:
            yield row.values.get(c)
        if member_col:
            for child in row.children.get(mapping.member_group, ()):
                yield child.get(member_col)


def _has(mapping: Mapping, target: str) -> bool:
    return bool(mapping.columns.get(target)) or mapping.defaults.get(target) not in (None, "")


def mapping_problems(table: Table, mapping: Mapping) -> list[str]:
    """What stops the mapping from importing anything: unknown fields, columns not in the file,
    required fields with no column. Row-level problems are validate's."""
    problems = []
    known = set(ALL_TARGETS)
    child_columns = (
        table.child_columns.get(mapping.member_group, []) if mapping.member_group else []
    )
    if mapping.member_group and mapping.member_group not in table.child_columns:
        problems.append(
            _('The household members group "%(g)s" is not in the file.')
            % {"g": mapping.member_group}
        )
    for target, column in mapping.columns.items():
        if target not in known:
            problems.append(_('"%(t)s" is not a field that can be imported.') % {"t": target})
            continue
        if not column:
            continue
        label = _target_text(target)
        if target.startswith("member."):
            if not mapping.member_group:
                problems.append(
                    _("%(field)s is mapped but no household members group is chosen.")
                    % {"field": label}
                )
            elif mapping.member_group in table.child_columns and column not in child_columns:
                problems.append(
                    _('Column "%(c)s" (mapped to %(field)s) is not in the household members group.')
                    % {"c": column, "field": label}
                )
        elif column not in table.columns:
            problems.append(
                _('Column "%(c)s" (mapped to %(field)s) is not in the file.')
                % {"c": column, "field": label}
            )
    for target in mapping.defaults:
        if target not in known:
            problems.append(_('"%(t)s" is not a field that can be imported.') % {"t": target})
    required = ["principal.given_name", "principal.family_name", "principal.sex"]
    if mapping.member_group:
        required += ["member.given_name", "member.family_name", "member.sex", "member.relationship"]
    for target in required:
        if not _has(mapping, target):
            problems.append(
                _("No column is mapped to %(field)s.") % {"field": _target_text(target)}
            )
    for who in ("principal", *(["member"] if mapping.member_group else [])):
        if not _has(mapping, f"{who}.date_of_birth") and not _has(mapping, f"{who}.birth_year"):
            problems.append(
                _("No column is mapped to %(a)s or %(b)s.")
                % {
                    "a": _target_text(f"{who}.date_of_birth"),
                    "b": _target_text(f"{who}.birth_year"),
                }
            )
    if not _has(mapping, "case.country_of_return") and not _has(mapping, "principal.nationality"):
        problems.append(
            _("No column is mapped to %(a)s or %(b)s.")
            % {
                "a": _target_text("case.country_of_return"),
                "b": _target_text("principal.nationality"),
            }
        )
    if any(_has(mapping, f"document.{t}") for t in DOCUMENT_TARGETS if t != "doc_type"):
        for target in ("document.doc_type", "document.number"):
            if not _has(mapping, target):
                problems.append(
                    _("No column (or default value) is mapped to %(field)s.")
                    % {"field": _target_text(target)}
                )
    if mapping.date_order not in ("dmy", "mdy"):
        problems.append(_("The date order must be day/month or month/day."))
    return problems


def validate_mapping_targets(mapping: Mapping) -> dict:
    """What is wrong in a mapping on its own, before any file is read, as field errors
    ({target or "member_group" / "date_order": [messages]}); {} when it can be saved. Unknown
    targets, member fields without a members group, default values and value mappings that are
    not valid Awda values for a choice field."""
    from .values import CHOICE_TARGETS, valid_choice

    known = set(ALL_TARGETS)
    errors: dict = {}

    def add(key, message):
        errors.setdefault(key, []).append(message)

    for target, column in mapping.columns.items():
        if target not in known:
            add(target, _('"%(t)s" is not a field that can be imported.') % {"t": target})
        elif not isinstance(column, str):
            add(target, _("Choose a column."))
        elif column and target.startswith("member.") and not mapping.member_group:
            add("member_group", _("Choose the household members group."))
    for target, value in mapping.defaults.items():
        if target not in known:
            add(target, _('"%(t)s" is not a field that can be imported.') % {"t": target})
        elif (
            target in CHOICE_TARGETS
            and value not in (None, "")
            and valid_choice(CHOICE_TARGETS[target], value) is None
        ):
            add(target, _('"%(v)s" is not a valid value for this field.') % {"v": value})
    for target, values in (mapping.values or {}).items():
        if target not in CHOICE_TARGETS:
            add(target, _("Values can be mapped only for fields with a list of choices."))
            continue
        for source, value in values.items():
            if valid_choice(CHOICE_TARGETS[target], value) is None:
                add(
                    target,
                    _('"%(s)s" is mapped to "%(v)s", which is not a valid value for this field.')
                    % {"s": source, "v": value},
                )
    if mapping.date_order not in ("dmy", "mdy"):
        add("date_order", _("The date order must be day/month or month/day."))
    return {k: list(dict.fromkeys(v)) for k, v in errors.items()}


def _target_text(target: str) -> str:
    group, _dot, name = target.partition(".")
    if group in GROUP_LABELS and name in FIELD_LABELS:
        return f"{GROUP_LABELS[group]}: {FIELD_LABELS[name]}"
    return target


def mapping_to_json(mapping: Mapping) -> dict:
    return {
        "columns": dict(mapping.columns),
        "values": {t: dict(v) for t, v in (mapping.values or {}).items()},
        "member_group": mapping.member_group,
        "defaults": dict(mapping.defaults),
        "date_order": mapping.date_order,
    }


def mapping_from_json(data: dict | None) -> Mapping:
    """A Mapping from its saved JSON; entries of the wrong shape are dropped, never fatal (a saved
    mapping that refers to columns a new file lacks is reported by mapping_problems)."""
    data = data if isinstance(data, dict) else {}

    def str_dict(d):
        return {
            str(k): v for k, v in (d if isinstance(d, dict) else {}).items() if isinstance(k, str)
        }

    columns = {k: v for k, v in str_dict(data.get("columns")).items() if isinstance(v, str)}
    values = {
        k: str_dict(v) for k, v in str_dict(data.get("values")).items() if isinstance(v, dict)
    }
    group = data.get("member_group")
    order = data.get("date_order")
    return Mapping(
        columns=columns,
        values=values,
        member_group=group if isinstance(group, str) else "",
        defaults=str_dict(data.get("defaults")),
        date_order=order if order in ("dmy", "mdy") else "dmy",
    )


__all__ = [
    "CASE_TARGETS",
    "FIELD_LABELS",
    "MEMBER_TARGETS",
    "column_tokens",
    "field_label",
    "mapping_from_json",
    "mapping_problems",
    "mapping_to_json",
    "suggest_mapping",
    "target_choices",
    "validate_mapping_targets",
]
