"""Validate mapped rows: every row becomes a CaseRecord or a list of RowErrors, before anything is
written.

The rules are those of the write path, so that a row that passes here is accepted by it:
- registry.services._clean_person and person_create: given name, family name and sex required;
  sex one of Sex; the date of birth a date, not in the future, not before 1900, or else a year of
  birth from 1900 to this year (one of the two required; a date sets the year); nationality a known
  country; languages a list;
- registry.services._clean_document: a known document type and a number with letters or digits;
  issuing country known; expiry not before issue;
- cases.services.registration.case_register: registration date not in the future; each member's
  relationship one of Relationship but not "principal"; a country of return (the principal's
  nationality when the row gives none).
Also checked here because the database would refuse them: the length of text fields (given and
family names 120 characters, other names 300, phone 40, city 100, document number 60).

Messages name the row, the field, the value and what is expected:
    Row 14, date of birth: "31/02/1990" is not a date (expected DD/MM/YYYY, YYYY-MM-DD or an
    Excel date)
Members' errors have the field "members.N.<field>" (N from 0, as case_register's prefixes), the
parent row's number and "member N+1" in the message. Rows with no value at all are skipped; so are
member rows with no value in any mapped column. A row key seen before in the same table is an error
on the later row (field "case.key").

Speed: converters are built once per column (messages translated once, caches of the distinct
values of choice and date columns), so a row costs a few dictionary lookups per field.
"""

import datetime
import gc
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from awda.cases.choices import Relationship
from awda.core.text import compact
from awda.registry.choices import DocumentType, Sex

from . import dates
from .contract import (
    DOCUMENT_TARGETS,
    PERSON_TARGETS,
    CaseRecord,
    Mapping,
    RowError,
    Table,
)
from .mapping import field_label
from .values import CHOICE_TARGETS, _text, auto_value, map_value, user_lookup, valid_choice

MAX_LENGTHS = {
    "given_name": 120,
    "family_name": 120,
    "other_names": 300,
    "phone": 40,
    "city": 100,
    "number": 60,
}
_TEXT_FIELDS = ("given_name", "family_name", "other_names", "phone", "address", "city")
_REQUIRED_PERSON = ("given_name", "family_name", "sex")
_MISS = object()


def _cached(compute, *, lists: bool = False):
    """A converter computing each distinct raw value once (`compute` returns the value or a
    _Bad, raised on every use). A list value is copied for each person; `lists`: the values are
    lists, so the compiled row builder may not share them (no "cached" fast path)."""
    cache = {}

    def conv(raw):
        try:
            r = cache.get(raw, _MISS)
        except TypeError:  # an unhashable value
            r = compute(raw)
        else:
            if r is _MISS:
                r = cache[raw] = compute(raw)
        if r.__class__ is _Bad:
            raise _Bad(r.problem, r.value)
        if r.__class__ is list:
            return list(r)  # each person gets a list of their own
        return r

    conv.fast = None if lists else ("cached", cache)
    return conv


class _Bad(Exception):
    """A value that fails a rule: the problem text (translated, formatted) and the value."""

    def __init__(self, problem: str, value: str = ""):
        self.problem = problem
        self.value = value


def _shown(value) -> str:
    text = _text(value)
    if isinstance(value, datetime.datetime):
        text = value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    return text if len(text) <= 60 else text[:57] + "..."


class _Messages:
    """Every message template, translated once per validate() call."""

    def __init__(self, kind: str, order: str, today: datetime.date):
        if kind == "kobo":
            self.row = _("Submission %(row)s, %(field)s: %(problem)s")
            self.member = _("Submission %(row)s, member %(member)s, %(field)s: %(problem)s")
        else:
            self.row = _("Row %(row)s, %(field)s: %(problem)s")
            self.member = _("Row %(row)s, member %(member)s, %(field)s: %(problem)s")
        self.empty = _("is empty (a value is required)")
        self.unmapped = _("no column is mapped to it (a value is required)")
        self.date = _('"%(value)s" is not a date (expected %(formats)s or an Excel date)') % {
            "value": "%(value)s",
            "formats": dates.expected_formats(order),
        }
        self.year_not_allowed = _('"%(value)s" is only a year; a full date is expected')
        self.future = _('"%(value)s" is in the future')
        self.before_1900 = _('"%(value)s" is before 1900')
        self.year = _('"%(value)s" is not a year between 1900 and %(max)s') % {
            "value": "%(value)s",
            "max": today.year,
        }
        self.dob_or_year = _("give the date of birth or an estimated year of birth")
        self.choice = _('"%(value)s" is not recognised (expected %(expected)s, or map this value)')
        self.country = _(
            '"%(value)s" is not a known country (expected a country name or an ISO code such '
            "as GN or GIN, or map this value)"
        )
        self.mapped_invalid = _('"%(value)s" is mapped to "%(mapped)s", which is not valid here')
        self.principal_relationship = _(
            '"%(value)s" means the principal applicant; a household member needs another '
            "relationship"
        )
        self.too_long = _('"%(value)s" is too long (at most %(max)s characters)')
        self.expiry = _('"%(value)s" is before the issue date (%(issue)s)')
        self.no_return = _("is empty and so is the nationality: the country of return is required")
        self.doc_required = _("is empty (required for the identity document)")
        self.number_compact = _('"%(value)s" has no letter or digit')
        self.dup_uuid = _("same submission (uuid %(value)s) as row %(first)s")
        self.dup_hash = _("same values as row %(first)s (the row is repeated)")
        self.dup_key = _('"%(value)s" is already the key of row %(first)s')
        if kind == "kobo":
            self.dup_uuid = _("same submission (uuid %(value)s) as submission %(first)s")
            self.dup_hash = _("same values as submission %(first)s (it is repeated)")
            self.dup_key = _('"%(value)s" is already the key of submission %(first)s')
        self.expected = {
            "sex": ", ".join(str(label) for _v, label in Sex.choices),
            "relationship": ", ".join(
                str(label) for v, label in Relationship.choices if v != Relationship.PRINCIPAL
            ),
            "doc_type": ", ".join(str(label) for _v, label in DocumentType.choices),
            "yesno": _("yes or no"),
        }


class _Plan:
    """Per-column converters for one (table, mapping)."""

    def __init__(self, table: Table, mapping: Mapping, today: datetime.date):
        self.today = today
        self.msg = _Messages(table.kind, mapping.date_order, today)
        self.mapping = mapping
        self.cut_past = today.year % 100
        self.cut_future = (today.year + 10) % 100
        self.principal, self.principal_const = self._person("principal")
        self.doc_specs = {t: self._spec(f"document.{t}") for t in DOCUMENT_TARGETS}
        self.documents = [
            self.doc_specs[t]
            for t in DOCUMENT_TARGETS
            if mapping.columns.get(f"document.{t}") or f"document.{t}" in mapping.defaults
        ]
        self.doc_const = {
            t: "" if t in ("doc_type", "number", "issuing_country") else None
            for t in DOCUMENT_TARGETS
        }
        self.doc_columns = [mapping.columns.get(f"document.{t}") for t in DOCUMENT_TARGETS]
        self.doc_columns = [c for c in self.doc_columns if c]
        self.registered_on = self._spec("case.registered_on")
        self.country_of_return = self._spec("case.country_of_return")
        self.key_column = mapping.columns.get("case.key") or None
        self.group = mapping.member_group
        self.members = self.member_const = self.member_extra = None
        if self.group:
            self.members, self.member_const = self._person("member")
            self.member_extra = [self._spec("member.relationship"), self._spec("member.travels")]
            self.member_columns = [
                c for t, c in mapping.columns.items() if t.startswith("member.") and c
            ]

    def _person(self, who: str):
        specs = []
        const = {}
        for name in PERSON_TARGETS:
            target = f"{who}.{name}"
            if (
                self.mapping.columns.get(target)
                or target in self.mapping.defaults
                or name in _REQUIRED_PERSON
            ):
                specs.append(self._spec(target))
            else:
                const[name] = [] if name == "languages" else None if name in _DATES else ""
        return specs, const

    def _spec(self, target: str):
        """(output key, source column or None, converter, label)."""
        name = target.split(".", 1)[1]
        column = self.mapping.columns.get(target) or None
        default = self.mapping.defaults.get(target)
        required = (
            name in _REQUIRED_PERSON and not target.startswith("document.")
        ) or target == "member.relationship"
        empty = self.msg.empty if column else self.msg.unmapped
        if target in CHOICE_TARGETS:
            conv = self._choice(target, default, required, empty)
        elif name in _DATES:
            conv = self._date(name, default)
        elif name == "birth_year":
            conv = self._year(default)
        else:
            conv = self._textconv(name, default, required, empty)
        return name, column, conv, field_label(target)

    def _textconv(self, name, default, required, empty):
        limit = MAX_LENGTHS.get(name)
        default = "" if default is None else str(default)
        too_long = self.msg.too_long

        def conv(raw):
            if raw.__class__ is str:
                s = raw.strip()
            elif raw is None:
                s = ""
            else:
                s = _text(raw)
            if not s:
                if default:
                    return default
                if required:
                    raise _Bad(empty)
                return ""
            if limit and len(s) > limit:
                raise _Bad(too_long % {"value": _shown(s), "max": limit}, s)
            return s

        conv.fast = ("text", limit or 1 << 30)
        return conv

    def _choice(self, target, default, required, empty):
        kind = CHOICE_TARGETS[target]
        user = user_lookup(self.mapping, target)
        msg = self.msg
        if default not in (None, ""):
            default = valid_choice(kind, default)
        if kind == "languages":
            empty_value = []
        elif kind == "yesno":
            empty_value = True if default is None else default  # case_register: travels=True
        else:
            empty_value = "" if default is None else default

        def compute(raw):
            text = _text(raw)
            if not text:
                if required and empty_value in ("", None):
                    return _Bad(empty)
                return empty_value
            if user and (text in user or "\0" + _fold(text) in user):
                value = map_value(target, text, user)
                checked = valid_choice(kind, value)
                if checked is None:
                    return _Bad(msg.mapped_invalid % {"value": _shown(text), "mapped": value}, text)
                value = checked
            else:
                value = auto_value(kind, text)
                if value is None:
                    if kind == "country":
                        return _Bad(msg.country % {"value": _shown(text)}, text)
                    return _Bad(
                        msg.choice % {"value": _shown(text), "expected": msg.expected[kind]},
                        text,
                    )
            if target == "member.relationship" and value == Relationship.PRINCIPAL:
                return _Bad(msg.principal_relationship % {"value": _shown(text)}, text)
            return value

        return _cached(compute, lists=kind == "languages")

    def _date(self, name, default):
        msg = self.msg
        today = self.today
        order = self.mapping.date_order
        cut = self.cut_future if name == "expiry_date" else self.cut_past
        year_only = name == "date_of_birth"
        past = name in ("date_of_birth", "registered_on")
        if default not in (None, ""):
            try:
                default = dates.parse(default, order=order, cut=cut)
            except dates.DateError:
                default = None
        else:
            default = None

        def compute(raw):
            try:
                value = dates.parse(raw, order=order, cut=cut, year_only=year_only)
            except dates.DateError:
                shown = _shown(raw)
                if not year_only and _looks_like_year(raw):
                    return _Bad(msg.year_not_allowed % {"value": shown}, shown)
                return _Bad(msg.date % {"value": shown}, shown)
            if value is None:
                return default
            if value.__class__ is dates.YearOnly:
                if not 1900 <= value <= today.year:
                    return _Bad(msg.year % {"value": _shown(raw)}, _shown(raw))
                return value
            if past and value > today:
                return _Bad(msg.future % {"value": _shown(raw)}, _shown(raw))
            if name == "date_of_birth" and value.year < 1900:
                return _Bad(msg.before_1900 % {"value": _shown(raw)}, _shown(raw))
            return value

        return _cached(compute)

    def _year(self, default):
        msg = self.msg
        top = self.today.year

        def compute(raw):
            text = _text(raw)
            if not text:
                return None if default in (None, "") else int(default)
            try:
                year = int(float(text)) if "." in text else int(text)
            except ValueError:
                year = -1
            if not 1900 <= year <= top:
                return _Bad(msg.year % {"value": _shown(raw)}, _shown(raw))
            return year

        return _cached(compute)


_DATES = ("date_of_birth", "issue_date", "expiry_date", "registered_on")


def _fold(text):
    from awda.core.text import fold

    return fold(text)


def _looks_like_year(raw) -> bool:
    text = _text(raw)
    return len(text) == 4 and text.isdigit()


def _blank(values) -> bool:
    for v in values:
        if v is None or v == "":
            continue
        if v.__class__ is str and not v.strip():
            continue
        return False
    return True


def _slow(conv, raw, name, column, label, errors_out, prefix):
    try:
        return conv(raw)
    except _Bad as e:
        errors_out.append((prefix + name, column or "", label, e.problem, e.value))
        return None


def _compile(specs, const):
    """A function converting the fields of `specs` from a row's values: convert(values,
    errors_out, prefix) -> dict. Generated once per validate() so that the common case (a text
    cell, or a value seen before in a choice or date column) costs a dictionary lookup and no
    call; anything else goes through the field's converter (_slow), which raises the errors."""
    ns = {"const": const, "MISS": _MISS, "Bad": _Bad, "slow": _slow}
    lines = [
        "def convert(values, errors_out, prefix):",
        "    get = values.get",
        "    p = const.copy()",
    ]
    for i, (name, column, conv, label) in enumerate(specs):
        ns.update({f"c{i}": column, f"f{i}": conv, f"n{i}": name, f"l{i}": label})
        slow = f"slow(f{i}, v, n{i}, c{i}, l{i}, errors_out, prefix)"
        fast = getattr(conv, "fast", None)
        lines.append(f"    v = get(c{i})")
        if fast and fast[0] == "text":
            lines += [
                "    if v.__class__ is str:",
                "        t = v.strip()",
                f"        p[n{i}] = t if t and len(t) <= {int(fast[1])} else {slow}",
                "    else:",
                f"        p[n{i}] = {slow}",
            ]
        elif fast and fast[0] == "cached":
            ns[f"k{i}"] = fast[1]
            lines += [
                "    try:",
                f"        r = k{i}.get(v, MISS)",
                "    except TypeError:",
                "        r = MISS",
                f"    p[n{i}] = {slow} if r is MISS or r.__class__ is Bad else r",
            ]
        else:
            lines.append(f"    p[n{i}] = {slow}")
    lines.append("    return p")
    exec(compile("\n".join(lines), "<awda.imports.validate>", "exec"), ns)  # noqa: S102
    return ns["convert"]


def _person(convert, values, errors_out, field_prefix):
    """Convert one person; append (field, column, label, problem, value) to errors_out."""
    before = len(errors_out)
    person = convert(values, errors_out, field_prefix)
    failed = {e[0] for e in errors_out[before:]} if len(errors_out) > before else ()
    dob = person.get("date_of_birth")
    if dob.__class__ is dates.YearOnly:
        person["date_of_birth"] = None
        person["birth_year"] = int(dob)
    elif dob:
        person["birth_year"] = dob.year
        if field_prefix + "birth_year" in failed:  # as _clean_person: a date sets the year
            errors_out[:] = [e for e in errors_out if e[0] != field_prefix + "birth_year"]
    if (
        not person["date_of_birth"]
        and not person["birth_year"]
        and field_prefix + "date_of_birth" not in failed
        and field_prefix + "birth_year" not in failed
    ):
        errors_out.append(_DOB_OR_YEAR)
    return person


_DOB_OR_YEAR = object()  # placeholder: "give the date of birth or a year" on birth_year


def validate(
    table: Table, mapping: Mapping, *, today: datetime.date | None = None
) -> Iterator[CaseRecord | list[RowError]]:
    """For each non-empty row, in file order: its CaseRecord, or the list of its RowErrors."""
    today = today or timezone.localdate()
    plan = _Plan(table, mapping, today)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of young objects that all survive: collecting them is wasted time
    try:
        yield from _rows(table, plan)
    finally:
        if gc_was_enabled:
            gc.enable()


def _rows(table: Table, plan: _Plan):
    msg = plan.msg
    row_tpl, member_tpl = msg.row, msg.member
    p_convert = _compile(plan.principal, plan.principal_const)
    doc_convert, doc_columns = _compile(plan.documents, plan.doc_const), plan.doc_columns
    doc_all = plan.doc_specs
    _n, reg_column, reg_conv, reg_label = plan.registered_on
    _n, ret_column, ret_conv, ret_label = plan.country_of_return
    key_column = plan.key_column
    group = plan.group
    m_convert = _compile(plan.members, plan.member_const) if group else None
    m_extra = plan.member_extra
    m_columns = plan.member_columns if group else ()
    label_year = field_label("principal.birth_year")
    label_key = field_label("case.key")
    seen: dict = {}

    for row in table.rows:
        values = row.values
        for v in values.values():  # skip a row with no value at all (usually stops at once)
            if v is not None and v != "" and (v.__class__ is not str or not v.isspace()):
                break
        else:
            continue
        number = row.number
        problems = []  # (field, column, label, problem, value) or _DOB_OR_YEAR
        principal = _person(p_convert, values, problems, "principal.")
        errors = (
            _finish(problems, row_tpl, number, None, label_year, msg, "principal.")
            if problems
            else []
        )

        documents = []
        if doc_columns:
            for c in doc_columns:
                v = values.get(c)
                if v is not None and v != "" and (v.__class__ is not str or not v.isspace()):
                    break
            else:
                v = None
            if v is not None:
                problems = []
                doc = doc_convert(values, problems, "document.")
                _check_document(doc, problems, doc_all, values, msg)
                if problems:
                    errors += _finish(problems, row_tpl, number, None, label_year, msg, "")
                else:
                    documents.append(doc)

        members = []
        if group:
            index = 0
            for child in row.children.get(group, ()):
                if _blank([child.get(c) for c in m_columns]):
                    continue
                problems = []
                prefix = f"members.{index}."
                person = _person(m_convert, child, problems, prefix)
                member = {"relationship": None, "travels": True, "person": person}
                for name, column, conv, label in m_extra:
                    try:
                        member[name] = conv(child.get(column))
                    except _Bad as e:
                        problems.append((prefix + name, column or "", label, e.problem, e.value))
                if problems:
                    errors += _finish(
                        problems, member_tpl, number, index + 1, label_year, msg, prefix
                    )
                members.append(member)
                index += 1

        registered_on = None
        if reg_column:
            try:
                registered_on = reg_conv(values.get(reg_column))
            except _Bad as e:
                errors.append(
                    _error(row_tpl, number, None, "case.registered_on", reg_column, reg_label, e)
                )
        try:
            country = ret_conv(values.get(ret_column))
        except _Bad as e:
            country = None
            errors.append(
                _error(row_tpl, number, None, "case.country_of_return", ret_column, ret_label, e)
            )
        if country == "":
            country = principal["nationality"]
            if country == "":  # neither given (None: the nationality itself is wrong)
                errors.append(
                    _error(
                        row_tpl,
                        number,
                        None,
                        "case.country_of_return",
                        ret_column,
                        ret_label,
                        _Bad(msg.no_return),
                    )
                )

        key = row.key
        own = key_column and _text(values.get(key_column))
        if own:
            key = own
        first = seen.get(key)
        if first is None:
            seen[key] = number
        else:
            dup = msg.dup_key if own else msg.dup_hash if key[:2] == "h:" else msg.dup_uuid
            errors.append(
                RowError(
                    number,
                    "case.key",
                    key_column or "",
                    row_tpl
                    % {
                        "row": number,
                        "field": label_key,
                        "problem": dup % {"value": key, "first": first},
                    },
                    key,
                )
            )

        if errors:
            yield errors
        else:
            yield CaseRecord(
                number,
                key,
                principal,
                documents,
                members,
                registered_on,
                country,
            )


def _check_document(doc, problems, doc_all, values, msg) -> None:
    """_clean_document's rules across fields: type and number required, the number has a letter
    or digit, expiry not before issue."""
    for name in ("doc_type", "number"):
        if not doc[name]:
            spec = doc_all[name]
            if not any(p[0] == "document." + name for p in problems):
                problems.append(("document." + name, spec[1] or "", spec[3], msg.doc_required, ""))
    number = doc["number"]
    if number and not number.isalnum() and not compact(number):
        spec = doc_all["number"]
        problems.append(
            (
                "document.number",
                spec[1] or "",
                spec[3],
                msg.number_compact % {"value": _shown(number)},
                number,
            )
        )
    issue, expiry = doc["issue_date"], doc["expiry_date"]
    if issue and expiry and expiry < issue:
        spec = doc_all["expiry_date"]
        raw = values.get(spec[1])
        problems.append(
            (
                "document.expiry_date",
                spec[1] or "",
                spec[3],
                msg.expiry % {"value": _shown(raw), "issue": issue.isoformat()},
                _shown(raw),
            )
        )


def _error(tpl, number, member, field_name, column, label, bad) -> RowError:
    params = {"row": number, "field": label, "problem": bad.problem}
    if member is not None:
        params["member"] = member
    return RowError(number, field_name, column or "", tpl % params, bad.value)


def _finish(problems, tpl, number, member, label_year, msg, prefix) -> list:
    out = []
    for p in problems:
        if p is _DOB_OR_YEAR:
            p = (prefix + "birth_year", "", label_year, msg.dob_or_year, "")
        field_name, column, label, problem, value = p
        params = {"row": number, "field": label, "problem": problem}
        if member is not None:
            params["member"] = member
        out.append(RowError(number, field_name, column, tpl % params, value))
    return out


@dataclass(slots=True)
class Validated:
    """All of validate()'s output at once, for a preview."""

    records: list = field(default_factory=list)  # CaseRecord
    errors: list = field(default_factory=list)  # RowError, in row order
    rows: int = 0  # non-empty rows seen
    invalid_rows: int = 0


def validate_all(
    table: Table, mapping: Mapping, *, today: datetime.date | None = None, keep_records=True
) -> Validated:
    out = Validated()
    for item in validate(table, mapping, today=today):
        out.rows += 1
        if item.__class__ is CaseRecord:
            if keep_records:
                out.records.append(item)
        else:
            out.invalid_rows += 1
            out.errors.extend(item)
    return out
