"""Dates as imported files hold them.

Accepted, in this order:
- `datetime.datetime` / `datetime.date` objects (XLSX cells formatted as dates);
- numbers: Excel serial dates in the 1900 date system (1 = 1900-01-01; 60 is Excel's fictitious
  1900-02-29 and is refused; the fraction is the time of day and is dropped). A whole number from
  1000 to 2999 is a year, not a serial (serial 1990 would be June 1905);
- text: ISO `YYYY-MM-DD` (also with `/` or `.`, and with a time after `T` or a space, as Kobo's
  `_submission_time` and `start`/`end`), `DD/MM/YYYY`, `D/M/YY`, `DD-MM-YYYY`, `DD.MM.YYYY`
  (a time after the date is ignored), `YYYYMMDD`, a day with a French or English month name
  (`1 mars 1990`, `01-Mar-1990`, `March 1, 1990`), a 5-digit Excel serial written as text.

Day and month: **DD/MM is the default** (the missions are francophone and so are their files);
`order="mdy"` reads 03/01/2024 as 1 March for files written the US way (Mapping.date_order; the
mapping suggestion detects it when a value can only be month-first). Nothing is swapped silently:
31/12 read month-first is an error, not 12/31.

Two-digit years: 00..`cut` are 20xx, the others 19xx. The caller gives `cut`: for dates in the past
(birth, registration, issue) it is the current year's two digits, so 98 is 1998 and 05 is 2005; for
expiry dates it is ten years ahead.

Year only (`1990`, `00/00/1990`, `XX/XX/1990`): for a date of birth it becomes `birth_year` (the
date is then estimated, as in the registry); for other dates it is an error.
"""

import datetime
import re

_EXCEL_EPOCH = datetime.date(1899, 12, 30)  # serial 0, counted so that 61 = 1900-03-01
_EXCEL_FIRST = datetime.date(1899, 12, 31)  # serials 1..59 (before Lotus' 1900-02-29)
MAX_SERIAL = 2958465  # 9999-12-31


class DateError(ValueError):
    """The value is not a date in any accepted form."""


class YearOnly(int):
    """A parsed value that is only a year (1990, 00/00/1990)."""


_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:T|\s+)\d.*)?$")
_NUMERIC = re.compile(r"(\d{1,2})([-/. ])(\d{1,2})\2(\d{4}|\d{2})(?:(?:T|\s+|,\s*)\d.*)?$")
_YEAR_ONLY = re.compile(r"(?:(?:00|xx|--|\?\?)[-/. ]){1,2}(\d{4})$", re.IGNORECASE)
_DAY_MONTH_NAME = re.compile(
    r"(\d{1,2})(?:er|st|nd|rd|th)?[-/. ]+([^\W\d_]+)\.?[-/., ]+(\d{4}|\d{2})$"
)
_MONTH_NAME_DAY = re.compile(r"([^\W\d_]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$")
_SERIAL_TEXT = re.compile(r"\d{5}(?:\.\d+)?$")

_MONTHS = {}
for _i, _names in enumerate(
    [
        "january jan janvier janv",
        "february feb fevrier fev fevr février févr",
        "march mar mars",
        "april apr avril avr",
        "may mai",
        "june jun juin",
        "july jul juillet juil",
        "august aug aout août",
        "september sep sept septembre",
        "october oct octobre",
        "november nov novembre",
        "december dec decembre décembre déc",
    ],
    start=1,
):
    for _n in _names.split():
        _MONTHS[_n] = _i


def from_excel_serial(serial) -> datetime.date:
    """Excel 1900 date system: 1 = 1900-01-01, 59 = 1900-02-28, 61 = 1900-03-01."""
    number = int(serial)
    if number < 1 or number > MAX_SERIAL or serial != serial:  # NaN
        raise DateError(serial)
    if number == 60:  # the 29 February 1900 that Excel counts and that did not exist
        raise DateError(serial)
    if number < 60:
        return _EXCEL_FIRST + datetime.timedelta(days=number)
    return _EXCEL_EPOCH + datetime.timedelta(days=number)


def _year(text: str, cut: int) -> int:
    y = int(text)
    if len(text) == 2:
        y += 2000 if y <= cut else 1900
    return y


def _make(y: int, m: int, d: int) -> datetime.date:
    try:
        return datetime.date(y, m, d)
    except ValueError:
        raise DateError(f"{y}-{m}-{d}") from None


def parse(
    value, *, order: str = "dmy", cut: int | None = None, year_only: bool = False
) -> datetime.date | YearOnly | None:
    """The date in `value`, or None when it is empty; raises DateError.

    With year_only=True, a bare year (1990, 00/00/1990) is returned as YearOnly(1990)."""
    cls = value.__class__
    if cls is str:
        text = value.strip()
        if not text:
            return None
        return _parse_text(text, order, _cut(cut), year_only)
    if value is None:
        return None
    if cls is datetime.datetime:
        return value.date()
    if cls is datetime.date:
        return value
    if cls is bool:
        raise DateError(value)
    if cls is int or cls is float:
        if 1000 <= value <= 2999 and value == int(value):
            if year_only:
                return YearOnly(int(value))
            raise DateError(value)
        return from_excel_serial(value)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, datetime.time):
        raise DateError(value)
    return parse(str(value), order=order, cut=cut, year_only=year_only)


def _cut(cut: int | None) -> int:
    return datetime.date.today().year % 100 if cut is None else cut


def _parse_text(text: str, order: str, cut: int, year_only: bool):
    m = _ISO.match(text)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]))
    m = _NUMERIC.match(text)
    if m:
        a, b, y = int(m[1]), int(m[3]), _year(m[4], cut)
        if order == "mdy":
            a, b = b, a
        if a == 0 and b == 0 and year_only:
            return YearOnly(y)
        return _make(y, b, a)
    if text.isdigit():
        if len(text) == 4:
            if year_only:
                return YearOnly(int(text))
            raise DateError(text)
        if len(text) == 8:
            return _make(int(text[:4]), int(text[4:6]), int(text[6:]))
    if _SERIAL_TEXT.match(text):
        return from_excel_serial(float(text))
    m = _YEAR_ONLY.match(text)
    if m and year_only:
        return YearOnly(int(m[1]))
    m = _DAY_MONTH_NAME.match(text)
    if m:
        month = _MONTHS.get(m[2].lower())
        if month:
            return _make(_year(m[3], cut), month, int(m[1]))
    m = _MONTH_NAME_DAY.match(text)
    if m:
        month = _MONTHS.get(m[1].lower())
        if month:
            return _make(int(m[3]), month, int(m[2]))
    raise DateError(text)


def detect_order(values) -> str:
    """ "mdy" when some value can only be month-first (03/25/1990) and none only day-first;
    "dmy" otherwise (the default, also for files that mix both and need a look)."""
    day_first = month_first = False
    for v in values:
        if v.__class__ is not str:
            continue
        m = _NUMERIC.match(v.strip())
        if not m:
            continue
        a, b = int(m[1]), int(m[3])
        if a > 12 >= b:
            day_first = True
        elif b > 12 >= a:
            month_first = True
    return "mdy" if month_first and not day_first else "dmy"


def expected_formats(order: str) -> str:
    """The formats named in error messages."""
    return "MM/DD/YYYY, YYYY-MM-DD" if order == "mdy" else "DD/MM/YYYY, YYYY-MM-DD"
