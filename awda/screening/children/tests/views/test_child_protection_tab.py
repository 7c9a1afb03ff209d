"""The "Child protection" tab: protection officers only, every step with its state, records and
form; the forms post to the services and come back on the tab with their errors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.factories import person_data, register_case
from awda.screening.children.models import (
    BestInterestsDetermination,
    ChildIdentification,
    FamilyTracing,
)
from awda.screening.consent.models import Consent

from .. import steps
from ..conftest import years_ago


def tab_url(case):
    return reverse("cases:case_detail", args=[case.pk]) + "?tab=child_protection"


def record_url(case, person, step):
    return reverse("child_protection:record", args=[case.pk, person.pk, step])


def form_data(step, person, **values):
    return {f"uasc-{step}-{person.pk}-{k}": v for k, v in values.items()}


IDENTIFICATION = {
    "identified_on": "2026-01-05",
    "age_years": "16",
    "age_basis": "declared",
    "care_status": "unaccompanied",
    "current_caregiver": "Foyer Lalla Meryem",
}


def test_tab_shows_the_steps_and_the_read_is_audited(client, protection_officer, child_case):
    client.force_login(protection_officer)
    response = client.get(tab_url(child_case))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="tab-child_protection"' in body
    assert body.count('data-testid="uasc-child"') == 1
    assert 'data-testid="uasc-applies"' in body
    for step in steps_list():
        assert f'data-testid="uasc-step-{step}" data-ok="0"' in body
        assert f'data-testid="uasc-form-{step}"' in body
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", actor=protection_officer, changes__part="child_protection"
    ).exists()


def steps_list():
    return [
        "identification",
        "assessment",
        "tracing",
        "caregiver",
        "determination",
        "guardian_consent",
        "escort",
        "reception",
    ]


@pytest.mark.parametrize(
    "persona", ["caseworker", "manager", "medical_officer", "movement_officer"]
)
def test_other_roles_do_not_see_the_tab_and_posts_are_404(request, client, child_case, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    body = client.get(tab_url(child_case)).content.decode()
    assert 'data-testid="tab-child_protection"' not in body
    assert 'data-testid="child-protection-tab"' not in body  # falls back to the summary
    response = client.post(
        record_url(child_case, child_case.principal, "identification"),
        form_data("identification", child_case.principal, **IDENTIFICATION),
    )
    assert response.status_code == 404
    assert not ChildIdentification.objects.exists()


def test_other_office_gets_404(client, other_office_user, child_case):
    client.force_login(other_office_user)
    assert client.get(tab_url(child_case)).status_code == 404
    url = record_url(child_case, child_case.principal, "identification")
    assert client.post(url, {}).status_code == 404


def test_identification_form_records_it(client, protection_officer, child_case, child):
    client.force_login(protection_officer)
    response = client.post(
        record_url(child_case, child, "identification"),
        form_data("identification", child, **IDENTIFICATION),
    )
    assert response.status_code == 302 and response.url == tab_url(child_case)
    ident = ChildIdentification.objects.get()
    assert ident.care_status == "unaccompanied" and ident.age_years == 16
    body = client.get(tab_url(child_case)).content.decode()
    assert 'data-testid="uasc-step-identification" data-ok="1"' in body
    assert "Foyer Lalla Meryem" in body


def test_invalid_form_comes_back_with_its_errors(client, protection_officer, child_case, child):
    client.force_login(protection_officer)
    response = client.post(
        record_url(child_case, child, "identification"),
        form_data("identification", child, **{**IDENTIFICATION, "care_status": ""}),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="uasc-form-identification"' in body and "is-invalid" in body
    assert not ChildIdentification.objects.exists()


def test_tracing_without_consent_is_refused_on_the_form(
    client, protection_officer, child_case, child, guinea
):
    client.force_login(protection_officer)
    response = client.post(
        record_url(child_case, child, "tracing"),
        form_data(
            "tracing",
            child,
            requested_on=steps.today().isoformat(),
            origin_mission=guinea.pk,
            information_shared="Name and village",
        ),
    )
    assert response.status_code == 400
    assert "No valid consent" in response.content.decode()
    assert not FamilyTracing.objects.exists()


def test_tracing_form_offers_only_origin_missions(
    client, protection_officer, child_case, child, guinea, morocco
):
    """Tracing goes to the child's country of origin: the host mission is not offered, and a
    post naming it is refused on the form."""
    steps.guardian_consent(protection_officer, child_case, child)
    client.force_login(protection_officer)
    response = client.get(tab_url(child_case))
    field = response.context["uasc_children"][0]["steps"][2]["form"].fields["origin_mission"]
    assert [pk for pk, _name in field.choices if pk] == [guinea.pk]
    response = client.post(
        record_url(child_case, child, "tracing"),
        form_data(
            "tracing",
            child,
            requested_on=steps.today().isoformat(),
            origin_mission=morocco.pk,
            information_shared="Name and village",
        ),
    )
    assert response.status_code == 400
    assert not FamilyTracing.objects.exists()


def test_guardian_consent_then_tracing_then_outcome(
    client, protection_officer, child_case, child, guinea
):
    client.force_login(protection_officer)
    response = client.post(
        record_url(child_case, child, "guardian_consent"),
        form_data(
            "guardian_consent",
            child,
            guardian_name="Kadiatou Bah",
            guardian_relationship="mother",
            language="fr",
            given_on=steps.today().isoformat(),
            origin_mission="on",
        ),
    )
    assert response.status_code == 302
    response = client.post(
        record_url(child_case, child, "tracing"),
        form_data(
            "tracing",
            child,
            requested_on=steps.today().isoformat(),
            origin_mission=guinea.pk,
            information_shared="Name and village",
        ),
    )
    assert response.status_code == 302
    tracing = FamilyTracing.objects.get()
    url = reverse("child_protection:tracing_outcome", args=[child_case.pk, tracing.pk])
    prefix = f"uasc-outcome-{tracing.pk}"
    data = {
        f"{prefix}-status": "located",
        f"{prefix}-outcome_on": steps.today().isoformat(),
        f"{prefix}-outcome_notes": "Mother in Labé",
        f"{prefix}-version": 1,
    }
    assert client.post(url, data).status_code == 302
    tracing.refresh_from_db()
    assert tracing.status == "located" and tracing.version == 2
    # the same form again, with the version read before: refused, not overwritten
    response = client.post(url, {**data, f"{prefix}-status": "closed"})
    assert response.status_code == 409
    tracing.refresh_from_db()
    assert tracing.status == "located"
    body = client.get(tab_url(child_case)).content.decode()
    assert 'data-testid="uasc-step-tracing" data-ok="1"' in body
    assert 'data-testid="uasc-step-guardian_consent" data-ok="1"' in body


def test_the_guardian_consent_form_takes_no_notes(client, protection_officer, child_case, child):
    """The consent records are read beyond protection officers: no note from this tab."""
    client.force_login(protection_officer)
    body = client.get(tab_url(child_case)).content.decode()
    assert 'data-testid="uasc-form-guardian_consent"' in body
    assert f'name="uasc-guardian_consent-{child.pk}-notes"' not in body
    response = client.post(
        record_url(child_case, child, "guardian_consent"),
        form_data(
            "guardian_consent",
            child,
            guardian_name="Kadiatou Bah",
            guardian_relationship="mother",
            language="fr",
            given_on=steps.today().isoformat(),
            notes="Mother afraid of the uncle",
        ),
    )
    assert response.status_code == 302
    assert [c.notes for c in Consent.objects.all()] == [""]


def test_reopen_from_the_tab(client, protection_officer, child_case, child):
    steps.assess(protection_officer, child_case, child)
    bid = steps.determine(protection_officer, child_case, child)
    client.force_login(protection_officer)
    body = client.get(tab_url(child_case)).content.decode()
    assert 'data-testid="uasc-step-determination" data-ok="1"' in body
    url = reverse("child_protection:determination_reopen", args=[child_case.pk, bid.pk])
    response = client.post(url, {f"uasc-reopen-{bid.pk}-reason": ""})
    assert response.status_code == 400
    response = client.post(url, {f"uasc-reopen-{bid.pk}-reason": "Mother moved away"})
    assert response.status_code == 302
    body = client.get(tab_url(child_case)).content.decode()
    assert 'data-testid="uasc-step-determination" data-ok="0"' in body
    assert 'data-reopened="1"' in body and "Mother moved away" in body
    assert BestInterestsDetermination.objects.get().reopened_on is not None


def test_unknown_step_or_member_is_404(client, protection_officer, child_case, child, family):
    client.force_login(protection_officer)
    assert client.post(record_url(child_case, child, "nonsense"), {}).status_code == 404
    stranger = family.principal
    assert client.post(record_url(child_case, stranger, "identification"), {}).status_code == 404


def test_a_child_with_her_mother_shows_only_the_identification(client, protection_officer, family):
    client.force_login(protection_officer)
    body = client.get(tab_url(family)).content.decode()
    assert body.count('data-testid="uasc-child"') == 1  # the daughter, not the mother
    assert "Fanta" in body and 'data-testid="uasc-not-applies"' in body
    assert 'data-testid="uasc-step-identification"' in body
    assert 'data-testid="uasc-step-assessment"' not in body


def test_a_case_without_children_says_so(client, protection_officer, case):
    client.force_login(protection_officer)
    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="uasc-no-child"' in body


def _tab_queries(client, case):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(tab_url(case))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_fixed_number_of_queries_whatever_the_number_of_children(
    client, caseworker, protection_officer, rabat, guinea
):
    def siblings(n):
        case = register_case(
            caseworker,
            rabat,
            principal=person_data(given_name="Elder", date_of_birth=years_ago(17)),
            members=[
                {
                    "relationship": "sibling",
                    "person": person_data(given_name=f"Young{i}", date_of_birth=years_ago(9)),
                }
                for i in range(n)
            ],
        )
        for m in case.members.select_related("person"):
            steps.complete_procedure(protection_officer, case, m.person)
        return case

    one, three = siblings(0), siblings(2)
    client.force_login(protection_officer)
    _tab_queries(client, one)  # warm up the caches of the session
    assert _tab_queries(client, three) == _tab_queries(client, one)
