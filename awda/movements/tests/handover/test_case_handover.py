"""The handover to the origin mission (movements.handover.case_handover)."""

import pytest

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.factories import MissionFactory, bring_case_to
from awda.movements.handover import HANDED_OVER, case_handover, handover_plan
from awda.movements.models import Handover
from awda.screening.consent.choices import Purpose
from awda.screening.consent.models import DataTransfer

from .conftest import consent, fresh


def nothing_changed(case):
    case = fresh(case)
    assert case.receiving_mission_id is None and case.handed_over_at is None
    assert not Handover.objects.filter(case=case).exists()
    assert not DataTransfer.objects.filter(case=case).exists()
    assert not AuditEvent.objects.filter(case_id=case.pk, action=HANDED_OVER).exists()


def test_handover_without_consent_is_refused_naming_who_and_changes_nothing(ready_case, caseworker):
    awa = ready_case.members.get(is_principal=False).person
    consent(caseworker, ready_case, Purpose.ORIGIN_MISSION, who=[ready_case.principal])
    with pytest.raises(ValidationFailed) as refused:
        case_handover(caseworker, case=fresh(ready_case))
    assert refused.value.code == "consent_missing"
    assert awa.full_name in str(refused.value.message)
    assert ready_case.principal.full_name not in str(refused.value.message)
    nothing_changed(ready_case)


def test_handover_logs_the_transfer_and_sets_the_receiving_mission(consented, caseworker, guinea):
    handover = case_handover(caseworker, case=consented, notes="Reception at Conakry airport")
    case = fresh(consented)
    assert case.receiving_mission == guinea and case.handed_over_at is not None
    assert handover.mission == guinea
    # health is withheld: nobody consented to sharing health data
    assert handover.categories == ["identity", "contact", "case", "documents"]
    assert handover.withheld == ["health"]
    transfer = handover.transfer
    assert transfer.purpose == Purpose.ORIGIN_MISSION and transfer.recipient == "Guinea"
    assert transfer.categories == handover.categories
    assert set(transfer.persons.values_list("pk", flat=True)) == set(
        case.members.values_list("person_id", flat=True)
    )
    event = AuditEvent.objects.get(case_id=case.pk, action=HANDED_OVER)
    assert event.changes["mission"] == "GN" and event.changes["withheld"] == []
    assert event.changes["transfer"] == transfer.pk


def test_health_is_shared_only_when_every_traveller_consented_to_health_data(consented, caseworker):
    consent(caseworker, consented, Purpose.HEALTH_DATA, who=[consented.principal])
    plan = handover_plan(fresh(consented))
    health = next(c for c in plan.categories if c.code == "health")
    assert not health.allowed and health.missing == ["Awa DIALLO"]
    # asked for explicitly, the transfer refuses it, naming Awa, and nothing is written
    with pytest.raises(ValidationFailed) as refused:
        case_handover(caseworker, case=fresh(consented), categories=["identity", "case", "health"])
    assert refused.value.code == "consent_missing" and "Awa" in str(refused.value.message)
    nothing_changed(consented)
    consent(
        caseworker,
        consented,
        Purpose.HEALTH_DATA,
        who=[consented.members.get(is_principal=False).person],
    )
    handover = case_handover(caseworker, case=fresh(consented))
    assert "health" in handover.categories and handover.withheld == []
    event = AuditEvent.objects.get(case_id=consented.pk, action=HANDED_OVER)
    assert "health" not in event.changes["categories"] and event.changes["restricted_category"]


def test_chosen_categories_are_shared_and_the_rest_withheld(consented, caseworker):
    handover = case_handover(caseworker, case=consented, categories=["case", "identity"])
    assert handover.categories == ["identity", "case"]
    assert handover.withheld == ["contact", "documents", "health"]


@pytest.mark.parametrize(
    ("categories", "message"),
    [
        (["identity", "trafficking"], "return-risk assessment"),
        (["identity", "child_protection"], "family-tracing"),
        (["contact"], "identity"),
        (["identity", "bogus"], "Unknown"),
    ],
)
def test_categories_outside_the_handover_are_refused(consented, caseworker, categories, message):
    with pytest.raises(ValidationFailed) as refused:
        case_handover(caseworker, case=consented, categories=categories)
    assert message in str(refused.value.fields["categories"])
    nothing_changed(consented)


def test_handover_before_ready_to_travel_is_refused(family, caseworker, manager):
    case = bring_case_to(family, "pre_departure", caseworker=caseworker, manager=manager)
    consent(caseworker, case, Purpose.ORIGIN_MISSION)
    with pytest.raises(ValidationFailed) as refused:
        case_handover(caseworker, case=fresh(case))
    assert refused.value.code == "handover_status"
    nothing_changed(case)


def test_a_second_handover_is_refused(consented, caseworker):
    case_handover(caseworker, case=consented)
    with pytest.raises(ValidationFailed) as refused:
        case_handover(caseworker, case=fresh(consented))
    assert refused.value.code == "handed_over"
    assert Handover.objects.filter(case=consented).count() == 1


def test_a_host_mission_is_refused(consented, caseworker, morocco):
    with pytest.raises(ValidationFailed) as refused:
        case_handover(caseworker, case=consented, mission=morocco)
    assert "mission" in refused.value.fields
    nothing_changed(consented)


def test_without_an_origin_mission_for_the_country_one_must_be_chosen(family, caseworker, manager):
    # a country with no origin mission set up
    case = Case.objects.get(pk=family.pk)
    Case.objects.filter(pk=case.pk).update(country_of_return="ML")
    case = bring_case_to(fresh(case), "ready_to_travel", caseworker=caseworker, manager=manager)
    consent(caseworker, case, Purpose.ORIGIN_MISSION)
    with pytest.raises(ValidationFailed) as refused:
        case_handover(caseworker, case=fresh(case))
    assert "mission" in refused.value.fields
    mali = MissionFactory(code="ML", name="Mali", country_alpha3="MLI", kind="origin")
    assert case_handover(caseworker, case=fresh(case), mission=mali).mission == mali


@pytest.mark.parametrize("persona", ["medical_officer", "auditor", "other_office_user"])
def test_users_without_handover_record_change_nothing(request, consented, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        case_handover(user, case=consented)
    nothing_changed(consented)


def test_origin_staff_cannot_hand_over_even_after_the_handover(consented, caseworker, conakry):
    from awda.factories import member_of

    origin_movement = member_of(conakry, "movement", "movement.conakry")
    case_handover(caseworker, case=consented)
    with pytest.raises(PermissionDenied):
        case_handover(origin_movement, case=fresh(consented))


def test_movement_officer_and_manager_may_hand_over(consented, movement_officer):
    assert case_handover(movement_officer, case=consented).handed_over_by == movement_officer
