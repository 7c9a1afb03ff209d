"""Password-protected exports cannot be opened without the password and open with it: XLSX as an
encrypted workbook (what Excel and LibreOffice ask the password for), CSV in an AES ZIP."""

import io
import zipfile

import msoffcrypto
import openpyxl
import pytest
import pyzipper

from awda.reports.exports import services
from awda.reports.exports.choices import JobStatus

from .conftest import csv_rows, file_bytes, run_request, xlsx_rows

pytestmark = pytest.mark.django_db

PASSWORD = "Rabat-2026-exports"


def export(user, capture, fmt, password=None):
    return run_request(
        capture, services.export_request, user, kind="case_list", format=fmt, password=password
    )


def test_protected_xlsx_opens_only_with_its_password(
    caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    plain = export(caseworker, django_capture_on_commit_callbacks, "xlsx")
    job = export(caseworker, django_capture_on_commit_callbacks, "xlsx", PASSWORD)
    data = file_bytes(job)

    assert job.status == JobStatus.DONE and job.password_protected
    assert job.file_name.endswith(".xlsx")
    assert b"Konat" not in data
    office_file = msoffcrypto.OfficeFile(io.BytesIO(data))
    assert office_file.is_encrypted()
    with pytest.raises(zipfile.BadZipFile):  # not a readable workbook without the password
        openpyxl.load_workbook(io.BytesIO(data))
    with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
        office_file.load_key(password="wrong-password")
        office_file.decrypt(io.BytesIO())

    clear = io.BytesIO()
    office_file = msoffcrypto.OfficeFile(io.BytesIO(data))
    office_file.load_key(password=PASSWORD)
    office_file.decrypt(clear)
    assert xlsx_rows(clear.getvalue()) == xlsx_rows(file_bytes(plain))
    assert len(xlsx_rows(clear.getvalue())) == 1 + len(rabat_cases)


def test_protected_csv_is_an_aes_zip_that_opens_only_with_its_password(
    caseworker, rabat_cases, django_capture_on_commit_callbacks
):
    plain = export(caseworker, django_capture_on_commit_callbacks, "csv")
    job = export(caseworker, django_capture_on_commit_callbacks, "csv", PASSWORD)
    data = file_bytes(job)

    assert job.file_name.endswith(".zip")
    assert services.download_name(job).endswith(".zip")
    assert b"Konat" not in data
    with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
        (entry,) = archive.infolist()
        assert entry.filename == "cases.csv"
        with pytest.raises(RuntimeError, match="requires a password"):
            archive.read(entry)
        archive.setpassword(b"wrong-password")
        with pytest.raises(RuntimeError, match="Bad password"):
            archive.read(entry)
        archive.setpassword(PASSWORD.encode())
        content = archive.read(entry)
    assert csv_rows(content) == csv_rows(file_bytes(plain))
    assert len(csv_rows(content)) == 1 + len(rabat_cases)


def test_no_clear_copy_is_left_beside_a_protected_file(
    caseworker, rabat_cases, private_media, django_capture_on_commit_callbacks
):
    export(caseworker, django_capture_on_commit_callbacks, "xlsx", PASSWORD)
    export(caseworker, django_capture_on_commit_callbacks, "csv", PASSWORD)

    names = sorted(p.name for p in (private_media / "exports").iterdir())
    assert len(names) == 2
    assert [n.rsplit(".", 1)[-1] for n in names] in (["xlsx", "zip"], ["zip", "xlsx"])


def test_export_files_are_private_to_the_server_account(
    caseworker, rabat_cases, private_media, django_capture_on_commit_callbacks
):
    job = export(caseworker, django_capture_on_commit_callbacks, "csv")

    path = private_media / job.file_name
    assert path.stat().st_mode & 0o777 == 0o600
    assert (private_media / "exports").stat().st_mode & 0o777 == 0o700
