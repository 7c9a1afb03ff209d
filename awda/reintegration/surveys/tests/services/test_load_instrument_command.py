"""The documented step: `manage.py load_instrument PATH [--inactive]`."""

import json

import pytest
from django.core.management import CommandError, call_command

from awda.reintegration.models import Instrument
from awda.reintegration.surveys.instrument import active_instrument

from ..unit.test_instrument_validation import small


def write(tmp_path, data, name="rss-official.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def official():
    data = small()
    data["code"], data["version"] = "rss", "iom-2019"
    return data


def test_loading_an_official_instrument(db, tmp_path, capsys):
    call_command("load_instrument", str(write(tmp_path, official())))
    assert "Loaded rss iom-2019" in capsys.readouterr().out
    loaded = active_instrument()
    assert loaded.version == "iom-2019" and not loaded.is_placeholder
    assert loaded.source.endswith("rss-official.json")


def test_loading_inactive(db, tmp_path):
    call_command("load_instrument", str(write(tmp_path, official())), "--inactive")
    assert Instrument.objects.get(version="iom-2019").is_active is False
    assert active_instrument().version == "placeholder-1"


def test_loading_twice_does_nothing_the_second_time(db, tmp_path, capsys):
    path = write(tmp_path, official())
    call_command("load_instrument", str(path))
    call_command("load_instrument", str(path))
    assert "nothing to do" in capsys.readouterr().out
    assert Instrument.objects.filter(version="iom-2019").count() == 1


def test_weights_that_do_not_add_up_are_refused_with_a_clear_message(db, tmp_path, capsys):
    data = official()
    data["dimensions"][0]["weights"] = {"inc": "0.5", "food": "0.4"}  # declared sum 1
    before = Instrument.objects.count()
    with pytest.raises(CommandError) as exc:
        call_command("load_instrument", str(write(tmp_path, data)))
    assert "not valid" in str(exc.value) and "nothing was loaded" in str(exc.value)
    err = capsys.readouterr().err
    assert "economic" in err and "add up to 0.9" in err and "declared sum 1" in err
    assert Instrument.objects.count() == before


def test_a_changed_file_with_the_same_version_is_refused(db, tmp_path):
    call_command("load_instrument", str(write(tmp_path, official())))
    data = official()
    data["name"]["en"] = "Renamed"
    with pytest.raises(CommandError, match="new version"):
        call_command("load_instrument", str(write(tmp_path, data, "changed.json")))


def test_a_missing_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("load_instrument", str(tmp_path / "nope.json"))
