from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.cases.models import Case, Task
from awda.factories import person_data, register_case
from awda.screening.models import VulnerabilityScreening
from awda.screening.services import screening_record


def tab_url(case):
    return reverse("cases:case_detail", args=[case.pk]) + "?tab=screening"


def record_url(case, member):
    return reverse("screening:record", args=[case.pk, member.pk])


def screen(user, case, member, **factors):
    case = Case.objects.get(pk=case.pk)
    return screening_record(
        user, case=case, member=member, factors=factors, expected_version=case.version
    )


def test_tab_is_listed_renders_and_is_audited(client, caseworker, case):
    client.force_login(caseworker)
    response = client.get(tab_url(case))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="tab-screening"' in body and 'data-testid="screening-tab"' in body
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", case_id=case.pk, changes__part="screening"
    ).exists()


def test_members_never_screened_are_highlighted(client, caseworker, family):
    first = family.members.get(is_principal=True)
    screen(caseworker, family, first, no_income=True)
    client.force_login(caseworker)
    body = client.get(tab_url(family), HTTP_HX_REQUEST="true").content.decode()
    assert body.count('data-unscreened="1"') == 2
    assert "2 persons in this case have not been screened yet." in body


def test_screening_form_records_a_screening(client, caseworker, protection_officer, case):
    member = case.members.get(is_principal=True)
    client.force_login(caseworker)
    prefix = f"scr-{member.pk}"
    response = client.post(
        record_url(case, member),
        {
            f"{prefix}-version": Case.objects.get(pk=case.pk).version,
            f"{prefix}-unaccompanied_child": "on",
            f"{prefix}-notes": "Met at the office",
        },
    )
    assert response.status_code == 302 and response.url == tab_url(case)
    s = VulnerabilityScreening.objects.get(case=case)
    assert s.unaccompanied_child and s.notes == "Met at the office"
    assert Task.objects.get(case=case).assignee == protection_officer
    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="flag-uasc"' in body and "Re-screen" in body


def test_stale_form_is_refused_with_409(client, caseworker, case):
    member = case.members.get(is_principal=True)
    client.force_login(caseworker)
    version = Case.objects.get(pk=case.pk).version
    screen(caseworker, case, member)  # someone else screened meanwhile
    response = client.post(record_url(case, member), {f"scr-{member.pk}-version": version})
    assert response.status_code == 409
    assert VulnerabilityScreening.objects.count() == 1


def test_roles_that_may_not_screen_get_403_and_no_form(client, movement_officer, case):
    member = case.members.get(is_principal=True)
    client.force_login(movement_officer)
    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="screening-form"' not in body
    response = client.post(record_url(case, member), {f"scr-{member.pk}-version": case.version})
    assert response.status_code == 403
    assert not VulnerabilityScreening.objects.exists()


def test_other_office_gets_404(client, other_office_user, case):
    member = case.members.get(is_principal=True)
    client.force_login(other_office_user)
    assert client.get(tab_url(case)).status_code == 404
    response = client.post(record_url(case, member), {f"scr-{member.pk}-version": 1})
    assert response.status_code == 404


def test_finance_officer_does_not_see_the_tab(client, finance_officer, case):
    client.force_login(finance_officer)
    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="tab-screening"' not in body
    assert 'data-testid="screening-tab"' not in body  # falls back to the summary


def test_trafficking_answer_is_redacted_for_a_caseworker(
    client, caseworker, protection_officer, case
):
    member = case.members.get(is_principal=True)
    screen(protection_officer, case, member, trafficking_indicators=True)
    client.force_login(caseworker)
    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="flag-protection_referral"' in body
    assert 'data-testid="flag-vot"' not in body
    assert 'data-testid="redacted"' in body
    assert "<li>Indicators of trafficking" not in body
    checkbox = body.split(f'id="id_scr-{member.pk}-trafficking_indicators"')[0].rsplit("<", 1)[1]
    assert "checked" not in checkbox  # the re-screen form does not reveal it either
    # the read is audited
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", actor=caseworker, changes__part="screening"
    ).exists()


def test_protection_officer_sees_the_trafficking_answer(client, protection_officer, case):
    member = case.members.get(is_principal=True)
    screen(protection_officer, case, member, trafficking_indicators=True)
    client.force_login(protection_officer)
    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="flag-vot"' in body
    assert "<li>Indicators of trafficking" in body
    assert 'data-testid="redacted"' not in body


def _tab_queries(client, case):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(tab_url(case), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _screened_family(caseworker, rabat, size):
    case = register_case(
        caseworker,
        rabat,
        principal=person_data(family_name="Sylla"),
        members=[
            {"relationship": "child", "person": person_data(given_name=f"C{i}")}
            for i in range(size - 1)
        ],
    )
    for m in case.members.select_related("person"):
        screen(caseworker, case, m, no_income=True)
        screen(caseworker, case, m, health_needs=True)
    return case


def test_tab_queries_do_not_grow_with_the_members(client, caseworker, rabat):
    small = _screened_family(caseworker, rabat, 2)
    large = _screened_family(caseworker, rabat, 7)
    client.force_login(caseworker)
    _tab_queries(client, small)  # warm up (session, scope)
    assert _tab_queries(client, small) == _tab_queries(client, large)


def test_timeline_shows_the_screening_without_the_trafficking_answer(
    client, caseworker, protection_officer, case
):
    member = case.members.get(is_principal=True)
    screen(protection_officer, case, member, trafficking_indicators=True, no_income=True)
    client.force_login(caseworker)
    body = client.get(
        reverse("cases:case_detail", args=[case.pk]) + "?tab=timeline"
    ).content.decode()
    assert "Vulnerability screening recorded" in body
    assert "trafficking" not in body.lower()


def test_timeline_shows_factor_and_assessment_labels_not_codes(client, caseworker, case):
    principal = case.members.get(is_principal=True)
    screen(caseworker, case, principal, no_income=True, health_needs=True)
    client.force_login(caseworker)
    body = client.get(reverse("cases:case_detail", args=[case.pk]) + "?tab=timeline").content
    body = body.decode()
    assert "No income" in body and "Medical assessment" in body
    assert "no_income" not in body and "medical_assessment" not in body


def test_a_factor_the_user_may_not_clear_is_locked_in_the_form(client, caseworker, case):
    from awda.screening.services import screening_record

    member = case.members.get(is_principal=True)
    screening_record(
        caseworker, case=case, member=member, factors={"pregnancy": True}, expected_version=1
    )
    client.force_login(caseworker)
    html = client.get(f"/cases/{case.pk}/?tab=screening").content.decode()
    assert "Only a medical officer can clear this answer." in html
    import re

    prefix = f"scr-{member.pk}"
    tag = re.search(rf'<input[^>]*name="{prefix}-pregnancy"[^>]*>', html).group(0)
    assert "disabled" in tag
    other = re.search(rf'<input[^>]*name="{prefix}-no_income"[^>]*>', html).group(0)
    assert "disabled" not in other
