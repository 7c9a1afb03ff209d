import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.factories import register_case
from awda.reintegration.models import MonitoringVisit, ReintegrationFile, Survey
from awda.reintegration.surveys.instrument import instrument_load
from awda.reintegration.surveys.services import (
    SURVEY_RECORDED,
    SURVEY_VOIDED,
    age_on,
    survey_record,
    survey_void,
)

from ..helpers import answers_with
from ..unit.test_instrument_validation import small

TODAY = timezone.localdate


def record(user, case, person, **kw):
    kw.setdefault("kind", "baseline")
    kw.setdefault("answers", answers_with())
    return survey_record(user, case=case, person=person, **kw)


def test_a_baseline_is_scored_with_the_instrument_in_use_and_audited(
    returned_case, person, origin_officer
):
    survey = record(origin_officer, returned_case, person, answers=answers_with(index=0))
    assert survey.instrument.version == "placeholder-1"
    assert survey.social == Decimal("1.0000")  # best answer everywhere in the social dimension
    assert Decimal(0) <= survey.composite <= Decimal(1)
    assert survey.conducted_on == TODAY()
    assert survey.age == age_on(person, TODAY())
    event = AuditEvent.objects.get(action=SURVEY_RECORDED)
    assert event.case_id == returned_case.pk and event.person_id == person.pk
    assert event.changes["instrument"] == "rss placeholder-1"


def test_age_comes_from_the_date_of_birth_on_the_survey_day():
    class P:
        date_of_birth = datetime.date(1982, 3, 14)
        birth_year = None

    assert age_on(P, datetime.date(2026, 3, 13)) == 43
    assert age_on(P, datetime.date(2026, 3, 14)) == 44


def test_a_new_active_version_is_used_and_old_surveys_keep_theirs(
    returned_case, person, origin_officer
):
    first = record(origin_officer, returned_case, person)
    data = small()
    data["code"], data["version"] = "rss", "2"
    instrument_load(None, data=data)
    answers = {"q_inc": "yes", "q_inc2": "no", "q_food": "half", "q_house": "dk", "q_safe": "yes"}
    with pytest.raises(ValidationFailed):  # the social dimension has no scored answer
        record(origin_officer, returned_case, person, kind="follow_up", answers=answers)
    answers["q_house"] = "no"
    second = record(origin_officer, returned_case, person, kind="follow_up", answers=answers)
    assert second.instrument.version == "2"
    first.refresh_from_db()
    assert first.instrument.version == "placeholder-1"


def test_a_second_baseline_is_refused_until_the_first_is_voided(
    returned_case, person, origin_officer
):
    first = record(origin_officer, returned_case, person)
    with pytest.raises(ValidationFailed) as exc:
        record(origin_officer, returned_case, person)
    assert "kind" in exc.value.fields
    assert Survey.objects.count() == 1
    survey_void(origin_officer, survey=first, reason="Wrong person answered")
    record(origin_officer, returned_case, person)
    assert Survey.objects.filter(voided_at=None).count() == 1


def test_follow_ups_may_name_a_visit_of_the_case(returned_case, person, origin_officer):
    visit = MonitoringVisit.objects.create(
        case=returned_case, office_id=returned_case.reintegration.office_id, due_on=TODAY()
    )
    with pytest.raises(ValidationFailed) as exc:  # the visit has not taken place yet
        record(origin_officer, returned_case, person, kind="follow_up", visit=visit)
    assert "visit" in exc.value.fields
    MonitoringVisit.objects.filter(pk=visit.pk).update(status="done", conducted_on=TODAY())
    visit.refresh_from_db()
    survey = record(origin_officer, returned_case, person, kind="follow_up", visit=visit)
    assert survey.visit == visit
    for kind in ("baseline", "follow_up"):  # not part of a visit; one follow-up per visit
        with pytest.raises(ValidationFailed) as exc:
            record(origin_officer, returned_case, person, kind=kind, visit=visit)
        assert "visit" in exc.value.fields
    assert Survey.objects.count() == 1


def test_a_visit_of_another_case_is_refused(
    returned_case, person, origin_officer, caseworker, rabat
):
    other = register_case(caseworker, rabat)
    visit = MonitoringVisit.objects.create(case=other, office=rabat, due_on=TODAY())
    with pytest.raises(ValidationFailed) as exc:
        record(origin_officer, returned_case, person, kind="follow_up", visit=visit)
    assert "visit" in exc.value.fields
    assert not Survey.objects.exists()


def test_missing_and_wrong_answers_are_named(returned_case, person, origin_officer):
    answers = answers_with()
    del answers["q_food"]
    answers["q_housing"] = "nonsense"
    with pytest.raises(ValidationFailed) as exc:
        record(origin_officer, returned_case, person, answers=answers)
    assert set(exc.value.fields) == {"answers.q_food", "answers.q_housing"}
    assert not Survey.objects.exists()


def test_dates_in_the_future_or_before_arrival_are_refused(returned_case, person, origin_officer):
    with pytest.raises(ValidationFailed) as exc:
        record(
            origin_officer, returned_case, person, conducted_on=TODAY() + datetime.timedelta(days=1)
        )
    assert "conducted_on" in exc.value.fields
    ReintegrationFile.objects.filter(case=returned_case).update(arrived_on=TODAY())
    with pytest.raises(ValidationFailed) as exc:
        record(
            origin_officer, returned_case, person, conducted_on=TODAY() - datetime.timedelta(days=1)
        )
    assert "conducted_on" in exc.value.fields
    assert not Survey.objects.exists()


def test_a_person_who_is_not_a_member_is_refused(returned_case, origin_officer, caseworker, rabat):
    stranger = register_case(caseworker, rabat).principal
    with pytest.raises(ValidationFailed) as exc:
        record(origin_officer, returned_case, stranger)
    assert "person" in exc.value.fields
    assert not Survey.objects.exists()


def test_a_case_not_yet_arrived_is_refused(case, caseworker, manager, origin_officer, guinea):
    from awda.factories import accept_handover, bring_case_to, hand_over_case

    case = bring_case_to(case, "departed", caseworker=caseworker, manager=manager)
    accept_handover(hand_over_case(case, guinea), origin_officer)
    with pytest.raises(ValidationFailed) as exc:
        record(origin_officer, case, case.principal)
    assert exc.value.code == "case_status"
    assert not Survey.objects.exists()


@pytest.mark.parametrize("who", ["caseworker", "manager", "auditor"])
def test_host_staff_may_not_record(returned_case, person, who, request):
    user = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        record(user, returned_case, person)
    assert not Survey.objects.exists()
    assert not AuditEvent.objects.filter(action=SURVEY_RECORDED).exists()


def test_void_needs_a_reason_and_is_audited_once(returned_case, person, origin_officer, caseworker):
    survey = record(origin_officer, returned_case, person)
    with pytest.raises(ValidationFailed):
        survey_void(origin_officer, survey=survey, reason="  ")
    with pytest.raises(PermissionDenied):
        survey_void(caseworker, survey=survey, reason="no")
    survey.refresh_from_db()
    assert survey.voided_at is None
    survey_void(origin_officer, survey=survey, reason="Interview interrupted")
    survey.refresh_from_db()
    assert survey.voided_by == origin_officer and survey.void_reason == "Interview interrupted"
    with pytest.raises(ValidationFailed) as exc:
        survey_void(origin_officer, survey=survey, reason="again")
    assert exc.value.code == "already_voided"
    assert AuditEvent.objects.filter(action=SURVEY_VOIDED).count() == 1
