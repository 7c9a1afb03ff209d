"""Exchange rates: which rate converts an amount on a given day, the conversion itself, and
the recording of rates (one by one or imported from a CSV file)."""

import csv
import datetime
import io
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awda.audit.services import audit_record
from awda.core.errors import ValidationFailed
from awda.core.money import CENT

from ..models import ExchangeRate
from ._common import CURRENCY_CODES, require

RATE_PLACES = Decimal("0.0000000001")  # 10 decimals, as stored


class FoundRate(NamedTuple):
    """The rate converting a currency into another on a day: `rate` as recorded, `valid_from`
    its first day (None for the same currency), `inverted` when it is the rate of the reverse
    pair (the amount is then divided by it, never multiplied by a rounded 1 / rate)."""

    rate: Decimal
    valid_from: datetime.date | None
    inverted: bool = False

    def convert(self, amount) -> Decimal:
        return convert(amount, self.rate, inverted=self.inverted)


def rate_for(currency: str, to_currency: str, on_date: datetime.date) -> FoundRate | None:
    """The rate converting 1 `currency` into `to_currency` on `on_date`: the latest rate of the
    pair valid on that day, else the latest rate of the reverse pair (inverted); when both
    exist, the more recent of the two wins. FoundRate(1, None) for the same currency; None when
    no rate is known on or before that day."""
    if currency == to_currency:
        return FoundRate(Decimal(1), None)
    direct = (
        ExchangeRate.objects.filter(
            currency=currency, to_currency=to_currency, valid_from__lte=on_date
        )
        .order_by("-valid_from")
        .values_list("rate", "valid_from")
        .first()
    )
    inverse = (
        ExchangeRate.objects.filter(
            currency=to_currency, to_currency=currency, valid_from__lte=on_date
        )
        .order_by("-valid_from")
        .values_list("rate", "valid_from")
        .first()
    )
    if direct and (not inverse or direct[1] >= inverse[1]):
        return FoundRate(direct[0], direct[1])
    if inverse:
        return FoundRate(inverse[0], inverse[1], inverted=True)
    return None


def convert(amount: Decimal, rate: Decimal, *, inverted: bool = False) -> Decimal:
    """amount x rate (amount / rate for a rate of the reverse pair), rounded half up to the
    cent: 50,000,000 GNF at EUR/GNF 9,300 is 5,376.34 EUR."""
    amount, rate = Decimal(amount), Decimal(rate)
    value = amount / rate if inverted else amount * rate
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


# ---- recording rates ----------------------------------------------------------------------------
# Rates are shared by every project (a MAD cost of any project is converted with the same
# rate): finance officers of any mission record them. One rate per pair and day: the same rate
# again is accepted and changes nothing (an import can be run twice); another rate for a pair
# and day already recorded is refused unless the officer asks to replace it (a correction),
# which is audited with the old value. Charges already converted keep the rate they used.

RATE_RECORDED = "finance.exchange_rate.recorded"
RATE_REPLACED = "finance.exchange_rate.replaced"
RATES_IMPORTED = "finance.exchange_rate.imported"

MAX_RATE = Decimal("9999999999")  # 20 digits, 10 of them decimals
CSV_COLUMNS = ("currency", "to_currency", "rate", "valid_from")
CSV_OPTIONAL = ("source",)
MAX_CSV_ROWS = 10_000
AUDIT_LIST_MAX = 500


def _check_rate(errors: dict, name: str, value) -> Decimal | None:
    text = str(value).strip() if value is not None else ""
    if not text:
        errors[name] = [_("This field is required.")]
        return None
    if "," in text and "." not in text and text.count(",") == 1:
        text = text.replace(",", ".")  # a decimal comma (French spreadsheets)
    try:
        rate = Decimal(text)
    except (InvalidOperation, ValueError):
        errors[name] = [_("Enter a number.")]
        return None
    if not rate.is_finite() or rate <= 0:
        errors[name] = [_("Enter a number greater than zero.")]
        return None
    if rate > MAX_RATE:
        errors[name] = [_("The number is too large.")]
        return None
    if rate != rate.quantize(RATE_PLACES):
        errors[name] = [_("Use at most 10 decimals.")]
        return None
    return rate.quantize(RATE_PLACES)


def _parse_date(value):
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    text = str(value or "").strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def clean_rate(data: dict) -> tuple[dict, dict]:
    """(clean values, errors by field) of one rate: currency, to_currency, rate, valid_from,
    source. Dates are YYYY-MM-DD (or DD/MM/YYYY); a decimal comma is accepted."""
    errors: dict = {}
    clean = {}
    for name in ("currency", "to_currency"):
        code = str(data.get(name) or "").strip().upper()
        if not code:
            errors[name] = [_("This field is required.")]
        elif code not in CURRENCY_CODES:
            errors[name] = [
                _("Unknown currency %(code)s (use one of %(list)s).")
                % {"code": code, "list": ", ".join(sorted(CURRENCY_CODES))}
            ]
        clean[name] = code
    if not errors and clean["currency"] == clean["to_currency"]:
        errors["to_currency"] = [_("Choose another currency than the one converted.")]
    clean["rate"] = _check_rate(errors, "rate", data.get("rate"))
    raw_date = data.get("valid_from")
    clean["valid_from"] = _parse_date(raw_date)
    if clean["valid_from"] is None:
        errors["valid_from"] = [
            _("This field is required.")
            if not str(raw_date or "").strip()
            else _("Enter a date as YYYY-MM-DD (or DD/MM/YYYY).")
        ]
    source = str(data.get("source") or "").strip()
    if len(source) > 200:
        errors["source"] = [_("Use at most %(n)s characters.") % {"n": 200}]
    clean["source"] = source
    return clean, errors


def _key(clean: dict) -> tuple:
    return clean["currency"], clean["to_currency"], clean["valid_from"]


def _conflict_message(existing_rate) -> str:
    return _(
        'A rate of %(rate)s is already recorded for this pair and day; tick "replace" to '
        "correct it (charges already converted keep the rate they used)."
    ) % {"rate": f"{existing_rate.normalize():f}"}


def convert_pending_of(currencies) -> int:
    """Convert the charges awaiting a rate in any of `currencies` (a rate of these currencies
    was just recorded); how many were converted."""
    from .charges import charges_convert_pending

    return sum(charges_convert_pending(currency=c) for c in sorted(set(currencies)))


def rate_record(
    user,
    *,
    currency: str,
    to_currency: str,
    rate,
    valid_from,
    source: str = "",
    replace: bool = False,
) -> ExchangeRate:
    """Record that 1 `currency` is worth `rate` `to_currency` from `valid_from` on, then convert
    the charges that were awaiting a rate of these currencies. The returned rate has `outcome`
    ("created", "unchanged" or "replaced") and `converted` (charges converted now)."""
    require(user, "finance.manage")
    clean, errors = clean_rate(
        {
            "currency": currency,
            "to_currency": to_currency,
            "rate": rate,
            "valid_from": valid_from,
            "source": source,
        }
    )
    if errors:
        raise ValidationFailed(fields=errors)
    with transaction.atomic():
        existing = (
            ExchangeRate.objects.select_for_update(of=("self",))
            .filter(
                currency=clean["currency"],
                to_currency=clean["to_currency"],
                valid_from=clean["valid_from"],
            )
            .first()
        )
        if existing is not None and existing.rate == clean["rate"]:
            existing.outcome, existing.converted = "unchanged", 0
            return existing
        if existing is not None and not replace:
            raise ValidationFailed(
                fields={"rate": [_conflict_message(existing.rate)]}, code="rate_conflict"
            )
        if existing is not None:
            old = existing.rate
            existing.rate = clean["rate"]
            existing.source = clean["source"] or existing.source
            existing.recorded_by = user
            existing.save(update_fields=["rate", "source", "recorded_by", "updated_at"])
            row, outcome = existing, "replaced"
            changes = {"rate": {"from": old, "to": row.rate}, "source": row.source}
        else:
            row = ExchangeRate.objects.create(recorded_by=user, **clean)
            outcome = "created"
            changes = {k: v for k, v in clean.items()}
        row.converted = convert_pending_of([row.currency, row.to_currency])
        row.outcome = outcome
        audit_record(
            user,
            action=RATE_REPLACED if outcome == "replaced" else RATE_RECORDED,
            obj=row,
            changes={**changes, "converted": row.converted},
        )
    return row


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    replaced: int = 0
    converted: int = 0
    rows: int = 0


def _read_csv(file) -> tuple[list[str], list[tuple[int, dict]]]:
    """(header, [(line number, row)]) of the uploaded file, or a ValidationFailed on "file"."""
    limit = settings.AWDA_MAX_UPLOAD_MB * 1_048_576
    raw = file.read(limit + 1) if hasattr(file, "read") else bytes(file)
    if len(raw) > limit:
        raise ValidationFailed(
            fields={
                "file": [
                    _("The file is larger than %(n)s MB.") % {"n": settings.AWDA_MAX_UPLOAD_MB}
                ]
            }
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    lines = text.splitlines()
    first = next((ln for ln in lines if ln.strip()), "")
    if not first:
        raise ValidationFailed(fields={"file": [_("The file is empty.")]}, code="csv_invalid")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    if "\t" in first and delimiter not in first:
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = None
    rows = []
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        if header is None:
            header = [cell.strip().lower() for cell in record]
            continue
        rows.append((reader.line_num, record))
        if len(rows) > MAX_CSV_ROWS:
            raise ValidationFailed(
                fields={"file": [_("At most %(n)s rates per file.") % {"n": MAX_CSV_ROWS}]},
                code="csv_invalid",
            )
    missing = [c for c in CSV_COLUMNS if c not in header]
    unknown = [c for c in header if c not in CSV_COLUMNS + CSV_OPTIONAL]
    if missing or unknown or len(set(header)) != len(header):
        message = _(
            "The first line must name the columns currency, to_currency, rate, valid_from and "
            "optionally source."
        )
        details = []
        if missing:
            details.append(_("Missing: %(list)s.") % {"list": ", ".join(missing)})
        if unknown:
            details.append(_("Unknown: %(list)s.") % {"list": ", ".join(unknown)})
        raise ValidationFailed(fields={"file": [" ".join([message, *details])]}, code="csv_invalid")
    if not rows:
        raise ValidationFailed(fields={"file": [_("The file has no rates.")]}, code="csv_invalid")
    out = []
    for line_num, record in rows:
        values = {name: (record[i] if i < len(record) else "") for i, name in enumerate(header)}
        if len(record) > len(header) and any(c.strip() for c in record[len(header) :]):
            values["__extra__"] = True
        out.append((line_num, values))
    return header, out


def rates_import_csv(user, *, file, replace: bool = False) -> ImportResult:
    """Import exchange rates from a CSV file (columns currency, to_currency, rate, valid_from
    and optionally source; comma or semicolon separated; UTF-8). Every row is checked first;
    any error refuses the whole file (ValidationFailed code "csv_invalid", each error with its
    line number and field in details["errors"]). Rows identical to recorded rates change
    nothing; another rate for a recorded pair and day is an error unless `replace`. Then the
    charges awaiting a rate of these currencies are converted."""
    require(user, "finance.manage")
    _header, rows = _read_csv(file)
    errors = []
    seen: dict[tuple, tuple[int, Decimal]] = {}
    cleaned = []
    for line_num, values in rows:
        clean, row_errors = clean_rate(values)
        if values.get("__extra__"):
            row_errors.setdefault("file", []).append(_("This line has more values than columns."))
        for field, messages in row_errors.items():
            for m in messages:
                errors.append({"row": line_num, "field": field, "message": str(m)})
        if row_errors:
            continue
        key = _key(clean)
        if key in seen:
            first_line, first_rate = seen[key]
            if first_rate != clean["rate"]:
                errors.append(
                    {
                        "row": line_num,
                        "field": "rate",
                        "message": str(
                            _("Line %(line)s gives another rate for this pair and day.")
                            % {"line": first_line}
                        ),
                    }
                )
            continue
        seen[key] = (line_num, clean["rate"])
        cleaned.append((line_num, clean))

    with transaction.atomic():
        existing = {}
        if cleaned:
            currencies = {c["currency"] for _n, c in cleaned}
            for rate in ExchangeRate.objects.select_for_update(of=("self",)).filter(
                currency__in=currencies
            ):
                existing[(rate.currency, rate.to_currency, rate.valid_from)] = rate
        result = ImportResult(rows=len(rows))
        to_create, to_replace = [], []
        for line_num, clean in cleaned:
            current = existing.get(_key(clean))
            if current is None:
                to_create.append(clean)
            elif current.rate == clean["rate"]:
                result.unchanged += 1
            elif replace:
                to_replace.append((current, clean))
            else:
                errors.append(
                    {
                        "row": line_num,
                        "field": "rate",
                        "message": str(_conflict_message(current.rate)),
                    }
                )
        if errors:
            errors.sort(key=lambda e: (e["row"], e["field"]))
            raise ValidationFailed(
                ngettext(
                    "The file has %(n)s error; nothing was imported.",
                    "The file has %(n)s errors; nothing was imported.",
                    len(errors),
                )
                % {"n": len(errors)},
                code="csv_invalid",
                fields={
                    "file": [_("Line %(row)s, %(field)s: %(message)s") % e for e in errors[:20]]
                },
                details={"errors": errors},
            )
        ExchangeRate.objects.bulk_create(
            [ExchangeRate(recorded_by=user, **clean) for clean in to_create]
        )
        replaced = []
        for current, clean in to_replace:
            replaced.append(
                {
                    "pair": f"{current.currency}/{current.to_currency}",
                    "valid_from": current.valid_from,
                    "from": current.rate,
                    "to": clean["rate"],
                }
            )
            current.rate = clean["rate"]
            current.source = clean["source"] or current.source
            current.recorded_by = user
            current.save(update_fields=["rate", "source", "recorded_by", "updated_at"])
        result.created, result.replaced = len(to_create), len(to_replace)
        touched = [c["currency"] for c in to_create] + [c["to_currency"] for c in to_create]
        touched += [c["currency"] for _r, c in to_replace] + [
            c["to_currency"] for _r, c in to_replace
        ]
        result.converted = convert_pending_of(touched) if touched else 0
        audit_record(
            user,
            action=RATES_IMPORTED,
            object_type="finance.exchangerate",
            object_repr=getattr(file, "name", "") or "rates.csv",
            changes={
                "file": getattr(file, "name", ""),
                "rows": result.rows,
                "created": [
                    f"{c['currency']}/{c['to_currency']} {c['valid_from'].isoformat()} {c['rate']}"
                    for c in to_create[:AUDIT_LIST_MAX]
                ],
                "created_count": result.created,
                "replaced": replaced[:AUDIT_LIST_MAX],
                "unchanged": result.unchanged,
                "converted": result.converted,
            },
        )
    return result
