"""Child-protection API: protection officers only (404 for every other role, as the category is
not theirs), reads audited, every step, the tracing outcome with its version, reopening, and the
journey of a separated 16-year-old through HTTP only."""

import datetime

import pytest
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.core.api.testing import api_client, error_of
from awda.factories import OrganisationFactory, bring_case_to
from awda.screening.children.models import (
    BestInterestsDetermination,
    ChildIdentification,
    FamilyTracing,
)
from awda.screening.consent.models import Consent

from .. import steps


def base(case):
    return f"/api/v1/cases/{case.pk}/child-protection/"


def today():
    return steps.today().isoformat()


IDENTIFICATION = {
    "identified_on": "2026-01-05",
    "age_years": 16,
    "age_basis": "declared",
    "care_status": "separated",
}


@pytest.mark.parametrize(
    "persona", ["caseworker", "manager", "medical_officer", "movement_officer", "finance_officer"]
)
def test_other_roles_get_404_for_reads_and_writes(request, child_case, child, persona):
    client = api_client(request.getfixturevalue(persona))
    response = client.get(base(child_case))
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    response = client.post(
        base(child_case) + "identifications/",
        {"person": child.pk, **IDENTIFICATION},
        format="json",
    )
    assert response.status_code == 404
    assert not ChildIdentification.objects.exists()
    assert not AuditEvent.objects.filter(changes__part="child_protection").exists()


def test_other_office_gets_404(other_office_user, child_case):
    assert api_client(other_office_user).get(base(child_case)).status_code == 404


def test_read_is_audited_and_lists_the_children(protection_officer, child_case, child, family):
    client = api_client(protection_officer)
    body = client.get(base(child_case)).json()
    assert body["case_id"] == child_case.pk
    (entry,) = body["children"]
    assert entry["person"]["id"] == child.pk and entry["applies"] is True
    assert [c["code"] for c in entry["checks"]] == [
        "uasc.identification",
        "uasc.assessment",
        "uasc.tracing",
        "uasc.caregiver",
        "uasc.determination",
        "uasc.guardian_consent",
        "uasc.escort",
        "uasc.reception",
    ]
    assert all(c["ok"] is False and c["detail"] == "missing" for c in entry["checks"])
    assert (
        AuditEvent.objects.filter(
            action="cases.case.viewed", actor=protection_officer, changes__part="child_protection"
        ).count()
        == 1
    )
    # a child travelling with her mother: listed, not concerned
    (daughter,) = client.get(base(family)).json()["children"]
    assert daughter["person"]["given_name"] == "Fanta" and daughter["applies"] is False


def test_errors_use_the_one_shape(protection_officer, child_case, child, family):
    client = api_client(protection_officer)
    url = base(child_case) + "identifications/"
    response = client.post(url, {"person": child.pk}, format="json")
    assert response.status_code == 400 and "age_years" in error_of(response)["fields"]
    response = client.post(url, {"person": family.principal.pk, **IDENTIFICATION}, format="json")
    assert response.status_code == 404
    response = client.post(
        base(child_case) + "determinations/",
        {
            "person": child.pk,
            "panel": "P",
            "decided_on": today(),
            "outcome": "return",
            "reasons": "R",
        },
        format="json",
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "assessment_missing"


def test_tracing_without_consent_is_refused(protection_officer, child_case, child, guinea):
    response = api_client(protection_officer).post(
        base(child_case) + "tracing/",
        {"person": child.pk, "requested_on": today(), "information_shared": "Name"},
        format="json",
    )
    assert response.status_code == 400 and error_of(response)["code"] == "consent_missing"
    assert not FamilyTracing.objects.exists()


def test_guardian_consent_takes_no_notes(protection_officer, child_case, child):
    """The consent records are read beyond protection officers: a note sent here is not kept
    on them, and the input does not offer one."""
    client = api_client(protection_officer)
    response = client.post(
        base(child_case) + "guardian-consent/",
        {
            "person": child.pk,
            "guardian_name": "Kadiatou Bah",
            "guardian_relationship": "mother",
            "language": "fr",
            "notes": "Mother afraid of the uncle",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert [c.notes for c in Consent.objects.all()] == ["", ""]
    schema = client.get("/api/schema/", {"format": "json"}).json()
    assert (
        "notes" not in schema["components"]["schemas"]["GuardianConsentInputRequest"]["properties"]
    )


def test_tracing_to_a_host_mission_is_refused(protection_officer, child_case, child, morocco):
    steps.guardian_consent(protection_officer, child_case, child)
    response = api_client(protection_officer).post(
        base(child_case) + "tracing/",
        {
            "person": child.pk,
            "requested_on": today(),
            "information_shared": "Name",
            "origin_mission": morocco.pk,
        },
        format="json",
    )
    assert response.status_code == 400
    assert "origin_mission" in error_of(response)["fields"]
    assert not FamilyTracing.objects.exists()


def test_tracing_outcome_stale_version_is_409(protection_officer, child_case, child, guinea):
    steps.guardian_consent(protection_officer, child_case, child)
    tracing = steps.trace(protection_officer, child_case, child)
    client = api_client(protection_officer)
    url = f"{base(child_case)}tracing/{tracing.pk}/"
    body = {"status": "in_progress", "version": 1}
    assert client.patch(url, body, format="json").status_code == 200
    response = client.patch(
        url, {**body, "status": "located", "outcome_on": today()}, format="json"
    )
    assert response.status_code == 409 and error_of(response)["code"] == "stale_edit"
    assert (
        client.patch(f"{base(child_case)}tracing/999999/", body, format="json").status_code == 404
    )


def test_reopen_through_the_api(protection_officer, child_case, child):
    steps.assess(protection_officer, child_case, child)
    bid = steps.determine(protection_officer, child_case, child)
    client = api_client(protection_officer)
    url = f"{base(child_case)}determinations/{bid.pk}/reopen/"
    response = client.post(url, {"reason": ""}, format="json")
    assert response.status_code == 400
    response = client.post(url, {"reason": "New facts"}, format="json")
    assert response.status_code == 200
    assert response.json()["reopened_on"] == today() and response.json()["is_current"] is False
    response = client.post(url, {"reason": "Again"}, format="json")
    assert response.status_code == 400 and error_of(response)["code"] == "not_current"
    (entry,) = client.get(base(child_case)).json()["children"]
    determination = {c["step"]: c for c in entry["checks"]}["determination"]
    assert determination["detail"] == "reopened: a new determination is needed"
    assert entry["determinations"][0]["reopen_reason"] == "New facts"


def test_separated_16_year_old_journey_through_http_only(
    child_case, child, caseworker, manager, protection_officer, guinea
):
    case = bring_case_to(child_case, "pre_departure", caseworker=caseworker, manager=manager)
    worker, officer = api_client(caseworker), api_client(protection_officer)

    def version():
        return worker.get(f"/api/v1/cases/{case.pk}/").json()["version"]

    def mark_ready():
        return worker.post(
            f"/api/v1/cases/{case.pk}/transitions/",
            {"transition": "mark_ready", "version": version()},
            format="json",
        )

    # the caseworker screens Mamadou
    member = case.members.get(is_principal=True)
    response = worker.post(
        f"/api/v1/cases/{case.pk}/screenings/",
        {"member": member.pk, "factors": {"unaccompanied_child": True}, "version": version()},
        format="json",
    )
    assert response.status_code == 201

    # his laissez-passer and exit authorisation (travel documents API)
    authority = OrganisationFactory(kind="authority", name="DGSN")
    response = worker.post(
        f"/api/v1/cases/{case.pk}/travel-documents/",
        {
            "person": member.person_id,
            "kind": "laissez_passer",
            "number": "LP-1",
            "expires_on": (timezone.localdate() + datetime.timedelta(days=90)).isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201
    response = worker.post(
        f"/api/v1/cases/{case.pk}/exit-authorisations/",
        {"person": member.person_id, "authority": authority.pk},
        format="json",
    )
    response = worker.post(
        f"/api/v1/cases/{case.pk}/exit-authorisations/{response.json()['id']}/answer/",
        {"outcome": "granted", "version": 1},
        format="json",
    )
    assert response.status_code == 200

    # refused: every step is missing, and the refusal says so
    response = mark_ready()
    assert response.status_code == 409
    messages = error_of(response)["details"]["failed_gates"][0]["messages"]
    assert messages[0] == "Mamadou BAH: Identification (missing)"
    assert len(messages) == 8

    def post(path, **data):
        response = officer.post(base(case) + path, {"person": child.pk, **data}, format="json")
        assert response.status_code == 201, response.json()
        return response.json()

    post("identifications/", **IDENTIFICATION)
    post(
        "assessments/",
        assessed_on=today(),
        child_views="Wants to go home",
        family_situation="Mother in Labé",
        safety_and_risks="None known",
        recommendation="return",
    )
    consents = post(
        "guardian-consent/",
        guardian_name="Kadiatou Bah",
        guardian_relationship="mother",
        language="fr",
    )["consents"]
    assert {c["purpose"] for c in consents} == {"avrr", "origin_mission"}
    tracing = post("tracing/", requested_on=today(), information_shared="Name, village")
    assert tracing["origin_mission"]["code"] == "GN" and tracing["transfer_id"]

    # half-way: still refused, naming what is left
    response = mark_ready()
    assert response.status_code == 409
    assert error_of(response)["details"]["failed_gates"][0]["messages"] == [
        "Mamadou BAH: Family tracing (family not yet located)",
        "Mamadou BAH: Family or caregiver assessment (missing)",
        "Mamadou BAH: Best-interests determination (missing)",
        "Mamadou BAH: Escort plan with a trained escort (missing)",
        "Mamadou BAH: Reception on arrival (missing)",
    ]

    response = officer.patch(
        f"{base(case)}tracing/{tracing['id']}/",
        {
            "status": "located",
            "outcome_on": today(),
            "outcome_notes": "Mother found",
            "version": tracing["version"],
        },
        format="json",
    )
    assert response.status_code == 200 and response.json()["version"] == 2
    post(
        "caregiver-assessments/",
        assessed_on=today(),
        caregiver_name="Kadiatou Bah",
        relationship="mother",
        location="Labé",
        conducted_by="IOM Guinea",
        outcome="suitable",
        findings="Stable home",
    )
    determination = post(
        "determinations/",
        panel="IOM, UNICEF, social worker",
        decided_on=today(),
        outcome="return",
        reasons="Family suitable",
    )
    assert determination["is_current"] is True
    post(
        "escort-plans/",
        escort_name="Awa Sow",
        escort_role="iom_staff",
        escort_trained=True,
        planned_on=today(),
    )
    post(
        "reception/",
        arranged_on=today(),
        received_by_name="Kadiatou Bah",
        relationship_or_organisation="mother",
        place="Conakry airport",
    )

    (entry,) = officer.get(base(case)).json()["children"]
    assert all(c["ok"] for c in entry["checks"])

    response = mark_ready()
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "ready_to_travel"
    assert Case.objects.get(pk=case.pk).status == "ready_to_travel"
    assert BestInterestsDetermination.objects.get().outcome == "return"
