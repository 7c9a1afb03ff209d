import datetime

import pytest
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.factories import person_data, register_case
from awda.reintegration.files import services
from awda.reintegration.models import Assessment

from ..conftest import principal

TODAY = timezone.localdate


def record(user, case, **overrides):
    data = {
        "case": case,
        "person": principal(case),
        "kind": "vulnerability",
        "assessed_on": TODAY(),
        "level": "medium",
        "findings": "Lives with his brother; no income yet.",
    }
    data.update(overrides)
    return services.assessment_record(user, **data)


def test_an_assessment_is_recorded_and_audited(received, origin_officer):
    a = record(origin_officer, received)
    assert a.level == "medium" and a.assessed_by == origin_officer
    event = AuditEvent.objects.get(action=services.ASSESSMENT_RECORDED)
    assert event.case_id == received.pk and event.person_id == a.person_id


def test_a_skills_profile_keeps_the_skills_fields(received, origin_officer):
    a = record(
        origin_officer,
        received,
        kind="skills",
        level="",
        findings="",
        education_level="primary",
        skills="Retail, accounting",
        preferred_activity="Small shop",
    )
    assert a.education_level == "primary" and a.preferred_activity == "Small shop"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"level": ""}, "level"),
        ({"kind": "risk", "level": ""}, "level"),
        ({"skills": "Welding"}, "skills"),
        ({"education_level": "primary"}, "education_level"),
        ({"kind": "skills", "level": "low", "skills": "Welding"}, "level"),
        ({"assessed_on": None}, "assessed_on"),
        ({"kind": "nonsense"}, "kind"),
    ],
)
def test_bad_input_is_refused_per_field(received, origin_officer, overrides, field):
    with pytest.raises(ValidationFailed) as exc:
        record(origin_officer, received, **overrides)
    assert field in exc.value.fields
    assert not Assessment.objects.exists()


def test_not_in_the_future(received, origin_officer):
    with pytest.raises(ValidationFailed) as exc:
        record(origin_officer, received, assessed_on=TODAY() + datetime.timedelta(days=1))
    assert "assessed_on" in exc.value.fields


def test_the_person_must_be_a_member(received, origin_officer, caseworker, rabat):
    stranger = register_case(caseworker, rabat, principal=person_data(given_name="Awa")).principal
    with pytest.raises(ValidationFailed) as exc:
        record(origin_officer, received, person=stranger)
    assert "person" in exc.value.fields
    assert not Assessment.objects.exists()


def test_host_caseworker_may_not_record(received, caseworker):
    with pytest.raises(PermissionDenied):
        record(caseworker, received)
    assert not Assessment.objects.exists()


def test_an_update_needs_the_version_read(received, origin_officer):
    a = record(origin_officer, received)
    kwargs = {"assessed_on": a.assessed_on, "level": "high", "findings": "Worse than thought."}
    services.assessment_update(origin_officer, assessment=a, expected_version=1, **kwargs)
    a.refresh_from_db()
    assert a.level == "high" and a.version == 2
    with pytest.raises(StaleEdit):
        services.assessment_update(
            origin_officer, assessment=a, expected_version=1, **(kwargs | {"level": "low"})
        )
    a.refresh_from_db()
    assert a.level == "high"
    event = AuditEvent.objects.get(action=services.ASSESSMENT_UPDATED)
    assert event.changes["level"] == {"from": "medium", "to": "high"}
