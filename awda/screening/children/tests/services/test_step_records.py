"""The append-only steps (identification, assessment, caregiver assessment, escort plan,
reception): each recorded by a protection officer only, for a member of an open case, audited
with neutral changes, bumping the case version; the newest is current and the history stays."""

import pytest

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.cases.services import case_transition
from awda.core.errors import NotFound, PermissionDenied, ValidationFailed
from awda.factories import person_data, register_case
from awda.screening.children.models import (
    BestInterestsAssessment,
    CaregiverAssessment,
    ChildIdentification,
    EscortPlan,
    ReceptionArrangement,
)
from awda.screening.children.selectors import case_children

from .. import steps

SIMPLE = [
    (steps.identify, ChildIdentification, "identification.recorded", "identification"),
    (steps.assess, BestInterestsAssessment, "assessment.recorded", "assessment"),
    (
        steps.assess_caregiver,
        CaregiverAssessment,
        "caregiver_assessment.recorded",
        "caregiver",
    ),
    (steps.plan_escort, EscortPlan, "escort_plan.recorded", "escort"),
    (steps.arrange_reception, ReceptionArrangement, "reception.recorded", "reception"),
]
IDS = [s[2] for s in SIMPLE]


@pytest.mark.parametrize(("record", "model", "action", "step"), SIMPLE, ids=IDS)
def test_protection_officer_records_it_audited_neutrally(
    protection_officer, child_case, child, record, model, action, step
):
    version = child_case.version
    obj = record(protection_officer, child_case, child)
    assert model.objects.get() == obj
    assert obj.recorded_by == protection_officer and obj.person == child
    assert Case.objects.get(pk=child_case.pk).version == version + 1
    event = AuditEvent.objects.get(action=f"child_protection.{action}")
    assert event.case_id == child_case.pk and event.person_id == child.pk
    assert event.actor == protection_officer
    # ids and the step's name only: no finding, outcome or free text reaches the timeline
    assert event.changes == {"person": child.pk, "uasc_step": step, "record": obj.pk}


@pytest.mark.parametrize(("record", "model", "action", "step"), SIMPLE, ids=IDS)
@pytest.mark.parametrize(
    "persona", ["caseworker", "manager", "medical_officer", "movement_officer", "auditor"]
)
def test_other_roles_are_refused_and_nothing_is_written(
    request, child_case, child, persona, record, model, action, step
):
    user = request.getfixturevalue(persona)
    version = Case.objects.get(pk=child_case.pk).version
    with pytest.raises(PermissionDenied):
        record(user, child_case, child)
    assert not model.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="child_protection.").exists()
    assert Case.objects.get(pk=child_case.pk).version == version


@pytest.mark.parametrize(("record", "model", "action", "step"), SIMPLE, ids=IDS)
def test_a_person_outside_the_case_is_not_found(
    protection_officer, caseworker, rabat, child_case, record, model, action, step
):
    other = register_case(caseworker, rabat, principal=person_data(given_name="Alpha")).principal
    with pytest.raises(NotFound):
        record(protection_officer, child_case, other)
    assert not model.objects.exists()


def test_other_office_protection_officer_is_refused(child_case, child, oujda):
    from awda.accounts.choices import Role
    from awda.factories import member_of

    elsewhere = member_of(oujda, Role.PROTECTION, "protection.oujda")
    with pytest.raises(PermissionDenied):
        steps.identify(elsewhere, child_case, child)


def test_closed_case_is_refused(protection_officer, caseworker, child_case, child):
    case = case_transition(caseworker, case=child_case, name="withdraw", reason="Changed mind")
    case = case_transition(caseworker, case=case, name="close", closure_reason="returnee_stopped")
    assert case.status == "closed"
    with pytest.raises(ValidationFailed) as exc:
        steps.identify(protection_officer, case, child)
    assert exc.value.code == "case_closed"


@pytest.mark.parametrize(
    ("record", "bad", "fields"),
    [
        (steps.identify, {"age_years": 150, "care_status": "alone"}, {"age_years", "care_status"}),
        (steps.identify, {"identified_on": steps.today().replace(year=2999)}, {"identified_on"}),
        (
            steps.assess,
            {"child_views": "  ", "recommendation": "x"},
            {"child_views", "recommendation"},
        ),
        (steps.assess_caregiver, {"findings": "", "outcome": "ok"}, {"findings", "outcome"}),
        (
            steps.plan_escort,
            {"escort_name": "", "escort_role": "pilot"},
            {"escort_name", "escort_role"},
        ),
        (steps.arrange_reception, {"place": "", "arranged_on": None}, {"place", "arranged_on"}),
    ],
)
def test_invalid_values_are_refused_with_field_errors(
    protection_officer, child_case, child, record, bad, fields
):
    with pytest.raises(ValidationFailed) as exc:
        record(protection_officer, child_case, child, **bad)
    assert set(exc.value.fields) == fields
    assert not AuditEvent.objects.filter(action__startswith="child_protection.").exists()


def test_the_newest_identification_is_current_and_the_history_stays(
    protection_officer, child_case, child
):
    first = steps.identify(protection_officer, child_case, child, care_status="separated")
    second = steps.identify(protection_officer, child_case, child, care_status="accompanied")
    (file,) = case_children(child_case)
    assert file.identifications == [second, first]
    assert file.identification == second
    assert not file.applies  # "accompanied" lifts the procedure
