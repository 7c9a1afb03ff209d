"""The gate (issue 3 §2): a case with a child the UASC procedure applies to cannot reach "ready
to travel", and so cannot be booked, until every step exists and the determination says return
is in the child's best interests. The refusal names the missing steps, neutrally."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from awda.cases import readiness
from awda.cases.models import Case
from awda.cases.services import case_member_update, case_transition
from awda.core.errors import TransitionRefused
from awda.factories import (
    bring_case_to,
    document_travellers,
    person_data,
    register_case,
    screen_travellers,
)
from awda.screening.children import services
from awda.screening.children.readiness import collect
from awda.screening.models import VulnerabilityScreening
from awda.screening.services import screening_record

from .. import steps
from ..conftest import years_ago

ALL_STEPS = [
    "identification",
    "assessment",
    "tracing",
    "caregiver",
    "determination",
    "guardian_consent",
    "escort",
    "reception",
]


def mark_ready(user, case):
    case = Case.objects.get(pk=case.pk)
    return case_transition(user, case=case, name="mark_ready", expected_version=case.version)


def refusal(user, case) -> list[str]:
    with pytest.raises(TransitionRefused) as exc:
        mark_ready(user, case)
    assert exc.value.code == "gate_failed"
    gates = {g["gate"]: g["messages"] for g in exc.value.details["failed_gates"]}
    assert set(gates) == {"travel_safeguards"}
    return gates["travel_safeguards"]


def uasc_checks(case):
    return {
        c.code: c
        for row in readiness.case_readiness(Case.objects.get(pk=case.pk))
        for c in row.checks
        if c.code.startswith("uasc.")
    }


@pytest.fixture
def ready_case(child_case, caseworker, manager):
    """Mamadou's case in pre-departure, screened (no factor), with his travel documents."""
    case = bring_case_to(child_case, "pre_departure", caseworker=caseworker, manager=manager)
    case = document_travellers(case, caseworker)
    return screen_travellers(case, caseworker)


def test_separated_child_is_refused_until_every_step_then_passes(
    ready_case, child, caseworker, protection_officer
):
    messages = refusal(caseworker, ready_case)
    assert messages == [
        f"Mamadou BAH: {label}"
        for label in (
            "Identification (missing)",
            "Best-interests assessment (missing)",
            "Family tracing (missing)",
            "Family or caregiver assessment (missing)",
            "Best-interests determination (missing)",
            "Guardian consent (missing)",
            "Escort plan with a trained escort (missing)",
            "Reception on arrival (missing)",
        )
    ]

    # part of the way: the refusal names only what is still missing
    steps.identify(protection_officer, ready_case, child)
    steps.assess(protection_officer, ready_case, child)
    steps.guardian_consent(protection_officer, ready_case, child)
    tracing = steps.trace(protection_officer, ready_case, child)
    steps.assess_caregiver(protection_officer, ready_case, child, outcome="not_suitable")
    assert refusal(caseworker, ready_case) == [
        "Mamadou BAH: Family tracing (family not yet located)",
        "Mamadou BAH: Family or caregiver assessment (missing)",
        "Mamadou BAH: Best-interests determination (missing)",
        "Mamadou BAH: Escort plan with a trained escort (missing)",
        "Mamadou BAH: Reception on arrival (missing)",
    ]

    steps.locate(protection_officer, tracing)
    steps.assess_caregiver(protection_officer, ready_case, child)
    steps.determine(protection_officer, ready_case, child, outcome="no_return")
    steps.plan_escort(protection_officer, ready_case, child, escort_trained=False)
    steps.arrange_reception(protection_officer, ready_case, child)
    assert refusal(caseworker, ready_case) == [
        "Mamadou BAH: Best-interests determination (missing)",
        "Mamadou BAH: Escort plan with a trained escort (escort not trained)",
    ]
    # a refusal reveals no finding, outcome or reason
    assert not any("return" in m or "Labé" in m for m in refusal(caseworker, ready_case))

    steps.determine(protection_officer, ready_case, child, outcome="return")
    steps.plan_escort(protection_officer, ready_case, child)
    assert all(c.ok for c in uasc_checks(ready_case).values())
    case = mark_ready(caseworker, ready_case)
    assert case.status == "ready_to_travel"


def test_reopening_the_determination_blocks_travel_again_and_booking(
    ready_case, child, caseworker, manager, protection_officer
):
    steps.complete_procedure(protection_officer, ready_case, child)
    case = mark_ready(caseworker, ready_case)
    assert case.status == "ready_to_travel"
    bid = ready_case_determination(case)
    services.determination_reopen(protection_officer, determination=bid, reason="New facts")
    case = Case.objects.get(pk=case.pk)
    _confirmed_seats(case)  # movements: every traveller holds a confirmed booking
    with pytest.raises(TransitionRefused) as exc:
        case_transition(manager, case=case, name="book", expected_version=case.version)
    assert exc.value.details["failed_gates"][0]["messages"] == [
        "Mamadou BAH: Best-interests determination (reopened: a new determination is needed)"
    ]
    steps.determine(protection_officer, case, child)
    case = Case.objects.get(pk=case.pk)
    case = case_transition(manager, case=case, name="book", expected_version=case.version)
    assert case.status == "booked"


def _confirmed_seats(case):
    from django.utils import timezone

    from awda.cases.readiness import travellers
    from awda.movements.models import Booking

    for member in travellers(case):
        Booking.objects.create(
            case=case,
            person=member.person,
            status="confirmed",
            travel_date=timezone.localdate(),
            created_by=case.created_by,
        )


def ready_case_determination(case):
    from awda.screening.children.models import BestInterestsDetermination

    return BestInterestsDetermination.objects.get(case=case)


def test_a_child_travelling_with_her_mother_is_not_concerned(family, caseworker, manager):
    case = bring_case_to(family, "ready_to_travel", caseworker=caseworker, manager=manager)
    assert case.status == "ready_to_travel"
    assert uasc_checks(case) == {}


def test_a_child_whose_only_adult_does_not_travel_is_concerned(caseworker, manager, rabat, guinea):
    case = register_case(
        caseworker,
        rabat,
        principal=person_data(
            given_name="Mariama", family_name="Diallo", sex="female", date_of_birth=years_ago(15)
        ),
        members=[
            {
                "relationship": "other_relative",
                "person": person_data(given_name="Sory"),
                "travels": False,
            }
        ],
    )
    assert set(uasc_checks(case)) == {f"uasc.{s}" for s in ALL_STEPS}
    # once the uncle travels with her, the rules no longer presume she is alone
    uncle = case.members.get(is_principal=False)
    case_member_update(caseworker, case=Case.objects.get(pk=case.pk), member=uncle, travels=True)
    assert uasc_checks(case) == {}


def test_the_screening_flag_or_an_identification_decides(family, caseworker, protection_officer):
    daughter = family.members.select_related("person").get(is_principal=False)
    screening_record(
        caseworker,
        case=family,
        member=daughter,
        factors={"unaccompanied_child": True},
        expected_version=Case.objects.get(pk=family.pk).version,
    )
    assert VulnerabilityScreening.objects.get().unaccompanied_child
    assert len(uasc_checks(family)) == 8  # flagged by the screening
    steps.identify(protection_officer, family, daughter.person, care_status="accompanied")
    assert uasc_checks(family) == {}  # identified as accompanied: lifted
    steps.identify(protection_officer, family, daughter.person, care_status="unaccompanied")
    assert len(uasc_checks(family)) == 8


def test_an_identification_as_an_adult_lifts_the_procedure(child_case, child, protection_officer):
    assert len(uasc_checks(child_case)) == 8
    steps.identify(protection_officer, child_case, child, age_years=19, age_basis="age_assessment")
    assert uasc_checks(child_case) == {}


def test_checks_are_not_restricted_so_a_caseworker_sees_what_is_missing(child_case, caseworker):
    rows = readiness.readiness_for(caseworker, Case.objects.get(pk=child_case.pk))
    labels = [c.label for c in rows[0].checks if c.code.startswith("uasc.")]
    assert "Best-interests determination" in labels


def _collect_queries(case):
    case = Case.objects.get(pk=case.pk)
    travellers = readiness.travellers(case)
    with CaptureQueriesContext(connection) as ctx:
        result = collect(case, travellers, steps.today())
    return len(ctx.captured_queries), result


def test_fixed_number_of_queries_whatever_the_number_of_children(
    caseworker, protection_officer, rabat, guinea
):
    def siblings(n):
        return register_case(
            caseworker,
            rabat,
            principal=person_data(given_name="Elder", date_of_birth=years_ago(17)),
            members=[
                {
                    "relationship": "sibling",
                    "person": person_data(given_name=f"Young{i}", date_of_birth=years_ago(10 + i)),
                }
                for i in range(n)
            ],
        )

    one, three = siblings(0), siblings(2)
    for case in (one, three):
        for m in case.members.select_related("person"):
            steps.complete_procedure(protection_officer, case, m.person)
    count_one, result_one = _collect_queries(one)
    count_three, result_three = _collect_queries(three)
    assert len(result_one) == 1 and len(result_three) == 3
    assert all(c.ok for checks in result_three.values() for c in checks)
    assert count_one == count_three
    # nobody concerned: the records are not even read
    count_none, result_none = _collect_queries(
        register_case(caseworker, rabat, principal=person_data(given_name="Adult"))
    )
    assert result_none == {} and count_none < count_one
