from django.db import connection
from django.test.utils import CaptureQueriesContext

from awda.accounts.choices import MissionKind
from awda.factories import MissionFactory
from awda.screening.trafficking import selectors

from ..conftest import hand_over
from ..helpers import flag, interview


def test_restricted_summary_names_persons_flagged_or_with_a_record(
    caseworker, protection_officer, family
):
    members = list(family.members.order_by("-is_principal", "id"))
    assert selectors.restricted_summary(family) == {}
    flag(caseworker, family, member=members[0])
    interview(protection_officer, family, member=members[2])
    with CaptureQueriesContext(connection) as ctx:
        summary = selectors.restricted_summary(family)
    assert summary == {members[0].person_id: True, members[2].person_id: True}
    assert len(ctx.captured_queries) == 2


def test_a_later_screening_without_indicators_unflags_but_records_stay(
    caseworker, protection_officer, case
):
    flag(caseworker, case)
    member = case.members.get()
    interview(protection_officer, case)
    flag(protection_officer, case, trafficking_indicators=False)  # only protection may clear it
    assert selectors.flagged_person_ids(case) == set()
    assert selectors.restricted_summary(case) == {member.person_id: True}


def test_default_origin_mission(case, guinea):
    assert selectors.default_origin_mission(case) == guinea  # country of return GN
    mali = MissionFactory(code="ML", name="Mali", country_alpha3="MLI", kind=MissionKind.ORIGIN)
    hand_over(case, mali)
    assert selectors.default_origin_mission(case) == mali
