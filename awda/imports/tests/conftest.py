import pytest

from awda.accounts.choices import Role
from awda.factories import member_of
from awda.imports import services
from awda.imports.choices import SourceKind
from awda.imports.tests.parsing.test_kobo_client import UID


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test stores its uploads and rejected files in a folder of its own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def finance_officer(rabat):
    return member_of(rabat, Role.FINANCE, "finance.rabat")


@pytest.fixture
def kobo_source(manager, rabat):
    """A Kobo server source of the Rabat office (the form of the recorded responses)."""
    return services.source_create(
        manager,
        office=rabat,
        name="Kobo Rabat",
        kind=SourceKind.KOBO_API,
        kobo_url="https://kf.kobotoolbox.org",
        kobo_asset_uid=UID,
        kobo_token="s3cr3t",
    )
