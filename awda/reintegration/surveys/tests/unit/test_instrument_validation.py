"""The definition file's validation: every problem named, with the group, sums and codes."""

import copy
import json
from decimal import Decimal

import pytest

from awda.reintegration.surveys.instrument import (
    PLACEHOLDER_PATH,
    InstrumentInvalid,
    normalise,
    parse,
)


def small():
    """A minimal valid definition: one indicator per dimension, one question each."""

    def labels(text):
        return {"en": text, "fr": text + " (fr)"}

    def question(code, indicator):
        return {
            "code": code,
            "indicator": indicator,
            "text": labels(code),
            "options": [
                {"code": "yes", "label": labels("Yes"), "score": "1"},
                {"code": "half", "label": labels("Half"), "score": 0.5},
                {"code": "no", "label": labels("No"), "score": 0},
                {"code": "dk", "label": labels("Don't know"), "score": None},
            ],
        }

    return {
        "code": "test",
        "version": "1",
        "name": labels("Test"),
        "composite": {
            "weights": {"economic": "0.5", "social": "0.3", "psychosocial": "0.2"},
            "sum": "1",
        },
        "dimensions": [
            {
                "code": "economic",
                "label": labels("E"),
                "weights": {"inc": "0.6", "food": "0.4"},
                "sum": "1",
            },
            {"code": "social", "label": labels("S"), "weights": {"house": "1"}, "sum": "1"},
            {"code": "psychosocial", "label": labels("P"), "weights": {"safe": "2"}, "sum": "2"},
        ],
        "indicators": [
            {"code": "inc", "dimension": "economic", "label": labels("Income")},
            {"code": "food", "dimension": "economic", "label": labels("Food")},
            {"code": "house", "dimension": "social", "label": labels("Housing")},
            {"code": "safe", "dimension": "psychosocial", "label": labels("Safety")},
        ],
        "questions": [
            question("q_inc", "inc"),
            question("q_inc2", "inc"),
            question("q_food", "food"),
            question("q_house", "house"),
            question("q_safe", "safe"),
        ],
    }


def errors_of(data) -> list[str]:
    with pytest.raises(InstrumentInvalid) as exc:
        parse(data)
    return exc.value.errors


def test_a_valid_definition_is_parsed_with_decimal_weights():
    d = parse(small())
    assert [x.code for x in d.dimensions] == ["economic", "social", "psychosocial"]
    assert d.dimensions[0].weight == Decimal("0.5")
    assert d.indicators[0].weight == Decimal("0.6")
    assert d.questions[0].options[1].score == Decimal("0.5")
    assert d.questions[0].options[3].score is None


def test_the_placeholder_is_valid_with_equal_weights_and_19_topics():
    d, stored, digest = normalise(json.loads(PLACEHOLDER_PATH.read_text()))
    assert d.placeholder is True and (d.code, d.version) == ("rss", "placeholder-1")
    assert len(d.indicators) == 19 and len(d.questions) == 19
    assert {i.weight for i in d.indicators} == {Decimal(1)}
    assert {x.weight for x in d.dimensions} == {Decimal(1)}
    assert [len(d.indicators_of(x)) for x in ("economic", "social", "psychosocial")] == [5, 6, 8]
    assert all(q.text["fr"] and q.text["en"] for q in d.questions)
    assert len(digest) == 64


def test_weights_that_do_not_add_up_name_the_group_and_both_sums():
    data = small()
    data["dimensions"][0]["weights"]["food"] = "0.3"
    errors = errors_of(data)
    assert any("economic" in e and "0.9" in e and "declared sum 1" in e for e in errors), errors


def test_composite_weights_that_do_not_add_up_are_refused():
    data = small()
    data["composite"]["sum"] = "1.1"
    errors = errors_of(data)
    assert any("composite" in e and "add up to 1" in e and "1.1" in e for e in errors), errors


def test_a_missing_declared_sum_is_refused():
    data = small()
    del data["composite"]["sum"]
    assert any("declared sum" in e for e in errors_of(data))


@pytest.mark.parametrize("score", ["1.5", -0.1, "2"])
def test_scores_outside_0_to_1_are_refused(score):
    data = small()
    data["questions"][0]["options"][0]["score"] = score
    errors = errors_of(data)
    assert any("q_inc" in e and "outside 0 to 1" in e for e in errors), errors


def test_a_score_that_is_not_a_number_is_refused():
    data = small()
    data["questions"][0]["options"][0]["score"] = "high"
    assert any("not a number" in e for e in errors_of(data))


def test_unknown_dimension_and_indicator_are_refused():
    data = small()
    data["indicators"][0]["dimension"] = "cultural"
    data["questions"][0]["indicator"] = "nope"
    errors = errors_of(data)
    assert any("unknown dimension cultural" in e for e in errors), errors
    assert any("unknown indicator nope" in e for e in errors), errors


def test_an_indicator_without_questions_is_refused():
    data = small()
    data["questions"] = [q for q in data["questions"] if q["indicator"] != "food"]
    assert any("indicator food" in e and "no question" in e for e in errors_of(data))


def test_a_question_without_options_is_refused():
    data = small()
    data["questions"][0]["options"] = []
    assert any("q_inc" in e and "no options" in e for e in errors_of(data))


def test_duplicate_codes_are_refused():
    data = small()
    data["questions"][1]["code"] = "q_inc"
    data["questions"][0]["options"][1]["code"] = "yes"
    errors = errors_of(data)
    assert any("questions" in e and "q_inc is used twice" in e for e in errors), errors
    assert any("yes is used twice" in e for e in errors), errors


def test_missing_fields_are_named():
    data = small()
    del data["version"]
    del data["questions"][0]["text"]["fr"]
    del data["questions"][0]["options"][0]["score"]
    errors = errors_of(data)
    assert any("version is missing" in e for e in errors), errors
    assert any("q_inc" in e and "text has no text in fr" in e for e in errors), errors
    assert any("score is missing" in e for e in errors), errors


def test_a_missing_dimension_and_weights_for_unknown_indicators_are_refused():
    data = small()
    data["dimensions"] = data["dimensions"][:2]
    data["dimensions"][0]["weights"]["ghost"] = "0"
    errors = errors_of(data)
    assert any("psychosocial dimension is missing" in e for e in errors), errors
    assert any("unknown indicator ghost" in e for e in errors), errors


def test_zero_or_negative_weights_are_refused():
    data = small()
    data["dimensions"][1]["weights"]["house"] = "0"
    data["dimensions"][1]["sum"] = "0"
    assert any("greater than 0" in e for e in errors_of(data))


def test_every_problem_is_reported_at_once():
    data = small()
    data["composite"]["sum"] = "2"
    data["questions"][0]["options"][0]["score"] = 3
    data["indicators"][1]["dimension"] = "x"
    assert len(errors_of(data)) >= 3


def test_the_canonical_form_and_checksum_do_not_depend_on_number_spelling():
    a = small()
    b = copy.deepcopy(a)
    b["composite"]["weights"]["economic"] = 0.50
    b["questions"][0]["options"][0]["score"] = 1
    assert normalise(a)[2] == normalise(b)[2]
    c = copy.deepcopy(a)
    c["questions"][0]["text"]["en"] = "Changed"
    assert normalise(a)[2] != normalise(c)[2]
