import csv
import datetime
import io

import openpyxl
import pytest

from awda.accounts.choices import Role
from awda.factories import member_of, person_data, register_case
from awda.reports.exports import writers
from awda.reports.models import ExportJob


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test writes its exports in a folder of its own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def finance_officer(rabat):
    return member_of(rabat, Role.FINANCE, "finance.rabat")


@pytest.fixture
def rabat_cases(caseworker, rabat):
    """Five cases of Rabat registered on different days, one family, one principal with only a
    year of birth, one with a name a spreadsheet would read as a formula."""
    today = datetime.date.today()
    specs = [
        ("Aminata", "Konaté", "female", datetime.date(1990, 5, 1), "CI", 40),
        ("Moussa", "Camara", "male", datetime.date(1985, 1, 20), "GN", 30),
        ("Fatou", "=Sow", "female", datetime.date(2001, 12, 31), "SN", 20),
        ("Ibrahim", "Traoré", "male", None, "ML", 10),
        ("Mariam", "Diallo", "female", datetime.date(1979, 7, 7), "GN", 5),
    ]
    cases = []
    for given, family, sex, dob, nat, days_ago in specs:
        overrides = {"given_name": given, "family_name": family, "sex": sex, "nationality": nat}
        overrides["date_of_birth"] = dob
        if dob is None:
            overrides["birth_year"] = 1995
        members = []
        if given == "Moussa":
            members = [
                {
                    "relationship": "spouse",
                    "person": person_data(
                        given_name="Kadiatou",
                        family_name="Camara",
                        sex="female",
                        date_of_birth=datetime.date(1988, 2, 2),
                    ),
                }
            ]
        cases.append(
            register_case(
                caseworker,
                rabat,
                principal=person_data(**overrides),
                members=members,
                registered_on=today - datetime.timedelta(days=days_ago),
            )
        )
    return cases


@pytest.fixture
def oujda_case(other_office_user, oujda):
    return register_case(
        other_office_user,
        oujda,
        principal=person_data(given_name="Secret", family_name="Oujda", nationality="GN"),
    )


def run_request(capture, service, *args, **kwargs):
    """Call export_request and run what it enqueued on commit (the eager task)."""
    with capture(execute=True):
        job = service(*args, **kwargs)
    job.refresh_from_db()
    return job


def file_bytes(job: ExportJob) -> bytes:
    return writers.path_of(job.file_name).read_bytes()


def csv_rows(data: bytes) -> list[list[str]]:
    text = data.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def xlsx_rows(data: bytes) -> list[list]:
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    book.close()
    return rows
