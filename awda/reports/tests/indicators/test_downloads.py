"""Downloads of an indicator table: CSV and XLSX with every row and the totals, HXL with a row
of hashtags, small cells suppressed and no totals row, read back with libhxl. Every download is
audited, without personal data."""

import csv
import datetime
import io

import hxl
import openpyxl
import pytest
from django.urls import reverse

from awda.accounts.choices import Role
from awda.audit.models import AuditEvent
from awda.factories import member_of
from awda.reports.indicators.registry import INDICATORS
from awda.reports.indicators.services import INDICATOR_EXPORTED

from . import helpers as h
from .test_dashboard import PERSONS

D = datetime.date
YEAR = {"date_from": "2025-01-01", "date_to": "2025-12-31"}


def url(code, fmt):
    return reverse("reports:indicator_download", args=[code, fmt])


def download(client, user, code, fmt, **params):
    client.force_login(user)
    response = client.get(url(code, fmt), {**YEAR, **params})
    assert response.status_code == 200, response.content[:500]
    return response


def read_csv(response):
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_holds_the_rows_and_the_totals(client, world, me_both):
    response = download(client, me_both, "returns", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="returns-nationality-2025-01-01-2025-12-31.csv"'
    )
    header, *rows = read_csv(response)
    assert header[:4] == ["Group", "Period start", "Period end", "Nationality (ISO alpha-2)"]
    data = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    assert list(data) == ["Guinea", "Côte d'Ivoire", "Total"]
    assert (
        data["Guinea"]["Returnees"] == "4" and data["Guinea"]["Nationality (ISO alpha-3)"] == "GIN"
    )
    assert data["Total"]["Returnees"] == "6" and data["Total"]["Nationality"] == ""


def test_xlsx_holds_the_rows_and_the_totals(client, world, me_both):
    response = download(client, me_both, "spending", "xlsx", by="donor")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "spending"
    assert sheet["A1"].value.startswith("Spending by donor, project and budget line (2025-01-01")
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    header = rows[0]
    data = [dict(zip(header, r, strict=True)) for r in rows[1:]]
    sem = next(r for r in data if r["Group"] == "SEM")
    assert sem["Spent"] == 300 and sem["Currency"] == "EUR"
    assert sem["Co-funded (shown in full under each donor)"] == "yes"
    totals = [r for r in data if r["Group"].startswith("Total")]
    assert [(t["Group"], t["Spent"]) for t in totals] == [
        ("Total (EUR)", 300),
        ("Total (MAD)", 1000),
    ]


@pytest.fixture
def many_guineans(world, rabat, projects):
    """Twelve more Guinean men of 30 returned in 2025, each on his own case."""
    for i in range(12):
        p = h.person(rabat, given=f"Alpha{i}", family="Diallo", sex="male", born=D(1995, 1, 1))
        c = h.case(rabat, [p], departed_on=D(2025, 9, 1), project=projects["P"])
        h.depart(c, p, D(2025, 9, 1))
    return world


def parse_hxl(response):
    return hxl.data(io.BytesIO(response.content))


def hxl_rows(source) -> list[dict]:
    """Each row as {exact hashtag: value}, "" for an empty cell (libhxl's Row.get matches a
    hashtag pattern and skips empty cells: not what a suppression test wants)."""
    tags = [c.display_tag for c in source.columns]
    return [dict(zip(tags, row.values, strict=True)) for row in source]


def test_hxl_has_the_hashtags_and_suppresses_small_cells(client, many_guineans, me_both):
    response = download(client, me_both, "returns", "hxl")
    assert response["Content-Disposition"].endswith('.hxl.csv"')
    source = parse_hxl(response)
    assert [c.display_tag for c in source.columns] == [
        "#date+start",
        "#date+end",
        "#country+nationality+code+v_iso2",
        "#country+nationality+code+v_iso3",
        "#country+nationality+name",
        "#reached+returnees",
        "#reached+returnees+f",
        "#reached+returnees+m",
        "#reached+returnees+children",
        "#reached+returnees+adults",
        "#reached+returnees+elderly",
        "#reached+hh+returnees",
    ]
    rows = {r["#country+nationality+code+v_iso3"]: r for r in hxl_rows(source)}
    assert set(rows) == {"GIN", "CIV"}  # no totals row
    gin, civ = rows["GIN"], rows["CIV"]
    # 4 + 12: at least k, but with the total the by=total file shows (18), Guinea's 16 would
    # give the Ivorians' 2 away: suppressed too (complementary suppression down the column)
    assert gin["#reached+returnees"] == ""
    assert gin["#reached+hh+returnees"] == ""  # 15, the complement of the Ivorian case(s)
    assert gin["#date+start"] == "2025-01-01"
    # 1 woman: suppressed; then the 15 men too, or they would give her away from the total
    assert gin["#reached+returnees+f"] == ""
    assert gin["#reached+returnees+m"] == ""
    # 2 children suppressed, so the smallest other age band (13 adults) is too; zero is shown
    assert gin["#reached+returnees+children"] == ""
    assert gin["#reached+returnees+adults"] == ""
    assert gin["#reached+returnees+elderly"] == "0"
    assert civ["#reached+returnees"] == ""  # 2
    assert civ["#country+nationality+name"] == "Côte d'Ivoire"
    # the file grouped by "total" shows the total: the two suppressed rows add up to 18
    (total,) = hxl_rows(parse_hxl(download(client, me_both, "returns", "hxl", by="total")))
    assert total["#reached+returnees"] == "18"


def test_the_threshold_is_configurable(client, many_guineans, me_both, settings):
    settings.AWDA_HXL_MIN_CELL = 2
    rows = {
        r["#country+nationality+code+v_iso3"]: r
        for r in hxl_rows(parse_hxl(download(client, me_both, "returns", "hxl")))
    }
    assert rows["CIV"]["#reached+returnees"] == "2"
    assert rows["GIN"]["#reached+returnees+f"] == ""  # 1


def test_hxl_statistics_go_with_their_count(client, world, me_both):
    source = parse_hxl(download(client, me_both, "lead_time", "hxl"))
    tags = [c.display_tag for c in source.columns]
    assert "#indicator+days+median" in tags and "#indicator+days+p90" in tags
    rows = hxl_rows(source)
    assert len(rows) == 2
    for row in rows:  # every office has fewer than 11 departed cases
        assert row["#reached+hh+returnees"] == ""
        assert row["#indicator+days+median"] == "" and row["#indicator+days+p90"] == ""


def test_hxl_amounts_go_with_the_number_of_cases(client, world, me_both):
    source = parse_hxl(download(client, me_both, "spending", "hxl", by="donor"))
    tags = [c.display_tag for c in source.columns]
    assert {"#org+funder+name", "#currency", "#value+spent", "#value+committed"} <= set(tags)
    rows = hxl_rows(source)
    assert len(rows) == 3
    for row in rows:
        assert row["#org+funder+name"] in ("European Union", "State Secretariat for Migration")
        assert row["#value+spent"] == "" and row["#value+committed"] == ""  # 1 or 2 cases


def test_every_download_is_audited_without_personal_data(client, world, me_both, rabat):
    download(client, me_both, "returns", "hxl", nationality="GN", office=rabat.pk)
    event = AuditEvent.objects.get(action=INDICATOR_EXPORTED)
    assert event.actor == me_both
    assert event.object_type == "reports.indicator" and event.object_id == "returns"
    assert event.changes == {
        "indicator": "returns",
        "format": "hxl",
        "filters": {
            "date_from": "2025-01-01",
            "date_to": "2025-12-31",
            "by": "nationality",
            "office": rabat.pk,
            "nationality": "GN",
        },
        "min_cell": 11,
        "rows": 1,
    }
    assert event.case_id is None and event.person_id is None


@pytest.mark.parametrize("code", list(INDICATORS))
@pytest.mark.parametrize("fmt", ["csv", "xlsx", "hxl"])
def test_no_download_holds_a_name(client, world, me_both, code, fmt):
    response = download(client, me_both, code, fmt)
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        text = " ".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v)
    else:
        text = response.content.decode("utf-8-sig")
    for key in PERSONS:
        assert world[key].given_name not in text and world[key].family_name not in text
    assert AuditEvent.objects.filter(action=INDICATOR_EXPORTED, object_id=code).count() == 1


def test_refusals(client, world, me_both, rabat):
    client.force_login(me_both)
    assert client.get(url("happiness", "csv")).status_code == 404
    assert client.get(url("returns", "pdf")).status_code == 404
    bad = client.get(url("returns", "csv"), {"date_from": "2025-12-31", "date_to": "2025-01-01"})
    assert bad.status_code == 400
    assert client.get(url("spending", "csv"), {"by": "sex"}).status_code == 400
    admin = member_of(rabat, Role.ADMIN, "admin.rabat")
    client.force_login(admin)
    assert client.get(url("returns", "csv")).status_code == 403
    assert not AuditEvent.objects.filter(action=INDICATOR_EXPORTED).exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "hxl"])
def test_indicators_a_role_may_not_see_are_not_downloaded(client, world, caseworker, rabat, fmt):
    """No spending without finance.view; no vulnerability categories for finance officers."""
    client.force_login(caseworker)
    assert client.get(url("spending", fmt)).status_code == 403
    assert client.get(url("vulnerable", fmt)).status_code == 200
    finance = member_of(rabat, Role.FINANCE, "finance.rabat")
    client.force_login(finance)
    assert client.get(url("vulnerable", fmt)).status_code == 403
    assert client.get(url("spending", fmt)).status_code == 200
    audited = AuditEvent.objects.filter(action=INDICATOR_EXPORTED)
    assert sorted(audited.values_list("object_id", flat=True)) == ["spending", "vulnerable"]
