import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awda.reintegration.models import MonitoringVisit, ReintegrationFile, Survey
from awda.reintegration.surveys.services import survey_record

from ..helpers import answers_with


def tab_url(case, person=None):
    url = reverse("cases:case_detail", args=[case.pk]) + "?tab=surveys"
    return url + (f"&person={person}" if person else "")


def record(user, case, person, kind="baseline", index=0, **kw):
    return survey_record(
        user, case=case, person=person, kind=kind, answers=answers_with(index=index), **kw
    )


def form_data(person, kind="baseline", index=0, **extra):
    data = {
        "person": person.pk,
        "kind": kind,
        "conducted_on": timezone.localdate().isoformat(),
        "notes": "At home",
    }
    data.update({f"answer-{q}": a for q, a in answers_with(index=index).items()})
    data.update(extra)
    return data


def test_the_tab_shows_surveys_with_scores_chart_and_placeholder_badge(
    client, returned_case, person, origin_officer
):
    record(origin_officer, returned_case, person)
    record(origin_officer, returned_case, person, kind="follow_up", index=2)
    client.force_login(origin_officer)
    body = client.get(tab_url(returned_case)).content.decode()
    assert 'id="survey-list"' in body and 'id="scores-chart"' in body
    assert 'id="scores-data"' in body and "vendor/chartjs/chart.umd.min.js" in body
    assert body.count('data-testid="survey-row"') == 2
    assert 'data-testid="placeholder-badge"' in body
    assert 'data-testid="survey-record-follow-up"' in body  # a baseline exists


def test_host_caseworker_sees_the_tab_without_record_or_void(
    client, returned_case, person, origin_officer, caseworker
):
    record(origin_officer, returned_case, person)
    client.force_login(caseworker)
    body = client.get(tab_url(returned_case)).content.decode()
    assert 'data-testid="survey-row"' in body
    assert "survey-record" not in body and "survey-void-form" not in body
    url = reverse("reintegration:survey_record", args=[returned_case.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, form_data(person)).status_code == 403
    assert Survey.objects.count() == 1


def test_the_tab_keeps_a_fixed_number_of_queries(client, returned_case, person, origin_officer):
    client.force_login(origin_officer)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(tab_url(returned_case)).status_code == 200
        return len(ctx.captured_queries)

    record(origin_officer, returned_case, person)
    few = count()
    for i in range(4):
        record(origin_officer, returned_case, person, kind="follow_up", index=i)
    assert count() == few


def test_recording_a_survey_through_the_page(client, returned_case, person, origin_officer):
    client.force_login(origin_officer)
    url = reverse("reintegration:survey_record", args=[returned_case.pk])
    page = client.get(url, {"person": person.pk, "kind": "baseline"})
    body = page.content.decode()
    assert page.status_code == 200 and 'id="survey-form"' in body
    assert body.count('data-testid="survey-question"') == 19
    response = client.post(url, form_data(person))
    assert response.status_code == 302
    assert f"person={person.pk}" in response["Location"]
    survey = Survey.objects.get()
    assert survey.kind == "baseline" and survey.notes == "At home"


def test_questions_show_in_the_ui_language(client, returned_case, origin_officer):
    client.force_login(origin_officer)
    url = reverse("reintegration:survey_record", args=[returned_case.pk])
    client.post("/i18n/setlang/", {"language": "fr", "next": url})
    fr = client.get(url).content.decode()
    assert "Sécurité alimentaire" in fr


def test_a_missing_answer_comes_back_on_its_question(client, returned_case, person, origin_officer):
    client.force_login(origin_officer)
    url = reverse("reintegration:survey_record", args=[returned_case.pk])
    data = form_data(person)
    del data["answer-q_food"]
    response = client.post(url, data)
    assert response.status_code == 400
    assert 'data-question="q_food"' in response.content.decode()
    assert "invalid-feedback" in response.content.decode()
    assert not Survey.objects.exists()


def test_a_visit_in_the_query_string_preselects_a_follow_up(
    client, returned_case, person, origin_officer
):
    visit = MonitoringVisit.objects.create(
        case=returned_case,
        office_id=returned_case.reintegration.office_id,
        due_on=timezone.localdate(),
        months=3,
        status="done",
        conducted_on=timezone.localdate(),
    )
    client.force_login(origin_officer)
    url = reverse("reintegration:survey_record", args=[returned_case.pk])
    form = client.get(url, {"visit": visit.pk}).context["form"]
    assert form.initial["visit"] == visit.pk and form.initial["kind"] == "follow_up"
    client.post(url, form_data(person, kind="follow_up", visit=visit.pk))
    assert Survey.objects.get().visit == visit


def test_voiding_from_the_tab(client, returned_case, person, origin_officer):
    survey = record(origin_officer, returned_case, person)
    client.force_login(origin_officer)
    url = reverse("reintegration:survey_void", args=[returned_case.pk, survey.pk])
    response = client.post(url, {f"void-{survey.pk}-reason": "Recorded twice"})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.void_reason == "Recorded twice" and survey.voided_at


def test_other_mission_user_gets_404(client, returned_case, person, origin_officer):
    from awda.accounts.choices import MissionKind, Role
    from awda.factories import MissionFactory, OfficeFactory, member_of

    senegal = MissionFactory(
        code="SN", name="Senegal", country_alpha3="SEN", kind=MissionKind.ORIGIN
    )
    dakar = member_of(
        OfficeFactory(mission=senegal, code="DKR", name="Dakar"),
        Role.REINTEGRATION,
        "reintegration.dakar",
    )
    survey = record(origin_officer, returned_case, person)
    client.force_login(dakar)
    assert (
        client.get(reverse("reintegration:survey_record", args=[returned_case.pk])).status_code
        == 404
    )
    url = reverse("reintegration:survey_void", args=[returned_case.pk, survey.pk])
    assert client.post(url, {f"void-{survey.pk}-reason": "x"}).status_code == 404
    survey.refresh_from_db()
    assert survey.voided_at is None


@pytest.fixture
def cohort(returned_case, person, origin_officer):
    ReintegrationFile.objects.filter(case=returned_case).update(
        arrived_on=timezone.localdate() - datetime.timedelta(days=10)
    )
    base = record(origin_officer, returned_case, person, index=0)
    record(
        origin_officer,
        returned_case,
        person,
        kind="follow_up",
        index=4,
        conducted_on=timezone.localdate() - datetime.timedelta(days=1),
    )
    latest = record(origin_officer, returned_case, person, kind="follow_up", index=2)
    return base, latest


def test_the_cohort_page_shows_averages_without_names(client, cohort, auditor, person):
    base, latest = cohort
    client.force_login(auditor)  # M&E of Rabat: aggregates only
    response = client.get(reverse("reintegration:sustainability"))
    body = response.content.decode()
    assert response.status_code == 200 and 'id="cohort-table"' in body
    rows = response.context["rows"]
    assert [(r["kind"], r["n"]) for r in rows] == [("baseline", 1), ("follow_up", 1)]
    assert rows[1]["composite"] == latest.composite  # the latest follow-up only
    assert person.family_name not in body


def test_the_cohort_page_groups_and_filters(client, cohort, origin_officer):
    client.force_login(origin_officer)
    url = reverse("reintegration:sustainability")
    rows = client.get(url, {"group_by": "age_group", "kind": "baseline"}).context["rows"]
    assert len(rows) == 1 and rows[0]["n"] == 1 and rows[0]["group"] == "35-49"
    rows = client.get(url, {"group_by": "nationality", "nationality": "ML"}).context["rows"]
    assert rows == []


def test_the_cohort_page_is_refused_without_a_role(client, db):
    from awda.factories import UserFactory

    client.force_login(UserFactory(username="nobody"))
    assert client.get(reverse("reintegration:sustainability")).status_code == 403


def test_the_cohort_page_keeps_a_fixed_number_of_queries(
    client, cohort, origin_officer, returned_case, person
):
    client.force_login(origin_officer)
    url = reverse("reintegration:sustainability")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"group_by": "sex"}).status_code == 200
        return len(ctx.captured_queries)

    few = count()
    for i in range(3):
        record(origin_officer, returned_case, person, kind="follow_up", index=i)
    assert count() == few
