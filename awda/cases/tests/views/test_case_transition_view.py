"""Transitions from the case page: buttons post the case version; moves with inputs take them from
a form; refusals name the failed gate; stale versions and wrong roles change nothing."""

import pytest
from django.urls import reverse

from awda.cases.models import Case, CaseTransition
from awda.factories import ProjectFactory, bring_case_to


def url(case, name):
    return reverse("cases:case_transition", args=[case.pk, name])


def post(client, case, name, version=None, **fields):
    data = {f"t-{name}-version": case.version if version is None else version}
    data.update({f"t-{name}-{k}": v for k, v in fields.items()})
    return client.post(url(case, name), data)


def test_caseworker_starts_counselling(client, caseworker, case):
    client.force_login(caseworker)
    response = post(client, case, "start_counselling")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("cases:case_detail", args=[case.pk]))
    case.refresh_from_db()
    assert case.status == "counselling"
    record = CaseTransition.objects.get(case=case)
    assert record.actor == caseworker and record.from_status == "registered"


def test_refused_transition_shows_the_failed_gate_and_changes_nothing(client, caseworker, case):
    bring_case_to(case, "counselling", caseworker=caseworker, manager=None)
    case.refresh_from_db()
    client.force_login(caseworker)
    response = post(client, case, "start_screening")
    assert response.status_code == 409
    assert response.context["failed_gates"][0]["gate"] == "declaration_signed"
    body = response.content.decode()
    assert 'data-testid="failed-gates"' in body
    case.refresh_from_db()
    assert case.status == "counselling"
    assert CaseTransition.objects.filter(case=case).count() == 1


def test_stale_version_is_refused_and_changes_nothing(client, caseworker, colleague, case):
    seen = case.version
    client.force_login(colleague)
    post(client, case, "start_counselling")  # someone else moved it meanwhile
    client.force_login(caseworker)
    response = post(client, case, "put_on_hold", version=seen, reason="Hospital stay")
    assert response.status_code == 409
    assert response.context["form"].non_field_errors()
    case.refresh_from_db()
    assert case.status == "counselling"


def test_reason_is_required_for_withdrawal(client, caseworker, case):
    client.force_login(caseworker)
    response = post(client, case, "withdraw", reason="")
    assert response.status_code == 400
    assert "reason" in response.context["form"].errors
    case.refresh_from_db()
    assert case.status == "registered"
    response = post(client, case, "withdraw", reason="Decided to stay with family in Rabat")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "withdrawn"
    assert case.transitions.get().reason == "Decided to stay with family in Rabat"


def test_transition_page_works_without_javascript(client, caseworker, case):
    client.force_login(caseworker)
    response = client.get(url(case, "put_on_hold"))
    assert response.status_code == 200
    assert 'name="t-put_on_hold-reason"' in response.content.decode()


def test_manager_approves_eligibility_with_a_project(client, caseworker, manager, case):
    project = ProjectFactory(mission=case.mission, code="SEM-26")
    bring_case_to(case, "screening", caseworker=caseworker, manager=manager)
    case.refresh_from_db()
    client.force_login(manager)
    response = post(client, case, "approve_eligibility", project=project.pk)
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "eligible" and case.project == project


def test_project_whose_rules_the_case_does_not_meet_is_refused_with_the_gate(
    client, caseworker, manager, case
):
    project = ProjectFactory(mission=case.mission, eligible_nationalities=["SN"])
    bring_case_to(case, "screening", caseworker=caseworker, manager=manager)
    case.refresh_from_db()
    client.force_login(manager)
    response = post(client, case, "approve_eligibility", project=project.pk)
    assert response.status_code == 409
    assert [g["gate"] for g in response.context["failed_gates"]] == ["project_rules"]
    case.refresh_from_db()
    assert case.status == "screening" and case.project is None


def test_project_of_another_mission_is_not_offered(client, caseworker, manager, case, guinea):
    other = ProjectFactory(mission=guinea, code="GN-ONLY")
    bring_case_to(case, "screening", caseworker=caseworker, manager=manager)
    case.refresh_from_db()
    client.force_login(manager)
    response = post(client, case, "approve_eligibility", project=other.pk)
    assert response.status_code == 400
    assert "project" in response.context["form"].errors
    assert Case.objects.get(pk=case.pk).status == "screening"


@pytest.mark.parametrize(
    "persona,name",
    [
        ("caseworker", "approve_eligibility"),
        ("medical_officer", "start_counselling"),
        ("movement_officer", "start_counselling"),
    ],
)
def test_wrong_role_gets_403_and_nothing_changes(client, request, persona, name, manager, case):
    user = request.getfixturevalue(persona)
    if name == "approve_eligibility":
        bring_case_to(
            case, "screening", caseworker=request.getfixturevalue("caseworker"), manager=manager
        )
        case.refresh_from_db()
    status_before = case.status
    client.force_login(user)
    assert client.get(url(case, name)).status_code == 403
    response = post(client, case, name, project=ProjectFactory(mission=case.mission).pk)
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.status == status_before


def test_other_office_gets_404(client, other_office_user, case):
    client.force_login(other_office_user)
    assert post(client, case, "start_counselling").status_code == 404
    case.refresh_from_db()
    assert case.status == "registered"


def test_unknown_transition_is_404(client, caseworker, case):
    client.force_login(caseworker)
    assert client.get(url(case, "teleport")).status_code == 404


def test_close_needs_a_closure_reason(client, caseworker, case):
    client.force_login(caseworker)
    post(client, case, "withdraw", reason="Changed mind")
    case.refresh_from_db()
    response = post(client, case, "close", closure_reason="")
    assert response.status_code == 400
    response = post(client, case, "close", closure_reason="withdrawn")
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed" and case.closure_reason == "withdrawn"
