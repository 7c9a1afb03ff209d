from hypothesis import given
from hypothesis import strategies as st

from awda.cases.choices import Priority
from awda.screening.derivation import derive, present_codes
from awda.screening.factors import BY_CODE, FACTOR_CODES, FACTORS, REQUIREMENTS, Flag, Level


def test_no_factor_is_normal_priority_without_flags_or_assessments():
    result = derive(set())
    assert result.priority == Priority.NORMAL
    assert result.flags == frozenset()
    assert result.requirements == ()


def test_unaccompanied_child_is_urgent_and_requires_a_best_interests_assessment():
    result = derive({"unaccompanied_child"})
    assert result.priority == Priority.URGENT
    assert result.flags == {Flag.UASC}
    assert result.requirements == ("best_interests_assessment",)


def test_trafficking_indicators_are_urgent_and_require_the_protection_interview():
    result = derive({"trafficking_indicators"})
    assert result.priority == Priority.URGENT
    assert result.flags == {Flag.VOT}
    assert result.requirements == ("trafficking_interview",)


def test_health_and_disability_require_one_medical_assessment():
    result = derive({"health_needs", "disability"})
    assert result.priority == Priority.HIGH
    assert result.flags == {Flag.HEALTH, Flag.DISABILITY}
    assert result.requirements == ("medical_assessment",)


def test_three_minor_factors_together_make_the_priority_high():
    assert derive({"no_income"}).priority == Priority.NORMAL
    assert derive({"no_income", "no_documents"}).priority == Priority.NORMAL
    triple = {"no_income", "no_documents", "no_support_network"}
    assert derive(triple).priority == Priority.HIGH
    assert derive(triple).flags == {Flag.OTHER}


def test_three_high_factors_together_make_the_priority_urgent():
    assert derive({"single_parent", "no_shelter"}).priority == Priority.HIGH
    assert derive({"single_parent", "no_shelter", "older_person"}).priority == Priority.URGENT


def test_present_codes_keeps_the_factors_answered_yes():
    assert present_codes({"disability": True, "pregnancy": False, "bogus": True}) == {"disability"}


def test_the_catalogue_is_consistent():
    assert len(FACTOR_CODES) == len(set(FACTOR_CODES))
    assert {f.level for f in FACTORS} == set(Level.values)
    for f in FACTORS:
        assert f.flag in Flag.values and f.flag != Flag.PROTECTION_REFERRAL
        assert all(code in REQUIREMENTS for code in f.requires)
        assert f.help and f.label
    assert BY_CODE["trafficking_indicators"].restricted


factor_sets = st.sets(st.sampled_from(FACTOR_CODES))


@given(factor_sets, factor_sets)
def test_adding_factors_never_lowers_the_priority_nor_drops_a_flag_or_assessment(base, extra):
    before, after = derive(base), derive(base | extra)
    assert after.priority >= before.priority
    assert after.flags >= before.flags
    assert set(after.requirements) >= set(before.requirements)


@given(factor_sets)
def test_priority_is_one_of_the_case_priorities(codes):
    assert derive(codes).priority in Priority.values
