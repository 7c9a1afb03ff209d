from awda.accounts.choices import MissionKind
from awda.factories import MissionFactory
from awda.screening.selectors import default_origin_mission
from awda.screening.trafficking.readiness import applies, traveller_states

from ..conftest import hand_over
from ..helpers import flag, interview


def test_a_later_screening_without_indicators_unflags_but_records_stay(
    caseworker, protection_officer, case
):
    flag(caseworker, case)
    member = case.members.get()
    interview(protection_officer, case)
    flag(protection_officer, case, trafficking_indicators=False)  # only protection may clear it
    state = traveller_states(case, [member.person_id])[member.person_id]
    assert not state.flagged and state.interviewed and applies(state)


def test_default_origin_mission(case, guinea):
    assert default_origin_mission(case) == guinea  # country of return GN
    mali = MissionFactory(code="ML", name="Mali", country_alpha3="MLI", kind=MissionKind.ORIGIN)
    hand_over(case, mali)
    assert default_origin_mission(case) == mali
