import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.finance.models import Charge, ExchangeRate
from awda.finance.services import rate_record, rates_import_csv

from ..helpers import post

JAN = datetime.date(2026, 1, 1)


def record(user, **kwargs):
    data = {"currency": "MAD", "to_currency": "EUR", "rate": "0.0925", "valid_from": JAN}
    return rate_record(user, **data | kwargs)


def csv_file(text: str, name="rates.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_a_rate_is_recorded_and_audited(finance_officer):
    rate = record(finance_officer, source="UN operational rate")
    assert (rate.outcome, rate.converted, rate.rate) == ("created", 0, Decimal("0.0925"))
    event = AuditEvent.objects.get(action="finance.exchange_rate.recorded")
    assert event.changes["rate"] == "0.0925000000" and event.changes["source"]


def test_the_same_rate_again_changes_nothing(finance_officer):
    record(finance_officer)
    again = record(finance_officer, rate="0.092500")
    assert again.outcome == "unchanged"
    assert ExchangeRate.objects.count() == 1
    assert AuditEvent.objects.filter(action__startswith="finance.exchange_rate").count() == 1


def test_another_rate_for_the_same_day_needs_replace(finance_officer):
    record(finance_officer)
    with pytest.raises(ValidationFailed) as exc:
        record(finance_officer, rate="0.093")
    assert exc.value.code == "rate_conflict" and "rate" in exc.value.fields
    replaced = record(finance_officer, rate="0.093", replace=True)
    assert (replaced.outcome, replaced.rate) == ("replaced", Decimal("0.093"))
    event = AuditEvent.objects.get(action="finance.exchange_rate.replaced")
    assert event.changes["rate"] == {"from": "0.0925000000", "to": "0.0930000000"}


def test_recording_a_rate_converts_the_costs_awaiting_it(
    finance_officer, caseworker, case, project, lines
):
    waiting = post(caseworker, case, project, "1000", currency="MAD")
    other = post(caseworker, case, project, "1000", currency="GNF")
    rate = record(finance_officer)
    assert rate.converted == 1
    event = AuditEvent.objects.get(action="finance.exchange_rate.recorded")
    assert event.changes["converted"] == 1
    waiting.refresh_from_db()
    other.refresh_from_db()
    assert (waiting.project_amount, waiting.rate) == (Decimal("92.50"), Decimal("0.0925"))
    assert other.project_amount is None


def test_a_converted_cost_keeps_the_rate_it_used_when_the_rate_is_corrected(
    finance_officer, caseworker, case, project, lines
):
    record(finance_officer)
    charge = post(caseworker, case, project, "1000", currency="MAD")
    record(finance_officer, rate="0.5", replace=True)
    charge.refresh_from_db()
    assert (charge.rate, charge.project_amount) == (Decimal("0.0925"), Decimal("92.50"))


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"currency": "XYZ"}, "currency"),
        ({"to_currency": "MAD"}, "to_currency"),
        ({"rate": "0"}, "rate"),
        ({"rate": "-1"}, "rate"),
        ({"rate": "0.00000000001"}, "rate"),
        ({"valid_from": "yesterday"}, "valid_from"),
    ],
)
def test_invalid_rates_are_refused_by_field(finance_officer, kwargs, field):
    with pytest.raises(ValidationFailed) as exc:
        record(finance_officer, **kwargs)
    assert field in exc.value.fields


@pytest.mark.parametrize("persona", ["manager", "auditor", "caseworker"])
def test_only_finance_officers_record_rates(request, persona):
    with pytest.raises(PermissionDenied):
        record(request.getfixturevalue(persona))
    with pytest.raises(PermissionDenied):
        rates_import_csv(request.getfixturevalue(persona), file=csv_file("x"))
    assert not ExchangeRate.objects.exists()


GOOD = """currency,to_currency,rate,valid_from,source
EUR,MAD,10.85,2026-01-01,UN operational rate
EUR,GNF,9350,2026-01-01,
USD,EUR,0.92,2026-02-01,bank
"""


def test_a_csv_file_is_imported(finance_officer, caseworker, case, project, lines):
    post(caseworker, case, project, "1085", currency="MAD")
    result = rates_import_csv(finance_officer, file=csv_file(GOOD))
    assert (result.rows, result.created, result.unchanged, result.converted) == (3, 3, 0, 1)
    assert ExchangeRate.objects.count() == 3
    assert Charge.objects.get().project_amount == Decimal("100.00")  # inverse of EUR/MAD
    event = AuditEvent.objects.get(action="finance.exchange_rate.imported")
    assert event.changes["created_count"] == 3 and event.changes["file"] == "rates.csv"
    assert event.changes["converted"] == 1


def test_importing_the_same_file_twice_changes_nothing(finance_officer):
    rates_import_csv(finance_officer, file=csv_file(GOOD))
    again = rates_import_csv(finance_officer, file=csv_file(GOOD))
    assert (again.created, again.unchanged) == (0, 3)
    assert ExchangeRate.objects.count() == 3


def test_semicolons_decimal_commas_and_french_dates_are_read(finance_officer):
    text = "\ufeffCurrency;To_Currency;Rate;Valid_From\nEUR;MAD;10,85;01/03/2026\n"
    rates_import_csv(finance_officer, file=csv_file(text))
    rate = ExchangeRate.objects.get()
    assert (rate.rate, rate.valid_from) == (Decimal("10.85"), datetime.date(2026, 3, 1))


def test_every_row_is_checked_and_errors_give_the_line_and_field(finance_officer):
    text = (
        "currency,to_currency,rate,valid_from\n"
        "EUR,MAD,10.85,2026-01-01\n"
        "EUR,XXX,10.85,2026-01-01\n"
        "\n"
        "EUR,MAD,abc,2026-13-01\n"
        "EUR,MAD,10.90,2026-01-01\n"
    )
    with pytest.raises(ValidationFailed) as exc:
        rates_import_csv(finance_officer, file=csv_file(text))
    assert exc.value.code == "csv_invalid"
    errors = {(e["row"], e["field"]) for e in exc.value.details["errors"]}
    assert errors == {(3, "to_currency"), (5, "rate"), (5, "valid_from"), (6, "rate")}
    assert "4" in str(exc.value.message)
    assert not ExchangeRate.objects.exists()  # all or nothing
    assert not AuditEvent.objects.exists()


def test_a_different_rate_for_a_recorded_day_is_an_error_unless_replace(finance_officer):
    rates_import_csv(finance_officer, file=csv_file(GOOD))
    changed = GOOD.replace("10.85", "10.95")
    with pytest.raises(ValidationFailed) as exc:
        rates_import_csv(finance_officer, file=csv_file(changed))
    assert [(e["row"], e["field"]) for e in exc.value.details["errors"]] == [(2, "rate")]
    result = rates_import_csv(finance_officer, file=csv_file(changed), replace=True)
    assert (result.replaced, result.unchanged) == (1, 2)
    assert ExchangeRate.objects.get(currency="EUR", to_currency="MAD").rate == Decimal("10.95")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "currency,rate,valid_from\nEUR,1,2026-01-01\n",
        "currency,to_currency,rate,valid_from,colour\nEUR,MAD,1,2026-01-01,red\n",
        "currency,to_currency,rate,valid_from\n",
    ],
)
def test_a_file_without_the_columns_or_rows_is_refused(finance_officer, text):
    with pytest.raises(ValidationFailed) as exc:
        rates_import_csv(finance_officer, file=csv_file(text))
    assert "file" in exc.value.fields
