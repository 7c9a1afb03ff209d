"""A Kobo server source: the token is sealed, the submissions are fetched (recorded API v2
responses) into an import job, imported, and fetching them again imports nothing new."""

import pytest

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.core.errors import PermissionDenied
from awda.imports import sealing, services
from awda.imports.choices import ImportMode, JobStatus, SourceKind
from awda.imports.kobo import KoboError
from awda.imports.tests.parsing.test_kobo_client import UID, Recorded, _data_routes

from .helpers import run

pytestmark = pytest.mark.django_db


def test_token_is_sealed_and_only_managers_save_kobo_servers(kobo_source, caseworker, rabat):
    assert kobo_source.kobo_token != "s3cr3t"
    assert sealing.unseal(kobo_source.kobo_token) == "s3cr3t"
    assert "s3cr3t" not in str(
        AuditEvent.objects.filter(action="imports.source.created").get().changes
    )
    with pytest.raises(PermissionDenied):
        services.source_create(
            caseworker,
            office=rabat,
            name="Mine",
            kind=SourceKind.KOBO_API,
            kobo_url="https://kf.kobotoolbox.org",
            kobo_token="x",
        )


def test_pull_import_and_pull_again_creates_nothing(
    kobo_source, caseworker, django_capture_on_commit_callbacks
):
    transport = Recorded(_data_routes())
    job = services.import_pull(caseworker, source=kobo_source, transport=transport)
    assert transport.calls[0][1]["Authorization"] == "Token s3cr3t"
    assert job.file_name.endswith(".json") and job.source == kobo_source and job.total == 3
    job = services.import_preview(caseworker, job=job)
    job = run(django_capture_on_commit_callbacks, caseworker, job, ImportMode.VALID_ONLY)
    assert job.status == JobStatus.DONE, job.error
    assert job.created + job.rejected == 3 and job.created >= 1
    cases = Case.objects.count()
    again = services.import_pull(caseworker, source=kobo_source, transport=Recorded(_data_routes()))
    again = services.import_preview(caseworker, job=again)
    assert again.already_imported == job.created
    again = run(django_capture_on_commit_callbacks, caseworker, again, ImportMode.VALID_ONLY)
    assert again.created == 0 and Case.objects.count() == cases


def test_refused_token_is_a_clear_error(kobo_source, caseworker):
    routes = {f"/api/v2/assets/{UID}/data/": (401, "kobo_401.json")}
    with pytest.raises(KoboError) as exc:
        services.import_pull(caseworker, source=kobo_source, transport=Recorded(routes))
    assert exc.value.code == "kobo_auth" and exc.value.status == 400
