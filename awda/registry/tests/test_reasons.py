"""The texts of the duplicate engine's reasons: one per code, filled with the params, translated,
strongest first."""

import pytest
from django.utils import translation

from awda.registry.matching import REASON_CODES, Match, Reason
from awda.registry.reasons import _TEXTS, match_reasons, reason_text, reasons_payload

SAMPLE_PARAMS = {
    "number": "AB123456",
    "phone": "+212 661 23 45 67",
    "a": "Jallow",
    "b": "Diallo",
    "days": 3,
    "years": 1,
}


def test_every_engine_code_has_a_text_and_no_other():
    assert set(_TEXTS) == set(REASON_CODES)


@pytest.mark.parametrize("code", sorted(REASON_CODES))
def test_each_text_uses_its_params(code):
    params = {k: SAMPLE_PARAMS[k] for k in REASON_CODES[code]}
    with translation.override("en"):
        text = reason_text(Reason(code, params, 0.1))
        bare = reason_text(Reason(code, {}, 0.1))
    assert text and bare and "%(" not in text and "%(" not in bare
    for value in params.values():
        assert str(value) in text


def test_examples_read_as_sentences():
    with translation.override("en"):
        assert reason_text(Reason("name_variant", {"a": "Jallow", "b": "Diallo"})) == (
            "Name variant: Jallow ~ Diallo"
        )
        assert reason_text(Reason("same_phone", {})) == "Same phone number"
        assert reason_text(Reason("birth_year_differs", {"years": -1})) == (
            "Year of birth differs by 1"
        )
        assert reason_text(Reason("date_of_birth_close", {"days": 2})) == (
            "Date of birth close (2 days apart)"
        )


def test_an_unknown_code_is_shown_rather_than_dropped():
    assert reason_text(Reason("new_engine_code", {})) == "New engine code"


def test_reasons_strongest_first_then_the_ones_against():
    match = Match(
        0.7,
        (
            Reason("same_nationality", {}, 0.1),
            Reason("different_sex", {}, -0.2),
            Reason("same_phone", {"phone": "0661"}, 0.5),
            Reason("birth_year_differs", {"years": 3}, -0.4),
        ),
    )
    with translation.override("en"):
        texts = match_reasons(match)
        payload = reasons_payload(match)
    assert texts == [
        "Same phone number: 0661",
        "Same nationality",
        "Year of birth differs by 3",
        "Different sex",
    ]
    assert [r["code"] for r in payload] == [
        "same_phone",
        "same_nationality",
        "birth_year_differs",
        "different_sex",
    ]
    assert payload[0] == {
        "code": "same_phone",
        "params": {"phone": "0661"},
        "text": "Same phone number: 0661",
        "weight": 0.5,
    }
    assert payload[-1]["weight"] == -0.2
