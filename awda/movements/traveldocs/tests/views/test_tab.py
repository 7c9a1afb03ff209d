import datetime

from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.movements.traveldocs.models import ExitAuthorisation, TravelDocument

from ..helpers import IN_A_YEAR, TODAY, fresh, persons, principal, record_passport, request_lp


def tab_url(case):
    return reverse("cases:case_detail", args=[case.pk]) + "?tab=travel_documents"


def member_pk(case):
    return case.members.get(is_principal=True).pk


def body_of(client, case):
    response = client.get(tab_url(case))
    assert response.status_code == 200
    return response.content.decode()


def test_tab_renders_with_the_checks_and_the_read_is_audited(client, caseworker, case):
    client.force_login(caseworker)
    body = body_of(client, case)
    assert 'data-testid="traveldocs-tab"' in body
    assert "no travel document" in body and "no exit authorisation" in body
    assert 'data-testid="passport-form"' in body
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", case_id=case.pk, changes__part="travel_documents"
    ).exists()


def test_finance_does_not_see_the_tab_and_medical_sees_no_forms(
    client, finance_officer, medical_officer, case
):
    client.force_login(finance_officer)
    assert 'data-testid="traveldocs-tab"' not in client.get(tab_url(case)).content.decode()
    client.force_login(medical_officer)
    body = body_of(client, case)
    assert 'data-testid="traveldocs-tab"' in body and 'data-testid="passport-form"' not in body


def test_record_a_passport_from_the_tab(client, caseworker, case):
    client.force_login(caseworker)
    url = reverse("travel_documents:passport_record", args=[case.pk, member_pk(case)])
    data = {
        f"pp-{member_pk(case)}-kind": "passport",
        f"pp-{member_pk(case)}-number": "P555",
        f"pp-{member_pk(case)}-issuing_country": "GIN",
        f"pp-{member_pk(case)}-expires_on": IN_A_YEAR.isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 302
    doc = TravelDocument.objects.get()
    assert (doc.number, doc.issuing_country, doc.status) == ("P555", "GN", "issued")
    assert "P555" in body_of(client, case)


def test_an_invalid_form_comes_back_on_the_tab(client, caseworker, case):
    client.force_login(caseworker)
    url = reverse("travel_documents:passport_record", args=[case.pk, member_pk(case)])
    response = client.post(url, {f"pp-{member_pk(case)}-number": "P1"})
    assert response.status_code == 400
    assert 'data-testid="passport-form"' in response.content.decode()
    assert not TravelDocument.objects.exists()


def test_request_and_answer_a_laissez_passer(client, caseworker, case, consulate):
    client.force_login(caseworker)
    m = member_pk(case)
    response = client.post(
        reverse("travel_documents:document_request", args=[case.pk, m]),
        {
            f"rq-{m}-kind": "laissez_passer",
            f"rq-{m}-consulate": consulate.pk,
            f"rq-{m}-requested_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    doc = TravelDocument.objects.get()
    assert doc.status == "requested" and doc.consulate == consulate
    body = body_of(client, case)
    assert "not issued yet" in body and 'data-testid="document-answer-form"' in body
    response = client.post(
        reverse("travel_documents:document_answer", args=[case.pk, doc.pk]),
        {
            f"da-{doc.pk}-outcome": "issued",
            f"da-{doc.pk}-number": "LP-9",
            f"da-{doc.pk}-expires_on": (TODAY + datetime.timedelta(days=60)).isoformat(),
            f"da-{doc.pk}-version": "1",
        },
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.status == "issued" and doc.number == "LP-9"


def test_a_stale_answer_is_409(client, caseworker, case, consulate):
    doc = request_lp(caseworker, case, principal(case), consulate)
    client.force_login(caseworker)
    response = client.post(
        reverse("travel_documents:document_answer", args=[case.pk, doc.pk]),
        {
            f"da-{doc.pk}-outcome": "refused",
            f"da-{doc.pk}-reason": "x",
            f"da-{doc.pk}-version": "7",
        },
    )
    assert response.status_code == 409
    doc.refresh_from_db()
    assert doc.status == "requested"


def test_request_and_grant_the_exit_authorisation(client, caseworker, case, authority):
    client.force_login(caseworker)
    m = member_pk(case)
    response = client.post(
        reverse("travel_documents:exit_request", args=[case.pk, m]),
        {f"ex-{m}-authority": authority.pk, f"ex-{m}-requested_on": TODAY.isoformat()},
    )
    assert response.status_code == 302
    auth = ExitAuthorisation.objects.get()
    response = client.post(
        reverse("travel_documents:exit_answer", args=[case.pk, auth.pk]),
        {f"ea-{auth.pk}-outcome": "granted", f"ea-{auth.pk}-version": "1"},
    )
    assert response.status_code == 302
    auth.refresh_from_db()
    assert auth.status == "granted"


def test_other_office_gets_404_and_finance_403(client, other_office_user, finance_officer, case):
    url = reverse("travel_documents:passport_record", args=[case.pk, member_pk(case)])
    client.force_login(other_office_user)
    assert client.post(url, {}).status_code == 404
    client.force_login(finance_officer)
    assert client.post(url, {}).status_code == 403
    assert not TravelDocument.objects.exists()


def test_the_tab_takes_a_fixed_number_of_queries(
    client, caseworker, family, consulate, authority, django_assert_max_num_queries
):
    client.force_login(caseworker)
    body_of(client, family)  # warm up (sessions, scopes)
    for p in persons(family):
        record_passport(caseworker, family, p)
        request_lp(caseworker, family, p, consulate)
    with django_assert_max_num_queries(40) as ctx:
        body_of(client, fresh(family))
    few = len(ctx.captured_queries)
    for p in persons(family):
        record_passport(caseworker, family, p, number="P2")
    with django_assert_max_num_queries(few):
        body_of(client, fresh(family))
