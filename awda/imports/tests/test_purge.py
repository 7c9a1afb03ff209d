import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from awda.imports import storage
from awda.imports.models import ImportJob

from .helpers import csv_bytes, good_rows, upload

pytestmark = pytest.mark.django_db


def test_the_command_deletes_the_files_of_imports_older_than_the_retention(
    caseworker, rabat, settings
):
    settings.AWDA_IMPORT_RETENTION_DAYS = 30
    old = upload(caseworker, rabat, csv_bytes(good_rows(2)), name="old.csv")
    recent = upload(caseworker, rabat, csv_bytes(good_rows(2, start=10)), name="recent.csv")
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=31)
    )
    old_path = storage.path_of(old.file_path)
    assert old_path.exists()

    out = StringIO()
    call_command("imports_purge", stdout=out)

    assert "Files of 1 import(s) deleted." in out.getvalue()
    assert not old_path.exists()
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.file_path == "" and ImportJob.objects.filter(pk=old.pk).exists()
    assert recent.file_path and storage.path_of(recent.file_path).exists()
