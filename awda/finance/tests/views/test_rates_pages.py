import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from awda.finance.models import ExchangeRate

from ..helpers import post, rate

URL = reverse("finance:rate_list")
IMPORT = reverse("finance:rate_import")


def test_rates_are_listed_for_finance_view_and_recorded_by_finance(
    client, finance_officer, auditor, caseworker, django_assert_max_num_queries
):
    for day in range(1, 20):
        rate("MAD", "EUR", "0.09", datetime.date(2026, 1, day))
    client.force_login(caseworker)
    assert client.get(URL).status_code == 403
    client.force_login(auditor)
    body = client.get(URL).content.decode()
    assert body.count('data-testid="rate-row"') == 19 and 'data-testid="rate-form"' not in body
    assert client.post(URL, {}).status_code == 403
    client.force_login(finance_officer)
    with django_assert_max_num_queries(12):
        body = client.get(URL).content.decode()
    assert 'data-testid="rate-form"' in body and 'data-rate="0.09"' in body


def test_a_rate_recorded_from_the_page_converts_the_costs_awaiting_it(
    client, finance_officer, caseworker, case, project, lines
):
    post(caseworker, case, project, "1000", currency="MAD")
    client.force_login(finance_officer)
    assert 'data-pair="MAD/EUR"' in client.get(URL).content.decode()  # awaiting
    data = {
        "rate-currency": "MAD",
        "rate-to_currency": "EUR",
        "rate-rate": "0.0925",
        "rate-valid_from": "2026-01-01",
        "rate-source": "UN",
    }
    response = client.post(URL, data, follow=True)
    assert response.status_code == 200
    body = response.content.decode()
    assert "1" in body and 'data-testid="awaiting-pairs"' not in body
    assert ExchangeRate.objects.get().rate == Decimal("0.0925")
    conflict = client.post(URL, data | {"rate-rate": "0.1"})
    assert conflict.status_code == 400 and "replace" in conflict.content.decode()


def test_a_csv_import_shows_each_error_with_its_line(client, finance_officer):
    client.force_login(finance_officer)
    text = "currency,to_currency,rate,valid_from\nEUR,MAD,10.85,2026-01-01\nEUR,MAD,x,2026-01-02\n"
    upload = SimpleUploadedFile("rates.csv", text.encode(), content_type="text/csv")
    response = client.post(IMPORT, {"import-file": upload})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="import-error" data-row="3" data-field="rate"' in body
    assert not ExchangeRate.objects.exists()
    good = SimpleUploadedFile("rates.csv", text.replace(",x,", ",10.9,").encode())
    assert client.post(IMPORT, {"import-file": good}).status_code == 302
    assert ExchangeRate.objects.count() == 2


def test_a_file_without_the_columns_is_refused_on_the_file_field(client, finance_officer):
    client.force_login(finance_officer)
    upload = SimpleUploadedFile("rates.csv", b"a,b\n1,2\n")
    response = client.post(IMPORT, {"import-file": upload})
    assert response.status_code == 400 and "to_currency" in response.content.decode()


def test_only_finance_officers_import(client, manager):
    client.force_login(manager)
    upload = SimpleUploadedFile("rates.csv", b"a,b\n1,2\n")
    assert client.post(IMPORT, {"import-file": upload}).status_code == 403
