"""A person identified as a (presumed) victim in one case who comes back in a new case is still
one: the new case needs its own return-risk assessment and acceptance before travel."""

from awda.cases import readiness
from awda.cases import services as case_services
from awda.factories import document_travellers, screen_travellers

from ..helpers import determine, flag, interview, principal


def test_an_earlier_determination_keeps_the_safeguards_in_a_new_case(
    caseworker, protection_officer, rabat, case
):
    flag(protection_officer, case, trafficking_indicators=True)
    interview(protection_officer, case)
    determine(protection_officer, case, outcome="victim")
    person = principal(case).person
    case_services.case_transition(caseworker, case=case, name="withdraw", reason="Left")

    second = case_services.case_register(caseworker, office=rabat, principal_person=person)
    # the caseworker screens without the restricted answer: it is carried over anyway
    second = screen_travellers(second, caseworker)
    checks = {c.code: c.ok for c in readiness.case_readiness(second)[0].checks}
    assert checks["vot.interview"] and checks["vot.determination"]
    assert checks["vot.risk_assessment"] is False and checks["vot.acceptance"] is False


def test_indicators_found_in_another_case_since_apply_here_too(
    caseworker, protection_officer, rabat, case
):
    """The caseworker screened the person in a second case first (nothing found); then a
    protection officer found indicators in the first case: the second case is held too."""
    person = principal(case).person
    second = case_services.case_register(caseworker, office=rabat, principal_person=person)
    second = screen_travellers(second, caseworker)
    second = document_travellers(second, caseworker)
    assert all(r.ready for r in readiness.case_readiness(second))
    flag(protection_officer, case, trafficking_indicators=True)
    codes = {c.code for c in readiness.case_readiness(second)[0].checks}
    assert {"vot.interview", "vot.determination"} <= codes


def test_the_tab_shows_the_same_safeguards_as_the_checklist(
    client, caseworker, protection_officer, rabat, case
):
    flag(protection_officer, case, trafficking_indicators=True)
    interview(protection_officer, case)
    determine(protection_officer, case, outcome="victim")
    person = principal(case).person
    case_services.case_transition(caseworker, case=case, name="withdraw", reason="Left")
    second = case_services.case_register(caseworker, office=rabat, principal_person=person)
    second = screen_travellers(second, caseworker)
    client.force_login(protection_officer)
    html = client.get(f"/cases/{second.pk}/?tab=protection").content.decode()
    assert 'data-code="vot.interview" data-ok="1"' in html
    assert 'data-code="vot.risk_assessment" data-ok="0"' in html
    assert 'data-testid="vot-earlier"' in html
