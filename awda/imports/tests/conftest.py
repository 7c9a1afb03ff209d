import pytest

from awda.accounts.choices import Role
from awda.factories import member_of


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Each test stores its uploads and rejected files in a folder of its own."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def finance_officer(rabat):
    return member_of(rabat, Role.FINANCE, "finance.rabat")
