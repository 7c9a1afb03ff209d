"""The dimensions an indicator is grouped by (month, office, nationality, country of return,
destination, sex, age group, project, donor, budget line, assistance type), as database
expressions over the facts an indicator counts, and the generic grouped query: GROUP BY in the
database, one query per part whatever the number of rows, on SQLite and PostgreSQL alike."""

import datetime
from dataclasses import dataclass

from django.db.models import Case as CaseWhen
from django.db.models import CharField, DateField, F, IntegerField, Q, Value, When
from django.db.models.expressions import ExpressionWrapper
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, TruncMonth
from django.db.models.lookups import LessThan
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awda.core import countries
from awda.registry.choices import Sex

from .base import PERIOD_COLUMNS, Column, Filters, month_end, months_between

# Age groups, by age in whole years on the day of the fact (departure for returns). The
# standard humanitarian bands (infants and young children, school age, adolescents), with the
# young adults apart; (code, lowest age, highest age or None).
AGE_GROUPS = (
    ("0-4", 0, 4),
    ("5-11", 5, 11),
    ("12-17", 12, 17),
    ("18-24", 18, 24),
    ("25-59", 25, 59),
    ("60+", 60, None),
)
UNKNOWN_AGE = "unknown"
CHILD_GROUPS = ("0-4", "5-11", "12-17")
ADULT_GROUPS = ("18-24", "25-59")
ELDERLY_GROUPS = ("60+",)


@dataclass(frozen=True)
class Facts:
    """Where an indicator's facts (bookings, assistance lines, surveys, charges ...) reach what
    the dimensions and filters need: `case` and `person` are lookup prefixes ("case__",
    "person__"; person None when the fact is a case: the principal applicant's nationality
    is then the case's), `date` the fact's date (a field name or an expression), `project` the
    path to the project charged or funding, `age` an expression of the person's age on the
    fact's day (None: no sex or age dimension)."""

    case: str
    person: str | None
    date: object
    project: str
    age: object = None
    budget_line: str | None = None
    kind: object = None

    @property
    def nationality(self) -> str:
        return f"{self.person}nationality" if self.person is not None else f"{self.case}nationality"


def age_at(person: str, on) -> ExpressionWrapper:
    """Age in whole years on the date `on` (a field name), from the date of birth, or from the
    year of birth when only that is known (estimated age); NULL when neither is."""
    on = F(on) if isinstance(on, str) else on
    dob = F(f"{person}date_of_birth")
    day_on = ExtractMonth(on) * 100 + ExtractDay(on)
    day_born = ExtractMonth(dob) * 100 + ExtractDay(dob)
    before_birthday = CaseWhen(
        When(LessThan(day_on, day_born), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return CaseWhen(
        When(
            Q(**{f"{person}date_of_birth__isnull": False}),
            then=ExpressionWrapper(
                ExtractYear(on) - ExtractYear(dob) - before_birthday, output_field=IntegerField()
            ),
        ),
        When(
            Q(**{f"{person}birth_year__isnull": False}),
            then=ExpressionWrapper(
                ExtractYear(on) - F(f"{person}birth_year"), output_field=IntegerField()
            ),
        ),
        default=Value(None),
        output_field=IntegerField(),
    )


def age_group(age) -> CaseWhen:
    """The AGE_GROUPS code of an age expression ("unknown" when the age is not known)."""
    age = F(age) if isinstance(age, str) else age
    whens = []
    for code, _low, high in AGE_GROUPS:
        if high is None:
            whens.append(When(LessThan(Value(_low - 1), age), then=Value(code)))
        else:
            whens.append(When(LessThan(age, Value(high + 1)), then=Value(code)))
    return CaseWhen(*whens, default=Value(UNKNOWN_AGE), output_field=CharField())


def _coalesced(path):
    return Coalesce(F(path), Value(""), output_field=CharField())


def _country_values(code: str) -> dict:
    return {"iso2": code or "", "iso3": countries.alpha3(code) if code else "", "name": ""}


class Dimension:
    """One way of grouping. Subclasses give the grouping expressions (named g_*) over a part's
    facts, and turn a group's values into the row's dimension columns, its label, and what the
    case list can filter it by (office, nationality, project, period; None when it cannot)."""

    key = ""
    label = ""
    columns: list[Column] = []
    # Sort the rows by the first measure (largest first) rather than by the group's order.
    by_size = False

    def expressions(self, facts: Facts) -> dict:
        raise NotImplementedError

    def finish(self, raw: dict, filters: Filters) -> tuple[dict, str, dict | None]:
        raise NotImplementedError

    def sort_key(self, values: dict, label: str):
        return label.casefold()

    def supports(self, facts: Facts) -> bool:
        return True

    def all_keys(self, filters: Filters) -> list[tuple] | None:
        """Every group to show even when nothing was counted (the months of the period), or
        None to show only the groups found."""
        return None


def _period(filters: Filters) -> dict:
    return {"period_start": filters.date_from, "period_end": filters.date_to}


class Total(Dimension):
    key = "total"
    label = gettext_lazy("Total only")
    columns = []

    def expressions(self, facts):
        return {}

    def finish(self, raw, filters):
        return _period(filters), _("Total"), {}


class Month(Dimension):
    key = "month"
    label = gettext_lazy("Month")
    columns = []  # the period columns hold the month

    def expressions(self, facts):
        date = F(facts.date) if isinstance(facts.date, str) else facts.date
        return {"g_month": TruncMonth(date, output_field=DateField())}

    def finish(self, raw, filters):
        month = raw["g_month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        values = {
            "period_start": max(month, filters.date_from),
            "period_end": min(month_end(month), filters.date_to),
        }
        drill = {"period": (values["period_start"], values["period_end"])}
        return values, date_format(month, "YEAR_MONTH_FORMAT"), drill

    def sort_key(self, values, label):
        return values["period_start"]

    def all_keys(self, filters):
        return [(m,) for m in months_between(filters.date_from, filters.date_to)]


class Office(Dimension):
    key = "office"
    label = gettext_lazy("Host office")
    columns = [
        Column(
            "office_code", gettext_lazy("Office code"), "#loc+office+code", "code", dimension=True
        ),
        Column("office_name", gettext_lazy("Office"), "#loc+office+name", "text", dimension=True),
    ]

    def expressions(self, facts):
        c = facts.case
        return {
            "g_office": F(f"{c}office_id"),
            "g_office_code": F(f"{c}office__code"),
            "g_office_name": F(f"{c}office__name"),
        }

    def finish(self, raw, filters):
        values = {
            **_period(filters),
            "office_code": raw["g_office_code"],
            "office_name": raw["g_office_name"],
        }
        return values, raw["g_office_name"], {"office": raw["g_office"]}


class Nationality(Dimension):
    key = "nationality"
    label = gettext_lazy("Nationality")
    by_size = True
    columns = [
        Column(
            "nationality",
            gettext_lazy("Nationality (ISO alpha-2)"),
            "#country+nationality+code+v_iso2",
            "code",
            dimension=True,
        ),
        Column(
            "nationality_iso3",
            gettext_lazy("Nationality (ISO alpha-3)"),
            "#country+nationality+code+v_iso3",
            "code",
            dimension=True,
        ),
        Column(
            "nationality_name",
            gettext_lazy("Nationality"),
            "#country+nationality+name",
            "text",
            dimension=True,
        ),
    ]

    def expressions(self, facts):
        return {"g_nationality": _coalesced(facts.nationality)}

    def finish(self, raw, filters):
        code = raw["g_nationality"] or ""
        c = _country_values(code)
        name = countries.name(code) if code else _("Unknown")
        values = {
            **_period(filters),
            "nationality": c["iso2"],
            "nationality_iso3": c["iso3"],
            "nationality_name": name,
        }
        return values, name, ({"nationality": code} if code else None)


class CountryOfReturn(Dimension):
    key = "country_of_return"
    label = gettext_lazy("Country of return")
    by_size = True
    columns = [
        Column(
            "country",
            gettext_lazy("Country of return (ISO alpha-2)"),
            "#country+code+v_iso2",
            "code",
            dimension=True,
        ),
        Column(
            "country_iso3",
            gettext_lazy("Country of return (ISO alpha-3)"),
            "#country+code+v_iso3",
            "code",
            dimension=True,
        ),
        Column(
            "country_name",
            gettext_lazy("Country of return"),
            "#country+name",
            "text",
            dimension=True,
        ),
    ]

    def expressions(self, facts):
        return {"g_country": _coalesced(f"{facts.case}country_of_return")}

    def _values(self, raw, filters):
        code = raw["g_country"] or ""
        c = _country_values(code)
        name = countries.name(code) if code else _("Unknown")
        return {
            **_period(filters),
            "country": c["iso2"],
            "country_iso3": c["iso3"],
            "country_name": name,
        }, name

    def finish(self, raw, filters):
        values, name = self._values(raw, filters)
        return values, name, None  # the case list has no country-of-return filter


class Destination(CountryOfReturn):
    """The area of return: the case's destination P-code (OCHA), within its country."""

    key = "destination"
    label = gettext_lazy("Area of return (P-code)")
    by_size = True
    columns = [
        *CountryOfReturn.columns,
        Column(
            "pcode", gettext_lazy("Area of return (P-code)"), "#adm1+code", "code", dimension=True
        ),
    ]

    def expressions(self, facts):
        return {
            **super().expressions(facts),
            "g_pcode": _coalesced(f"{facts.case}destination_pcode"),
        }

    def finish(self, raw, filters):
        values, name = self._values(raw, filters)
        values["pcode"] = raw["g_pcode"] or ""
        label = f"{name} · {values['pcode']}" if values["pcode"] else f"{name} · {_('no P-code')}"
        return values, label, None


class SexDimension(Dimension):
    key = "sex"
    label = gettext_lazy("Sex")
    columns = [Column("sex", gettext_lazy("Sex"), "#group+sex", "code", dimension=True)]
    ORDER = [s.value for s in Sex]

    def supports(self, facts):
        return facts.person is not None

    def expressions(self, facts):
        return {"g_sex": _coalesced(f"{facts.person}sex")}

    def finish(self, raw, filters):
        code = raw["g_sex"] or Sex.UNKNOWN
        label = str(Sex(code).label) if code in Sex.values else code
        return {**_period(filters), "sex": code}, label, None

    def sort_key(self, values, label):
        code = values["sex"]
        return self.ORDER.index(code) if code in self.ORDER else len(self.ORDER)


class AgeGroup(Dimension):
    key = "age_group"
    label = gettext_lazy("Age group")
    columns = [Column("age_group", gettext_lazy("Age group"), "#group+age", "code", dimension=True)]
    ORDER = [g[0] for g in AGE_GROUPS] + [UNKNOWN_AGE]

    def supports(self, facts):
        return facts.age is not None

    def expressions(self, facts):
        return {"g_age": age_group(facts.age)}

    def finish(self, raw, filters):
        code = raw["g_age"] or UNKNOWN_AGE
        label = _("age unknown") if code == UNKNOWN_AGE else code
        return {**_period(filters), "age_group": code}, label, None

    def sort_key(self, values, label):
        return self.ORDER.index(values["age_group"])


class ProjectDimension(Dimension):
    key = "project"
    label = gettext_lazy("Project")
    columns = [
        Column(
            "project_code", gettext_lazy("Project code"), "#activity+code", "code", dimension=True
        ),
        Column("project_name", gettext_lazy("Project"), "#activity+name", "text", dimension=True),
    ]

    def expressions(self, facts):
        p = facts.project
        return {
            "g_project": F(f"{p}_id"),
            "g_project_code": Coalesce(F(f"{p}__code"), Value(""), output_field=CharField()),
            "g_project_name": Coalesce(F(f"{p}__name"), Value(""), output_field=CharField()),
        }

    def finish(self, raw, filters):
        values = {
            **_period(filters),
            "project_code": raw["g_project_code"],
            "project_name": raw["g_project_name"],
        }
        if raw["g_project"] is None:
            return values, _("No project"), None
        label = f"{raw['g_project_code']} · {raw['g_project_name']}"
        return values, label, {"project": raw["g_project"]}


class DonorDimension(Dimension):
    """A project may have several donors: its figures are shown in full under each of them (the
    rows are not additive; the totals are computed once)."""

    key = "donor"
    label = gettext_lazy("Donor")
    columns = [
        Column("donor_name", gettext_lazy("Donor"), "#org+funder+name", "text", dimension=True),
        Column(
            "donor_short_name",
            gettext_lazy("Donor (short name)"),
            "#org+funder+acronym",
            "text",
            dimension=True,
        ),
    ]

    def expressions(self, facts):
        p = facts.project
        return {
            "g_donor": F(f"{p}__donors__id"),
            "g_donor_name": Coalesce(F(f"{p}__donors__name"), Value(""), output_field=CharField()),
            "g_donor_short": Coalesce(
                F(f"{p}__donors__short_name"), Value(""), output_field=CharField()
            ),
        }

    def finish(self, raw, filters):
        values = {
            **_period(filters),
            "donor_name": raw["g_donor_name"],
            "donor_short_name": raw["g_donor_short"],
        }
        label = raw["g_donor_short"] or raw["g_donor_name"] or _("No donor")
        return values, label, None


class BudgetLineDimension(Dimension):
    key = "budget_line"
    label = gettext_lazy("Budget line")
    columns = [
        ProjectDimension.columns[0],
        Column(
            "budget_line_code",
            gettext_lazy("Budget line code"),
            "#item+budget+code",
            "code",
            dimension=True,
        ),
        Column(
            "budget_line_name",
            gettext_lazy("Budget line"),
            "#item+budget+name",
            "text",
            dimension=True,
        ),
    ]

    def supports(self, facts):
        return facts.budget_line is not None

    def expressions(self, facts):
        b = facts.budget_line
        return {
            "g_line": F(f"{b}_id"),
            "g_line_project": F(f"{facts.project}__code"),
            "g_line_code": Coalesce(F(f"{b}__code"), Value(""), output_field=CharField()),
            "g_line_name": Coalesce(F(f"{b}__name"), Value(""), output_field=CharField()),
        }

    def finish(self, raw, filters):
        values = {
            **_period(filters),
            "project_code": raw["g_line_project"],
            "budget_line_code": raw["g_line_code"],
            "budget_line_name": raw["g_line_name"],
        }
        if raw["g_line"] is None:
            label = f"{raw['g_line_project']} · {_('no budget line')}"
        else:
            label = f"{raw['g_line_project']} · {raw['g_line_code']} {raw['g_line_name']}"
        return values, label, None


class AssistanceTypeDimension(Dimension):
    """The reintegration assistance types (reintegration.choices.AssistanceType)."""

    key = "assistance_type"
    label = gettext_lazy("Assistance type")
    columns = [
        Column(
            "assistance_type",
            gettext_lazy("Assistance type (code)"),
            "#service+code",
            "code",
            dimension=True,
        ),
        Column(
            "assistance_type_name",
            gettext_lazy("Assistance type"),
            "#service+name",
            "text",
            dimension=True,
        ),
    ]

    def supports(self, facts):
        return facts.kind is not None

    def expressions(self, facts):
        return {"g_kind": facts.kind}

    def finish(self, raw, filters):
        from awda.reintegration.choices import AssistanceType

        code = raw["g_kind"] or ""
        if code in AssistanceType.values:
            label = str(AssistanceType(code).label)
        else:
            label = _("Type not specified")
        values = {**_period(filters), "assistance_type": code, "assistance_type_name": label}
        return values, label, None


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in (
        Total(),
        Month(),
        Office(),
        Nationality(),
        CountryOfReturn(),
        Destination(),
        SexDimension(),
        AgeGroup(),
        ProjectDimension(),
        DonorDimension(),
        BudgetLineDimension(),
        AssistanceTypeDimension(),
    )
}


def dimension_columns(by: str) -> list[Column]:
    return [*PERIOD_COLUMNS, *DIMENSIONS[by].columns]


# ---- filters ----------------------------------------------------------------------------------


def filter_q(filters: Filters, facts: Facts) -> Q:
    """The optional filters (office, nationality, country of return, project, donor) as a
    condition on the facts; the period is each indicator's own (its date differs)."""
    from awda.finance.models import Project

    q = Q()
    if filters.office:
        q &= Q(**{f"{facts.case}office_id": filters.office})
    if filters.nationality:
        q &= Q(**{facts.nationality: filters.nationality})
    if filters.country_of_return:
        q &= Q(**{f"{facts.case}country_of_return": filters.country_of_return})
    project_id = f"{facts.project}_id"
    if filters.project:
        q &= Q(**{project_id: filters.project})
    if filters.donor:
        funded = Project.objects.filter(donors=filters.donor).values("pk")
        q &= Q(**{f"{project_id}__in": funded})
    return q


# ---- grouped queries --------------------------------------------------------------------------


@dataclass
class Part:
    """One query of an indicator: its facts (already filtered and scoped) and the aggregates it
    contributes to the rows."""

    queryset: object
    facts: Facts
    aggregates: dict
    extra: dict | None = None  # further grouping (e.g. the currency), the same in every part


@dataclass
class Group:
    values: dict
    label: str
    drill: dict | None
    measures: dict
    extra: dict


def grouped(parts: list[Part], dimension: Dimension, filters: Filters) -> list[Group]:
    """One GROUP BY query per part on the dimension's expressions (and the parts' extra
    grouping), merged on the group; groups found in no part but listed by the dimension (the
    months of the period) are added with empty measures."""
    merged: dict[tuple, Group] = {}
    order: list[tuple] = []
    for part in parts:
        expressions = dimension.expressions(part.facts)
        extra = part.extra or {}
        keys = list(expressions) + list(extra)
        rows = (
            part.queryset.values(**expressions, **extra).annotate(**part.aggregates).order_by(*keys)
        )
        for raw in rows:
            if not any(raw[k] for k in part.aggregates):
                continue  # a group where nothing was counted (e.g. a constant's empty set)
            group_key = tuple(_key(raw[k]) for k in keys)
            if group_key not in merged:
                values, label, drill = dimension.finish(raw, filters)
                merged[group_key] = Group(values, label, drill, {}, {k: raw[k] for k in extra})
                order.append(group_key)
            merged[group_key].measures.update({k: raw[k] for k in part.aggregates})
    wanted = dimension.all_keys(filters)
    if wanted is not None and not any(p.extra for p in parts):
        for key in wanted:
            if key not in merged:
                raw = dict(zip(dimension.expressions(parts[0].facts), key, strict=True))
                values, label, drill = dimension.finish(raw, filters)
                merged[key] = Group(values, label, drill, {}, {})
                order.append(key)
    return [merged[k] for k in order]


def totals(parts: list[Part]) -> list[dict]:
    """The whole population of each part (one aggregate query per part; per extra group, e.g.
    per currency), merged."""
    merged: dict[tuple, dict] = {}
    for part in parts:
        extra = part.extra or {}
        if extra:
            rows = part.queryset.values(**extra).annotate(**part.aggregates).order_by(*extra)
        else:
            rows = [part.queryset.aggregate(**part.aggregates)]
        for raw in rows:
            key = tuple(_key(raw[k]) for k in extra)
            merged.setdefault(key, {k: raw[k] for k in extra}).update(
                {k: raw[k] for k in part.aggregates}
            )
    return list(merged.values())


def _key(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    return value
