"""The IATI activity file of a project (IATI Standard 2.03, one <iati-activity> per project), built
with the standard library's ElementTree from the finance ledger and aggregate case counts.

No personal data goes in: no names, no case numbers, no charge descriptions (they are free text).
Charges are summed per transaction type, calendar month and cost category (a day's costs can be
one person's). The choices made (activity status, dates, recipient-country percentages, budgets,
transaction types and dates) are documented in docs/iati.md.
"""

import datetime
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal

from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awda.core import countries
from awda.finance.choices import ChargeStage, CostCategory
from awda.finance.models import BudgetLine, Charge, Contribution, Project

IATI_VERSION = "2.03"
SECTOR_MIGRATION = "15190"  # DAC 5-digit: facilitation of orderly, safe, regular migration
SECTOR_VOCABULARY_DAC = "1"

# ActivityStatus codelist
STATUS_PIPELINE = "1"
STATUS_IMPLEMENTATION = "2"
STATUS_FINALISATION = "3"
STATUS_CLOSED = "4"

# ActivityDateType codelist
DATE_PLANNED_START = "1"
DATE_ACTUAL_START = "2"
DATE_PLANNED_END = "3"
DATE_ACTUAL_END = "4"

# OrganisationRole codelist
ROLE_FUNDING = "1"
ROLE_IMPLEMENTING = "4"

# TransactionType codelist
INCOMING_FUNDS = "1"
OUTGOING_COMMITMENT = "2"
DISBURSEMENT = "3"
EXPENDITURE = "4"

# BudgetType / BudgetStatus codelists
BUDGET_ORIGINAL = "1"
BUDGET_INDICATIVE = "1"

# Spent costs that put money at the disposal of someone else (cash to returnees, a partner paid
# for a referral) are disbursements; goods and services the implementer buys are expenditure.
DISBURSEMENT_CATEGORIES = frozenset(
    {
        CostCategory.CASH,
        CostCategory.POCKET_MONEY,
        CostCategory.REINTEGRATION_CASH,
        CostCategory.REINTEGRATION_REFERRAL,
    }
)

CENT = Decimal("0.01")
ACTIVE_STAGES = (ChargeStage.COMMITTED, ChargeStage.SPENT)


def reporting_org() -> dict:
    """The AWDA_IATI_REPORTING_ORG setting (ref, type, name)."""
    org = dict(settings.AWDA_IATI_REPORTING_ORG)
    return {
        "ref": str(org.get("ref") or ""),
        "type": str(org.get("type") or ""),
        "name": str(org.get("name") or ""),
    }


def activity_identifier(project: Project) -> str:
    return f"{reporting_org()['ref']}-{project.code}"


def activity_status(project: Project, today: datetime.date) -> str:
    """1 pipeline before the start date; 2 implementation during the project period; 3
    finalisation after the end date while the project is still active (accounts being closed);
    4 closed once the project is no longer active."""
    if not project.is_active:
        return STATUS_CLOSED
    if today < project.start_date:
        return STATUS_PIPELINE
    if today <= project.end_date:
        return STATUS_IMPLEMENTATION
    return STATUS_FINALISATION


def activity_dates(project: Project, today: datetime.date) -> list[tuple[str, datetime.date]]:
    """Planned start and end always; the actual start once the start date has passed; the actual
    end once the project is closed and its end date has passed (actual dates are never in the
    future)."""
    dates = [(DATE_PLANNED_START, project.start_date)]
    if project.start_date <= today:
        dates.append((DATE_ACTUAL_START, project.start_date))
    dates.append((DATE_PLANNED_END, project.end_date))
    if not project.is_active and project.end_date <= today:
        dates.append((DATE_ACTUAL_END, project.end_date))
    return dates


def split_percentages(weights: dict[str, int]) -> dict[str, Decimal]:
    """Shares of `weights` as percentages with two decimals that add up to exactly 100 (largest
    remainder: each gets its share rounded down, the hundredths left go to the largest remainders,
    ties by key). Keys with no weight, or whose share rounds to nothing, are left out."""
    weights = {k: w for k, w in weights.items() if w > 0}
    total = sum(weights.values())
    if not total:
        return {}
    units = 10_000  # hundredths of a percent
    exact = {k: Decimal(w * units) / total for k, w in weights.items()}
    floors = {k: int(v.to_integral_value(rounding=ROUND_DOWN)) for k, v in exact.items()}
    left = units - sum(floors.values())
    for k in sorted(exact, key=lambda k: (-(exact[k] - floors[k]), k))[:left]:
        floors[k] += 1
    return {k: (Decimal(v) / 100).quantize(CENT) for k, v in sorted(floors.items()) if v}


def recipient_countries(project: Project) -> dict[str, Decimal]:
    """Countries of return of the project's returnees (the travellers of its cases whose seat
    went: a departed or arrived booking, as the returns indicator counts them), as percentages of
    them; the mission's country when nobody has departed yet."""
    from awda.movements.choices import BookingStatus
    from awda.movements.models import Booking

    rows = (
        Booking.objects.filter(
            case__project=project, status__in=(BookingStatus.DEPARTED, BookingStatus.ARRIVED)
        )
        .values("case__country_of_return")
        .annotate(n=Count("person_id", distinct=True))
        .order_by()
    )
    weights = {
        r["case__country_of_return"].upper(): r["n"] for r in rows if r["case__country_of_return"]
    }
    shares = split_percentages(weights)
    return shares or {project.mission.code.upper(): Decimal("100.00")}


def _add_year(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def budget_periods(
    start: datetime.date, end: datetime.date, total: Decimal
) -> list[tuple[datetime.date, datetime.date, Decimal]]:
    """The project period cut into periods of at most one year (IATI's rule for budgets), the
    total shared in proportion to their days (to the cent, the last period takes the rest)."""
    periods = []
    cursor = start
    while cursor <= end:
        stop = min(_add_year(cursor) - datetime.timedelta(days=1), end)
        periods.append((cursor, stop))
        cursor = stop + datetime.timedelta(days=1)
    days = (end - start).days + 1
    out, given = [], Decimal(0)
    for i, (a, b) in enumerate(periods):
        if i == len(periods) - 1:
            value = total - given
        else:
            value = (total * ((b - a).days + 1) / days).quantize(CENT)
            given += value
        out.append((a, b, value))
    return out


@dataclass
class Transaction:
    type: str
    date: datetime.date
    value: Decimal
    currency: str
    description: str = ""
    provider: dict | None = None
    receiver: dict | None = None
    ref: str = ""


@dataclass
class ActivityData:
    """Everything the activity file says about a project, before it is written as XML."""

    project: Project
    identifier: str
    status: str
    dates: list
    countries: dict[str, Decimal]
    budget_total: Decimal
    budgets: list
    transactions: list[Transaction] = field(default_factory=list)
    awaiting_rate: int = 0


def month_date(day: datetime.date, today: datetime.date) -> datetime.date:
    """The date of the month's transactions: its last day, or `today` while the month is not
    over (IATI: a transaction date is never in the future)."""
    last = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(
        days=1
    )
    return min(last, max(today, day.replace(day=1)))


def _charge_transactions(project: Project, today: datetime.date) -> tuple[list[Transaction], int]:
    """Commitments (type 2) for every committed or spent charge, in the month it was committed
    (or spent, when it was spent at once); disbursements (3) and expenditure (4) for spent
    charges in the month they were spent. Summed per type, calendar month and cost category,
    dated the month's last day (month_date). Released charges are left out, and so are charges
    awaiting an exchange rate (counted)."""
    active = Charge.objects.filter(project=project, stage__in=ACTIVE_STAGES)
    pending = active.filter(project_amount__isnull=True).count()
    rows = (
        active.filter(project_amount__isnull=False)
        .values("stage", "category", "committed_on", "spent_on")
        .annotate(total=Sum("project_amount"))
        .order_by()
    )
    sums: dict[tuple[str, datetime.date, str], Decimal] = defaultdict(Decimal)
    for r in rows:
        committed_on = r["committed_on"] or r["spent_on"]
        if committed_on is not None:
            sums[(OUTGOING_COMMITMENT, committed_on.replace(day=1), r["category"])] += r["total"]
        if r["stage"] == ChargeStage.SPENT and r["spent_on"] is not None:
            kind = DISBURSEMENT if r["category"] in DISBURSEMENT_CATEGORIES else EXPENDITURE
            sums[(kind, r["spent_on"].replace(day=1), r["category"])] += r["total"]
    labels = dict(CostCategory.choices)
    out = [
        Transaction(
            type=kind,
            date=month_date(month, today),
            value=total,
            currency=project.currency,
            description=str(labels.get(category, category)),
        )
        for (kind, month, category), total in sorted(sums.items())
    ]
    return out, pending


def _contribution_transactions(project: Project, org: dict) -> list[Transaction]:
    out = []
    rows = Contribution.objects.filter(project=project).select_related("donor")
    for c in rows.order_by("received_on", "id"):
        out.append(
            Transaction(
                type=INCOMING_FUNDS,
                date=c.received_on,
                value=c.amount,
                currency=c.currency,
                description=_("Contribution from %(donor)s") % {"donor": c.donor.name},
                provider={"ref": c.donor.iati_identifier, "name": c.donor.name},
                receiver={"ref": org["ref"], "name": org["name"], "type": org["type"]},
                ref=c.reference,
            )
        )
    return out


def activity_data(project: Project, *, today: datetime.date | None = None) -> ActivityData:
    today = today or timezone.localdate()
    org = reporting_org()
    total = BudgetLine.objects.filter(project=project).aggregate(s=Sum("amount"))["s"]
    total = total or Decimal(0)
    charges, pending = _charge_transactions(project, today)
    transactions = _contribution_transactions(project, org) + charges
    transactions.sort(key=lambda t: (t.date, t.type))
    return ActivityData(
        project=project,
        identifier=activity_identifier(project),
        status=activity_status(project, today),
        dates=activity_dates(project, today),
        countries=recipient_countries(project),
        budget_total=total,
        budgets=budget_periods(project.start_date, project.end_date, total) if total else [],
        transactions=transactions,
        awaiting_rate=pending,
    )


# ---- XML ----------------------------------------------------------------------------------------


def _money(value: Decimal) -> str:
    return str(Decimal(value).quantize(CENT))


def _narrative(parent: ET.Element, text: str) -> ET.Element:
    node = ET.SubElement(parent, "narrative")
    node.text = str(text)
    return node


def _org(parent: ET.Element, tag: str, org: dict, **attrs) -> ET.Element:
    node = ET.SubElement(parent, tag)
    if org.get("ref"):
        node.set("ref", org["ref"])
    if org.get("type"):
        node.set("type", org["type"])
    for k, v in attrs.items():
        node.set(k, v)
    if org.get("name"):
        _narrative(node, org["name"])
    return node


def _activity(data: ActivityData, lang: str) -> ET.Element:
    project = data.project
    org = reporting_org()
    activity = ET.Element(
        "iati-activity",
        {
            "last-updated-datetime": timezone.localtime(project.updated_at).isoformat(
                timespec="seconds"
            ),
            "{http://www.w3.org/XML/1998/namespace}lang": lang,
            "default-currency": project.currency,
        },
    )
    ET.SubElement(activity, "iati-identifier").text = data.identifier
    reporting = ET.SubElement(activity, "reporting-org", {"ref": org["ref"], "type": org["type"]})
    _narrative(reporting, org["name"])
    _narrative(ET.SubElement(activity, "title"), project.name)
    _narrative(
        ET.SubElement(activity, "description", {"type": "1"}),
        _(
            "Assisted voluntary return and reintegration project %(code)s (%(name)s), "
            "%(start)s to %(end)s."
        )
        % {
            "code": project.code,
            "name": project.name,
            "start": project.start_date.isoformat(),
            "end": project.end_date.isoformat(),
        },
    )
    for donor in project.donors.all():
        _org(
            activity,
            "participating-org",
            {"ref": donor.iati_identifier, "name": donor.name},
            role=ROLE_FUNDING,
        )
    _org(activity, "participating-org", org, role=ROLE_IMPLEMENTING)
    ET.SubElement(activity, "activity-status", {"code": data.status})
    for kind, day in data.dates:
        ET.SubElement(activity, "activity-date", {"type": kind, "iso-date": day.isoformat()})
    for code, percentage in data.countries.items():
        country = ET.SubElement(
            activity, "recipient-country", {"code": code, "percentage": str(percentage)}
        )
        _narrative(country, countries.name(code))
    sector = ET.SubElement(
        activity,
        "sector",
        {"vocabulary": SECTOR_VOCABULARY_DAC, "code": SECTOR_MIGRATION, "percentage": "100"},
    )
    _narrative(sector, _("Facilitation of orderly, safe, regular and responsible migration"))
    for start, end, value in data.budgets:
        budget = ET.SubElement(
            activity, "budget", {"type": BUDGET_ORIGINAL, "status": BUDGET_INDICATIVE}
        )
        ET.SubElement(budget, "period-start", {"iso-date": start.isoformat()})
        ET.SubElement(budget, "period-end", {"iso-date": end.isoformat()})
        ET.SubElement(
            budget, "value", {"currency": project.currency, "value-date": start.isoformat()}
        ).text = _money(value)
    if data.awaiting_rate:
        activity.append(
            ET.Comment(
                f" {data.awaiting_rate} charge(s) awaiting an exchange rate are not included "
                "in the transactions. "
            )
        )
    for t in data.transactions:
        node = ET.SubElement(activity, "transaction", {"ref": t.ref} if t.ref else {})
        ET.SubElement(node, "transaction-type", {"code": t.type})
        ET.SubElement(node, "transaction-date", {"iso-date": t.date.isoformat()})
        ET.SubElement(
            node, "value", {"currency": t.currency, "value-date": t.date.isoformat()}
        ).text = _money(t.value)
        if t.description:
            _narrative(ET.SubElement(node, "description"), t.description)
        if t.provider:
            _org(node, "provider-org", t.provider)
        if t.receiver:
            _org(node, "receiver-org", t.receiver)
    return activity


def render_activity_xml(data: ActivityData, *, generated_at: datetime.datetime) -> bytes:
    """`data` as an IATI 2.03 <iati-activities> document (UTF-8, with an XML declaration);
    narratives in the active language."""
    lang = (translation.get_language() or settings.LANGUAGE_CODE).split("-")[0]
    root = ET.Element(
        "iati-activities",
        {
            "version": IATI_VERSION,
            "generated-datetime": timezone.localtime(generated_at).isoformat(timespec="seconds"),
        },
    )
    root.append(_activity(data, lang))
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def build_activity_xml(project: Project, *, generated_at: datetime.datetime | None = None) -> bytes:
    """The IATI 2.03 activity file of `project`: one <iati-activity> in an <iati-activities>
    document generated at `generated_at` (now by default)."""
    generated_at = generated_at or timezone.now()
    data = activity_data(project, today=timezone.localdate(generated_at))
    return render_activity_xml(data, generated_at=generated_at)
