import pytest

from awda.cases.tests.browser.conftest import browser, page  # noqa: F401


@pytest.fixture(autouse=True)
def bundled_instrument(transactional_db):
    """The survey instrument the data migration loads: a transactional test that ran before (the
    other apps' browser tests) flushed every table, so load it again as the migration does."""
    from awda.reintegration.surveys.instrument import (
        PLACEHOLDER_PATH,
        active_instrument,
        instrument_load,
    )

    if active_instrument() is None:
        instrument_load(None, path=PLACEHOLDER_PATH)
