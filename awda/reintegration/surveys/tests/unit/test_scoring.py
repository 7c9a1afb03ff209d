"""score(): a pure function of the definition and the answers."""

import copy
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from awda.reintegration.surveys.instrument import parse
from awda.reintegration.surveys.scoring import AnswerError, score

from .test_instrument_validation import small

D = Decimal
SCORE_VALUES = [D(0), D("0.25"), D("0.5"), D("0.75"), D(1)]


def instrument(weights=None, composite=None, equal=False):
    """`small()` with each question's options scoring 0, .25, .5, .75, 1 (codes s0..s4) and a
    don't know (dk); optionally other indicator / composite weights."""
    data = small()
    for q in data["questions"]:
        q["options"] = [
            {"code": f"s{i}", "label": {"en": str(v), "fr": str(v)}, "score": str(v)}
            for i, v in enumerate(SCORE_VALUES)
        ] + [{"code": "dk", "label": {"en": "dk", "fr": "nsp"}, "score": None}]
    if equal:
        weights = {"inc": 1, "food": 1, "house": 1, "safe": 1}
        composite = {"economic": 1, "social": 1, "psychosocial": 1}
    if weights:
        for dim in data["dimensions"]:
            dim["weights"] = {k: str(weights[k]) for k in dim["weights"]}
            dim["sum"] = str(sum(D(str(weights[k])) for k in dim["weights"]))
    if composite:
        data["composite"] = {
            "weights": {k: str(v) for k, v in composite.items()},
            "sum": str(sum(D(str(v)) for v in composite.values())),
        }
    return parse(data)


QUESTIONS = ["q_inc", "q_inc2", "q_food", "q_house", "q_safe"]


def test_worked_example():
    # economic: inc = mean(1, 0.5) = 0.75, food = 0 -> 0.6*0.75 + 0.4*0 = 0.45
    # social 0.25; psychosocial 1; composite 0.5*0.45 + 0.3*0.25 + 0.2*1 = 0.5
    d = instrument()
    s = score(d, {"q_inc": "s4", "q_inc2": "s2", "q_food": "s0", "q_house": "s1", "q_safe": "s4"})
    assert (s.economic, s.social, s.psychosocial, s.composite) == (
        D("0.4500"),
        D("0.2500"),
        D("1.0000"),
        D("0.5000"),
    )


def test_dont_know_is_left_out_and_weights_are_renormalised():
    d = instrument()
    # inc2 unknown: inc = 1; food unknown: economic = inc alone = 1
    s = score(d, {"q_inc": "s4", "q_inc2": "dk", "q_food": "dk", "q_house": "s0", "q_safe": "s0"})
    assert s.economic == D("1.0000")
    assert s.composite == D("0.5000")  # 0.5*1 + 0.3*0 + 0.2*0


def test_a_dimension_without_any_scored_answer_has_no_score_and_the_composite_renormalises():
    d = instrument()
    s = score(d, {"q_inc": "s4", "q_inc2": "s4", "q_food": "s4", "q_house": "dk", "q_safe": "s0"})
    assert s.social is None
    assert s.composite == D("0.7143")  # 0.5 / 0.7, rounded half up
    assert not s.complete


def test_the_stored_dict_form_scores_the_same():
    from awda.reintegration.surveys.instrument import canonical

    d = instrument()
    answers = dict.fromkeys(QUESTIONS, "s3")
    assert score(canonical(d), answers) == score(d, answers)


def test_missing_answers_are_listed():
    with pytest.raises(AnswerError) as exc:
        score(instrument(), {"q_inc": "s1", "q_food": ""})
    assert exc.value.missing == ["q_inc2", "q_food", "q_house", "q_safe"]


def test_an_answer_that_is_not_an_option_is_refused():
    answers = dict.fromkeys(QUESTIONS, "s1") | {"q_safe": "maybe", "q_extra": "s1"}
    with pytest.raises(AnswerError) as exc:
        score(instrument(), answers)
    assert exc.value.invalid == {"q_safe": "maybe"}
    assert exc.value.unknown == ["q_extra"]


answer_st = st.sampled_from(["s0", "s1", "s2", "s3", "s4", "dk"])
answers_st = st.fixed_dictionaries({q: answer_st for q in QUESTIONS})
weight_st = st.decimals(min_value=D("0.01"), max_value=D(100), places=2)
weights_st = st.fixed_dictionaries({k: weight_st for k in ("inc", "food", "house", "safe")})
composite_st = st.fixed_dictionaries({k: weight_st for k in ("economic", "social", "psychosocial")})


@settings(max_examples=150, deadline=None)
@given(answers=answers_st, weights=weights_st, composite=composite_st)
def test_scores_stay_between_0_and_1(answers, weights, composite):
    s = score(instrument(weights, composite), answers)
    for value in (s.economic, s.social, s.psychosocial, s.composite):
        assert value is None or D(0) <= value <= D(1)
        assert value is None or value == value.quantize(D("0.0001"))


@settings(max_examples=50, deadline=None)
@given(choice=st.integers(min_value=0, max_value=4))
def test_with_equal_weights_and_equal_scores_every_score_is_that_score(choice):
    s = score(instrument(equal=True), dict.fromkeys(QUESTIONS, f"s{choice}"))
    expected = SCORE_VALUES[choice].quantize(D("0.0001"))
    assert (s.economic, s.social, s.psychosocial, s.composite) == (expected,) * 4


DIMENSION_OF = {
    "q_inc": "economic",
    "q_inc2": "economic",
    "q_food": "economic",
    "q_house": "social",
    "q_safe": "psychosocial",
}


@settings(max_examples=150, deadline=None)
@given(
    answers=answers_st,
    weights=weights_st,
    composite=composite_st,
    question=st.sampled_from(QUESTIONS),
    data=st.data(),
)
def test_raising_one_answer_never_lowers_its_dimension(answers, weights, composite, question, data):
    current = answers[question]
    if current == "dk":
        return
    low = int(current[1])
    higher = data.draw(st.integers(min_value=low, max_value=4))
    d = instrument(weights, composite)
    before = score(d, answers)
    after = score(d, answers | {question: f"s{higher}"})
    dim = DIMENSION_OF[question]
    assert getattr(after, dim) >= getattr(before, dim)


def test_scoring_does_not_change_its_inputs():
    d = instrument()
    answers = dict.fromkeys(QUESTIONS, "s2")
    kept = copy.deepcopy(answers)
    score(d, answers)
    assert answers == kept
