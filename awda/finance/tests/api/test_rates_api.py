from django.core.files.uploadedfile import SimpleUploadedFile

from awda.core.api.testing import api_client, error_of
from awda.finance.models import ExchangeRate

URL = "/api/v1/finance/rates/"


def test_rates_are_recorded_then_unchanged_then_listed(finance_officer, auditor, caseworker):
    client = api_client(finance_officer)
    data = {"currency": "EUR", "to_currency": "MAD", "rate": "10.85", "valid_from": "2026-01-01"}
    created = client.post(URL, data, format="json")
    assert created.status_code == 201 and created.json()["outcome"] == "created"
    same = client.post(URL, data, format="json")
    assert same.status_code == 200 and same.json()["outcome"] == "unchanged"
    conflict = client.post(URL, data | {"rate": "11"}, format="json")
    assert conflict.status_code == 400 and error_of(conflict)["code"] == "rate_conflict"
    replaced = client.post(URL, data | {"rate": "11", "replace": True}, format="json")
    assert replaced.json()["outcome"] == "replaced"
    assert api_client(auditor).get(URL).json()["results"][0]["rate"] == "11.0000000000"
    assert api_client(auditor).post(URL, data, format="json").status_code == 403
    assert api_client(caseworker).get(URL).status_code == 403
    assert len(api_client(auditor).get(URL, {"currency": "MAD"}).json()["results"]) == 1
    assert api_client(auditor).get(URL, {"currency": "USD"}).json()["results"] == []


def test_a_csv_import_is_all_or_nothing_with_errors_by_row(finance_officer):
    client = api_client(finance_officer)
    text = "currency,to_currency,rate,valid_from\nEUR,MAD,10.85,2026-01-01\nEUR,MAD,,2026-01-02\n"
    bad = client.post(
        f"{URL}import/",
        {"file": SimpleUploadedFile("r.csv", text.encode())},
        format="multipart",
    )
    assert bad.status_code == 400
    error = error_of(bad)
    assert error["code"] == "csv_invalid"
    assert error["details"]["errors"] == [
        {"row": 3, "field": "rate", "message": error["details"]["errors"][0]["message"]}
    ]
    assert not ExchangeRate.objects.exists()
    good = client.post(
        f"{URL}import/",
        {"file": SimpleUploadedFile("r.csv", text.replace(",,", ",10.9,").encode())},
        format="multipart",
    )
    assert good.status_code == 200
    assert good.json() == {"rows": 2, "created": 2, "unchanged": 0, "replaced": 0, "converted": 0}
