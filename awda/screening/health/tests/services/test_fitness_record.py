import datetime

import pytest
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.factories import person_data, register_case
from awda.screening.health.models import FitnessToTravel, MissionHealthSettings
from awda.screening.health.services import FITNESS_RECORDED

from ..helpers import fresh, principal, record_fitness

TODAY = timezone.localdate()


def test_records_a_decision_valid_for_the_code_default_of_7_days(medical_officer, case):
    version = fresh(case).version
    d = record_fitness(
        medical_officer,
        case,
        principal(case),
        "fit_with_escort",
        escort="medical",
        special_needs=["oxygen", "wheelchair_steps", "oxygen"],
        remarks="Seat near the toilets",
    )
    assert d.decided_on == TODAY and d.valid_days == 7
    assert d.valid_until == TODAY + datetime.timedelta(days=7)
    assert d.special_needs == ["wheelchair_steps", "oxygen"]  # catalogue order, no duplicate
    assert fresh(case).version == version + 1
    event = AuditEvent.objects.get(action=FITNESS_RECORDED)
    assert event.changes == {
        "person": principal(case).pk,
        "fitness": d.pk,
        "fitness_outcome": "fit_with_escort",
        "valid_until": d.valid_until.isoformat(),
    }
    assert event.case_id == case.pk and "Seat" not in str(event.changes)


def test_the_default_validity_comes_from_settings(settings, medical_officer, case):
    settings.AWDA_FITNESS_VALIDITY_DAYS = 3
    d = record_fitness(medical_officer, case, principal(case))
    assert d.valid_days == 3 and d.valid_until == TODAY + datetime.timedelta(days=3)


def test_the_mission_setting_wins_and_caps_the_validity(settings, medical_officer, case, morocco):
    settings.AWDA_FITNESS_VALIDITY_DAYS = 3
    MissionHealthSettings.objects.create(mission=morocco, fitness_validity_days=10)
    assert record_fitness(medical_officer, case, principal(case)).valid_days == 10
    shorter = record_fitness(
        medical_officer,
        case,
        principal(case),
        decided_on=TODAY - datetime.timedelta(days=1),
        valid_days=2,
    )
    assert shorter.valid_until == TODAY + datetime.timedelta(days=1)
    with pytest.raises(ValidationFailed) as exc:
        record_fitness(medical_officer, case, principal(case), valid_days=11)
    assert "valid_days" in exc.value.fields
    assert FitnessToTravel.objects.count() == 2


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"outcome": "maybe"}, "outcome"),
        ({"outcome": "fit_with_escort"}, "escort"),  # an escort is needed
        ({"escort": "taxi"}, "escort"),
        ({"special_needs": ["jetpack"]}, "special_needs"),
        ({"decided_on": TODAY + datetime.timedelta(days=1)}, "decided_on"),
        ({"valid_days": 0}, "valid_days"),
    ],
)
def test_invalid_input_is_refused_and_nothing_written(medical_officer, case, kwargs, field):
    data = {"outcome": "fit"} | kwargs
    with pytest.raises(ValidationFailed) as exc:
        record_fitness(medical_officer, case, principal(case), **data)
    assert field in exc.value.fields
    assert not FitnessToTravel.objects.exists()


@pytest.mark.parametrize("persona", ["caseworker", "manager", "movement_officer", "auditor"])
def test_only_medical_officers_record_it(request, persona, case):
    user = request.getfixturevalue(persona)
    version = fresh(case).version
    with pytest.raises(PermissionDenied):
        record_fitness(user, case, principal(case))
    assert not FitnessToTravel.objects.exists()
    assert not AuditEvent.objects.filter(action=FITNESS_RECORDED).exists()
    assert fresh(case).version == version


def test_a_person_outside_the_case_is_refused(medical_officer, caseworker, rabat, case):
    other = register_case(caseworker, rabat, principal=person_data(given_name="Moussa"))
    with pytest.raises(ValidationFailed) as exc:
        record_fitness(medical_officer, case, principal(other))
    assert "person" in exc.value.fields
    assert not FitnessToTravel.objects.exists()


def test_a_closed_case_is_refused(medical_officer, case):
    Case.objects.filter(pk=case.pk).update(status="closed")
    with pytest.raises(ValidationFailed) as exc:
        record_fitness(medical_officer, case, principal(case))
    assert exc.value.code == "case_closed"
    assert not FitnessToTravel.objects.exists()
