"""Issue 6's done-when for M&E, in a real browser: "an M&E officer
produces the year's figures by nationality (e.g. returns to Guinea) and downloads the HXL table
and the donor report without seeing a name".

Set up through the services: three Guinean families (eleven travellers) and one Senegalese couple
registered in Rabat, counselled, found eligible and departed this year on one project. The M&E
officer of Rabat opens Reports, chooses the year and groups by nationality, reads the Guinea
returns (11) and caseload, downloads the returns' HXL table (hashtag row; the Senegalese 2 left
empty, and Guinea's 11 too, since with the total of 13 it would give the 2 away), filters on
Guinea, opens the project's donor report and downloads its PDF. No page, file or PDF holds a
name of the people."""

import csv
import datetime
import io
import pathlib
import re

import pypdf
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awda.cases.tests.browser.test_register_to_eligible import log_in
from awda.core import countries
from awda.factories import ProjectFactory, bring_case_to, person_data, register_case

pytestmark = pytest.mark.browser

D = datetime.date

# (principal, [(relationship, person)]): every member travels
GUINEA = [
    (
        person_data(),  # Ousmane Diallo
        [
            ("spouse", {"given_name": "Mariama", "sex": "female", "date_of_birth": D(1988, 4, 2)}),
            ("child", {"given_name": "Thierno", "date_of_birth": D(2012, 9, 1)}),
            ("child", {"given_name": "Aissatou", "sex": "female", "date_of_birth": D(2016, 2, 3)}),
        ],
    ),
    (
        person_data(
            given_name="Fatoumata", family_name="Camara", sex="female", phone="+212 600 44 55 66"
        ),
        [
            ("child", {"given_name": "Sekouba", "date_of_birth": D(2005, 6, 7)}),
            ("child", {"given_name": "Kadiatou", "sex": "female", "date_of_birth": D(2010, 1, 9)}),
            ("child", {"given_name": "Lansana", "date_of_birth": D(2014, 11, 30)}),
        ],
    ),
    (
        person_data(given_name="Mamadou", family_name="Sow", phone="+212 600 77 88 99"),
        [
            ("spouse", {"given_name": "Hawa", "sex": "female", "date_of_birth": D(1993, 8, 8)}),
            ("child", {"given_name": "Binta", "sex": "female", "date_of_birth": D(2020, 3, 3)}),
        ],
    ),
]
SENEGAL = (
    person_data(
        given_name="Cheikh",
        family_name="Ndiaye",
        nationality="SN",
        phone="+212 600 12 12 12",
        languages=["fr", "wo"],
    ),
    [
        (
            "spouse",
            {
                "given_name": "Ndeye",
                "sex": "female",
                "date_of_birth": D(1987, 5, 5),
                "nationality": "SN",
            },
        )
    ],
)


def _register(caseworker, rabat, principal, members):
    family = principal["family_name"]
    return register_case(
        caseworker,
        rabat,
        principal=principal,
        members=[
            {
                "relationship": relationship,
                "person": person_data(
                    **{
                        "family_name": family,
                        "nationality": principal["nationality"],
                        "phone": "",
                        **fields,
                    }
                ),
                "travels": True,
            }
            for relationship, fields in members
        ],
    )


@pytest.fixture
def returned_this_year(caseworker, manager, rabat, morocco):
    """The four cases, departed today on project AVRR-MA-SEM; the names of their people."""
    project = ProjectFactory(code="AVRR-MA-SEM", name="AVRR Maroc SEM", mission=morocco)
    names = set()
    for principal, members in [*GUINEA, SENEGAL]:
        case = _register(caseworker, rabat, principal, members)
        bring_case_to(case, "departed", caseworker=caseworker, manager=manager, project=project)
        for member in case.members.select_related("person"):
            names |= {member.person.given_name, member.person.family_name}
    return project, names


def no_name_in(text: str, names: set[str], where: str) -> None:
    found = [n for n in names if re.search(rf"\b{re.escape(n)}\b", text, re.IGNORECASE)]
    assert not found, f"{where} shows {found}"


def card(page, code):
    return page.locator(f'[data-testid="indicator"][data-code="{code}"]')


def cell(page, code, label, key):
    row = card(page, code).locator(f'[data-testid="indicator-row"][data-label="{label}"]')
    return row.locator(f'td[data-key="{key}"]')


def test_me_officer_produces_the_years_figures_by_nationality_without_a_name(
    page, live_server, returned_this_year, auditor
):
    project, names = returned_this_year
    assert len(names) == 17  # 13 given names and 4 family names: a check of the set-up
    year = timezone.localdate().year
    guinea, senegal = countries.name("GN"), countries.name("SN")  # the rows' labels

    log_in(page, auditor.username)
    no_name_in(page.content(), names, "the home page")
    page.get_by_test_id("nav-reports").click()
    expect(page.get_by_test_id("aggregates-only")).to_be_visible()
    form = page.get_by_test_id("indicator-filters")
    form.locator("#id_date_from").fill(f"{year}-01-01")
    form.locator("#id_date_to").fill(f"{year}-12-31")
    form.locator("#id_by").select_option("nationality")
    page.get_by_test_id("indicator-submit").click()
    expect(page).to_have_url(re.compile(r"by=nationality"))

    # the year's returns by nationality: Guinea 11, Senegal 2 (the page is internal: no suppression)
    expect(cell(page, "returns", guinea, "returnees")).to_have_text("11")
    expect(cell(page, "returns", guinea, "cases")).to_have_text("3")
    expect(cell(page, "returns", senegal, "returnees")).to_have_text("2")
    expect(card(page, "returns").get_by_test_id("drill-down")).to_have_count(0)  # no case links
    # and the caseload of the year: the same people registered, counselled, found eligible
    for key in ("registered_persons", "counselled_persons", "eligible_persons"):
        expect(cell(page, "caseload", guinea, key)).to_have_text("11")
    expect(cell(page, "caseload", guinea, "registered_cases")).to_have_text("3")
    no_name_in(page.content(), names, "the dashboard")

    # the HXL table of the returns by nationality
    with page.expect_download() as download:
        card(page, "returns").get_by_test_id("download-hxl").click()
    assert download.value.suggested_filename == (
        f"returns-nationality-{year}-01-01-{year}-12-31.hxl.csv"
    )
    content = pathlib.Path(download.value.path()).read_text(encoding="utf-8")
    no_name_in(content, names, "the HXL file")
    header, tags, *rows = list(csv.reader(io.StringIO(content)))
    assert tags[:5] == [
        "#date+start",
        "#date+end",
        "#country+nationality+code+v_iso2",
        "#country+nationality+code+v_iso3",
        "#country+nationality+name",
    ]
    assert "#reached+returnees" in tags
    iso3 = tags.index("#country+nationality+code+v_iso3")
    data = {row[iso3]: dict(zip(tags, row, strict=True)) for row in rows}
    assert set(data) == {"GIN", "SEN"}  # no totals row
    assert data["SEN"]["#reached+returnees"] == ""  # 2: suppressed
    # 11, but 13 (the total, in the file grouped by "total") - 11 would give the 2 away
    assert data["GIN"]["#reached+returnees"] == ""
    assert data["GIN"]["#reached+hh+returnees"] == ""  # 3 cases: under 11
    assert data["GIN"]["#date+start"] == f"{year}-01-01"

    # Guinea only
    form = page.get_by_test_id("indicator-filters")
    form.locator("#id_nationality").select_option("GN")
    page.get_by_test_id("indicator-submit").click()
    expect(page).to_have_url(re.compile(r"nationality=GN"))
    expect(card(page, "returns").get_by_test_id("indicator-row")).to_have_count(1)
    expect(
        card(page, "returns").get_by_test_id("indicator-total").locator('td[data-key="returnees"]')
    ).to_have_text("11")
    no_name_in(page.content(), names, "the dashboard filtered on Guinea")

    # the donor report of the project, figures then PDF
    page.get_by_test_id("donor-reports-link").click()
    expect(page.get_by_test_id("donor-projects")).to_contain_text(project.code)
    no_name_in(page.content(), names, "the donor reports' index")
    page.get_by_test_id("donor-projects").locator(
        f'a[href="/reports/donor/projects/{project.pk}/"]'
    ).click()
    activities = page.get_by_test_id("donor-section-activities")
    expect(activities.locator("tr", has_text="Persons registered")).to_contain_text("13")
    expect(activities.locator("tr", has_text="Cases counselled")).to_contain_text("*")  # 4
    no_name_in(page.content(), names, "the donor report page")
    href = (
        page.get_by_test_id("donor-downloads")
        .locator('a[href*="report.pdf"]')
        .get_attribute("href")
    )
    response = page.request.get(f"{live_server.url}{href}")  # with the officer's session
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    pdf = pypdf.PdfReader(io.BytesIO(response.body()))
    text = "\n".join(p.extract_text() for p in pdf.pages)
    assert project.code in text
    assert "Persons registered" in text and "Cases counselled" in text
    no_name_in(text, names, "the donor report PDF")
