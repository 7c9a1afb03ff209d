import copy

import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import ValidationFailed
from awda.reintegration.models import Instrument
from awda.reintegration.surveys.instrument import (
    INSTRUMENT_LOADED,
    PLACEHOLDER_PATH,
    InstrumentInvalid,
    active_instrument,
    instrument_load,
    read_file,
)

from ..unit.test_instrument_validation import small


def official(version="2019-1"):
    data = small()
    data["code"], data["version"] = "rss", version
    return data


def test_every_database_has_the_placeholder_in_use(db):
    placeholder = Instrument.objects.get(code="rss", version="placeholder-1")
    assert placeholder.is_placeholder and placeholder.is_active
    assert len(placeholder.definition["questions"]) == 19
    assert active_instrument() == placeholder


def test_loading_the_placeholder_again_is_a_no_op(db):
    before = Instrument.objects.count()
    again = instrument_load(None, path=PLACEHOLDER_PATH)
    assert again == Instrument.objects.get(code="rss", version="placeholder-1")
    assert Instrument.objects.count() == before
    assert not AuditEvent.objects.filter(action=INSTRUMENT_LOADED).exists()


def test_a_new_version_is_stored_audited_and_used_for_new_surveys(db):
    loaded = instrument_load(None, data=official())
    assert (loaded.code, loaded.version, loaded.is_placeholder) == ("rss", "2019-1", False)
    assert len(loaded.checksum) == 64
    assert active_instrument() == loaded
    assert Instrument.objects.filter(code="rss").count() == 2  # the placeholder stays
    event = AuditEvent.objects.get(action=INSTRUMENT_LOADED)
    assert event.changes["version"] == "2019-1"


def test_an_inactive_version_is_not_used(db):
    instrument_load(None, data=official(), activate=False)
    assert active_instrument().version == "placeholder-1"


def test_the_same_version_with_other_content_is_refused(db):
    instrument_load(None, data=official())
    changed = copy.deepcopy(official())
    changed["questions"][0]["text"]["en"] = "Other wording"
    with pytest.raises(ValidationFailed) as exc:
        instrument_load(None, data=changed)
    assert exc.value.code == "instrument_version_taken"
    assert "new version" in str(exc.value.message)
    assert Instrument.objects.filter(code="rss").count() == 2


def test_an_invalid_definition_stores_nothing(db):
    data = official()
    data["composite"]["sum"] = "3"
    before = Instrument.objects.count()
    with pytest.raises(InstrumentInvalid):
        instrument_load(None, data=data)
    assert Instrument.objects.count() == before
    assert not AuditEvent.objects.filter(action=INSTRUMENT_LOADED).exists()


def test_a_file_that_is_not_json_is_refused(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text("{not json")
    with pytest.raises(InstrumentInvalid) as exc:
        read_file(path)
    assert "not valid JSON" in exc.value.errors[0]
