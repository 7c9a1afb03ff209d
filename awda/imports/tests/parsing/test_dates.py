import datetime

import pytest

from awda.imports.dates import DateError, YearOnly, detect_order, from_excel_serial, parse

D = datetime.date


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2024-03-01", D(2024, 3, 1)),
        ("2024-03-01T10:20:30", D(2024, 3, 1)),
        ("2024-03-01T09:12:33.000+01:00", D(2024, 3, 1)),
        ("2024-03-01 10:20", D(2024, 3, 1)),
        ("2024/3/1", D(2024, 3, 1)),
        ("01/03/2024", D(2024, 3, 1)),
        ("1/3/2024", D(2024, 3, 1)),
        ("01-03-2024", D(2024, 3, 1)),
        ("01.03.2024", D(2024, 3, 1)),
        ("01/03/2024 14:05", D(2024, 3, 1)),
        ("1/3/98", D(1998, 3, 1)),
        ("1/3/05", D(2005, 3, 1)),
        ("20240301", D(2024, 3, 1)),
        ("1er mars 1990", D(1990, 3, 1)),
        ("12 février 1990", D(1990, 2, 12)),
        ("01-Mar-1990", D(1990, 3, 1)),
        ("March 1, 1990", D(1990, 3, 1)),
        ("  45352  ", D(2024, 3, 1)),
        (45352, D(2024, 3, 1)),
        (45352.75, D(2024, 3, 1)),
        (datetime.datetime(2024, 3, 1, 23, 59), D(2024, 3, 1)),
        (D(2024, 3, 1), D(2024, 3, 1)),
        ("", None),
        (None, None),
    ],
)
def test_accepted_forms(value, expected):
    assert parse(value, cut=25) == expected


@pytest.mark.parametrize(
    "value",
    ["31/02/1990", "13/13/2000", "2024-02-30", "hier", "1990", "12/1990", "abc 12 1990", True, 60],
)
def test_invalid_dates(value):
    with pytest.raises(DateError):
        parse(value)


def test_excel_serials_follow_the_1900_system_with_its_leap_bug():
    assert from_excel_serial(1) == D(1900, 1, 1)
    assert from_excel_serial(59) == D(1900, 2, 28)
    assert from_excel_serial(61) == D(1900, 3, 1)
    assert from_excel_serial(25569) == D(1970, 1, 1)
    with pytest.raises(DateError):
        from_excel_serial(60)  # 29 February 1900 never existed
    with pytest.raises(DateError):
        from_excel_serial(0)


def test_day_first_by_default_month_first_on_request():
    assert parse("03/01/2024") == D(2024, 1, 3)
    assert parse("03/01/2024", order="mdy") == D(2024, 3, 1)
    with pytest.raises(DateError):
        parse("12/31/2024")  # not swapped silently


def test_year_only_for_dates_of_birth():
    assert parse("1990", year_only=True) == YearOnly(1990)
    assert isinstance(parse(1990, year_only=True), YearOnly)
    assert parse("00/00/1990", year_only=True) == 1990
    assert parse("XX/XX/1990", year_only=True) == 1990
    with pytest.raises(DateError):
        parse("00/00/1990")


def test_two_digit_years_use_the_cut():
    assert parse("01/01/30", cut=25) == D(1930, 1, 1)
    assert parse("01/01/30", cut=35) == D(2030, 1, 1)


def test_detect_order():
    assert detect_order(["12/31/2024", "01/02/2024"]) == "mdy"
    assert detect_order(["31/12/2024", "01/02/2024"]) == "dmy"
    assert detect_order(["01/02/2024", 45000, None]) == "dmy"
    assert detect_order(["31/12/2024", "12/31/2024"]) == "dmy"
