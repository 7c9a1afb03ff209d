from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.factories import person_data, register_case
from awda.screening.trafficking.models import (
    OriginAcceptance,
    ReturnRiskAssessment,
    TraffickingDetermination,
    TraffickingInterview,
)

from ..helpers import assess, consent, determine, flag, full_procedure, interview, principal


def tab_url(case):
    return reverse("cases:case_detail", args=[case.pk]) + "?tab=protection"


def test_protection_officer_gets_the_tab_and_the_read_is_audited(
    client, caseworker, protection_officer, case
):
    flag(caseworker, case)
    client.force_login(protection_officer)
    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="tab-protection"' in body and "Protection (restricted)" in body
    assert 'data-testid="protection-tab"' in body
    assert body.count('data-testid="vot-person"') == 1
    assert 'data-testid="vot-flagged"' in body
    assert 'data-testid="vot-interview-form"' in body
    assert 'data-code="vot.interview" data-ok="0"' in body
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", actor=protection_officer, changes__part="protection"
    ).exists()


def test_unflagged_members_are_listed_apart(client, protection_officer, family):
    client.force_login(protection_officer)
    body = client.get(tab_url(family)).content.decode()
    assert 'data-testid="vot-none"' in body
    assert body.count('data-testid="vot-other"') == 3


def test_caseworker_has_no_tab_and_falls_back_to_the_summary(client, caseworker, case):
    flag(caseworker, case)
    client.force_login(caseworker)
    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="tab-protection"' not in body
    assert 'data-testid="protection-tab"' not in body
    assert not AuditEvent.objects.filter(changes__part="protection").exists()


def test_record_the_whole_procedure_through_the_forms(
    client, caseworker, protection_officer, guinea, case
):
    flag(caseworker, case)
    member = principal(case)
    client.force_login(protection_officer)
    prefix = f"vot-int-{member.pk}"
    response = client.post(
        reverse("trafficking:interview", args=[case.pk, member.pk]),
        {
            f"{prefix}-interviewed_on": "2026-01-15",
            f"{prefix}-language": "ff",
            f"{prefix}-interpreter_used": "on",
            f"{prefix}-debt_bondage": "on",
            f"{prefix}-exploitation_types": ["forced_begging", "other"],
            f"{prefix}-narrative": "Forced to beg in Casablanca.",
        },
    )
    assert response.status_code == 302 and response.url == tab_url(case)
    i = TraffickingInterview.objects.get()
    assert i.debt_bondage and not i.isolation and i.language == "ff" and i.interpreter_used
    assert i.exploitation_types == ["forced_begging", "other"]

    prefix = f"vot-det-{member.pk}"
    response = client.post(
        reverse("trafficking:determination", args=[case.pk, member.pk]),
        {
            f"{prefix}-determined_on": "2026-01-16",
            f"{prefix}-outcome": "presumed_victim",
            f"{prefix}-reasons": "Consistent account",
        },
    )
    assert response.status_code == 302
    assert TraffickingDetermination.objects.get().outcome == "presumed_victim"

    risk_url = reverse("trafficking:risk_assessment", args=[case.pk, member.pk])
    prefix = f"vot-risk-{member.pk}"
    # without the person's consent to sharing with the origin mission: refused, shown on the tab
    response = client.post(risk_url, {f"{prefix}-origin_focal_point": "Mme Soumah"})
    assert response.status_code == 400
    assert "No valid consent" in response.content.decode()
    assert not ReturnRiskAssessment.objects.exists()
    consent(protection_officer, case)
    response = client.post(
        risk_url,
        {f"{prefix}-origin_focal_point": "Mme Soumah", f"{prefix}-origin_mission": guinea.pk},
    )
    assert response.status_code == 302
    draft = ReturnRiskAssessment.objects.get()
    assert draft.origin_mission == guinea and draft.status == "draft"

    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="vot-draft"' in body and 'data-testid="vot-risk-form"' not in body
    edit_url = reverse("trafficking:risk_assessment_edit", args=[case.pk, draft.pk])
    prefix = f"vot-risk-edit-{draft.pk}"
    edit = {
        f"{prefix}-version": 1,
        f"{prefix}-origin_focal_point": "Mme Soumah",
        f"{prefix}-risk_level": "extreme",
        f"{prefix}-risks": "Network active in the region of origin",
        f"{prefix}-mitigation": "Relocation to Kindia",
        f"{prefix}-security_plan": "Escort from the airport",
    }
    assert client.post(edit_url, edit).status_code == 302
    assert client.post(edit_url, edit).status_code == 409  # the same version again: stale
    draft.refresh_from_db()
    assert draft.risk_level == "extreme" and draft.version == 2

    prefix = f"vot-risk-done-{draft.pk}"
    response = client.post(
        reverse("trafficking:risk_assessment_complete", args=[case.pk, draft.pk]),
        {f"{prefix}-version": 2, f"{prefix}-completed_on": "2026-01-20"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "completed"

    prefix = f"vot-acc-{member.pk}"
    response = client.post(
        reverse("trafficking:acceptance", args=[case.pk, member.pk]),
        {
            f"{prefix}-accepted": "yes",
            f"{prefix}-decided_on": "2026-01-22",
            f"{prefix}-decided_by_name": "M. Bah",
            f"{prefix}-reference": "GN-44",
        },
    )
    assert response.status_code == 302
    assert OriginAcceptance.objects.get().accepted is True
    body = client.get(tab_url(case)).content.decode()
    assert body.count('data-ok="1"') == 4 and 'data-ok="0"' not in body
    assert body.count('data-testid="vot-history"') == 1


def test_invalid_form_comes_back_with_its_errors(client, protection_officer, case):
    member = principal(case)
    interview(protection_officer, case)
    client.force_login(protection_officer)
    prefix = f"vot-det-{member.pk}"
    response = client.post(
        reverse("trafficking:determination", args=[case.pk, member.pk]),
        {f"{prefix}-determined_on": "2026-01-16", f"{prefix}-outcome": "victim"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="vot-determination-form"' in body and "is-invalid" in body
    assert not TraffickingDetermination.objects.exists()


def _family(caseworker, protection_officer, rabat, size):
    case = register_case(
        caseworker,
        rabat,
        principal=person_data(family_name="Sylla"),
        members=[
            {"relationship": "child", "person": person_data(given_name=f"C{i}")}
            for i in range(size - 1)
        ],
        country_of_return="GN",
    )
    for m in case.members.select_related("person"):
        flag(caseworker, case, member=m)
        full_procedure(protection_officer, case, member=m)
        interview(protection_officer, case, member=m)
        determine(protection_officer, case, member=m)
        consent(protection_officer, case, member=m)
        assess(protection_officer, case, member=m)  # a draft, with its forms
    return case


def _tab_queries(client, case):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(tab_url(case), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_tab_queries_do_not_grow_with_members_and_records(
    client, caseworker, protection_officer, rabat, guinea
):
    small = _family(caseworker, protection_officer, rabat, 1)
    large = _family(caseworker, protection_officer, rabat, 4)
    client.force_login(protection_officer)
    _tab_queries(client, small)  # warm up
    assert _tab_queries(client, small) == _tab_queries(client, large)
