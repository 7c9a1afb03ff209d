"""The Handover tab, its form, what the origin mission sees after the handover, and the API."""

from awda.audit.models import AuditEvent
from awda.cases.policies import can
from awda.core.api.testing import api_client, error_of
from awda.movements.handover import case_handover
from awda.movements.models import Handover
from awda.screening.consent.choices import Purpose

from .conftest import consent, fresh


def tab(client, user, case):
    client.force_login(user)
    return client.get(f"/cases/{case.pk}/?tab=handover")


def test_origin_officer_sees_the_case_only_after_the_handover(
    client, consented, caseworker, origin_officer
):
    client.force_login(origin_officer)
    assert client.get(f"/cases/{consented.pk}/").status_code == 404
    assert api_client(origin_officer).get(f"/api/v1/cases/{consented.pk}/").status_code == 404
    case_handover(caseworker, case=consented)
    assert client.get(f"/cases/{consented.pk}/").status_code == 200
    assert api_client(origin_officer).get(f"/api/v1/cases/{consented.pk}/").status_code == 200
    page = tab(client, origin_officer, consented)
    html = page.content.decode()
    assert 'data-testid="handover-row"' in html and "Guinea" in html
    assert 'data-testid="handover-form"' not in html
    # only what the policies give an origin reintegration officer: no restricted categories
    # (health was not shared: no consent to health data), no host-side acts
    case = fresh(consented)
    assert can(origin_officer, "case.view", case) and can(origin_officer, "movement.view", case)
    for action in (
        "fitness.view",
        "health.view",
        "trafficking.view",
        "child.view",
        "handover.record",
        "movement.record",
        "case.declaration",
    ):
        assert not can(origin_officer, action, case)


def test_tab_shows_what_consent_allows_and_the_form(client, consented, caseworker):
    page = tab(client, caseworker, consented)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-code="identity" data-allowed="1"' in html
    assert 'data-code="health" data-allowed="0"' in html
    assert 'data-testid="handover-form"' in html
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", case_id=consented.pk, changes__part="handover"
    ).exists()


def test_tab_has_no_form_before_ready_to_travel(client, case, caseworker):
    html = tab(client, caseworker, case).content.decode()
    assert 'data-testid="handover-not-yet"' in html
    assert 'data-testid="handover-form"' not in html


def test_posting_the_form_hands_over(client, consented, caseworker, guinea):
    client.force_login(caseworker)
    response = client.post(
        f"/cases/{consented.pk}/handover/",
        {"ho-mission": guinea.pk, "ho-categories": ["identity", "case"], "ho-notes": "ok"},
    )
    assert response.status_code == 302
    handover = Handover.objects.get(case=consented)
    assert handover.categories == ["identity", "case"] and handover.notes == "ok"


def test_posting_without_consent_shows_who_lacks_it(client, ready_case, caseworker, guinea):
    consent(caseworker, ready_case, Purpose.ORIGIN_MISSION, who=[ready_case.principal])
    client.force_login(caseworker)
    response = client.post(
        f"/cases/{ready_case.pk}/handover/",
        {"ho-mission": guinea.pk, "ho-categories": ["identity"]},
    )
    assert response.status_code == 400
    assert "Awa" in response.content.decode()
    assert not Handover.objects.filter(case=ready_case).exists()


def test_posting_is_forbidden_without_handover_record(client, consented, medical_officer, guinea):
    client.force_login(medical_officer)
    response = client.post(
        f"/cases/{consented.pk}/handover/", {"ho-mission": guinea.pk, "ho-categories": ["identity"]}
    )
    assert response.status_code == 403
    assert not Handover.objects.exists()


def test_api_hands_over_and_lists(consented, caseworker, other_office_user, origin_officer):
    url = f"/api/v1/cases/{consented.pk}/handover/"
    assert api_client(other_office_user).post(url, {}, format="json").status_code == 404
    created = api_client(caseworker).post(
        url, {"categories": ["identity", "contact"], "notes": "x"}, format="json"
    )
    assert created.status_code == 201, created.content
    data = created.json()
    assert data["mission"]["code"] == "GN" and data["categories"] == ["identity", "contact"]
    assert data["withheld"] == ["case", "documents", "health"]
    assert data["restricted_category"] is False
    listed = api_client(origin_officer).get(url)
    assert listed.status_code == 200
    assert [h["id"] for h in listed.json()["results"]] == [data["id"]]
    again = api_client(caseworker).post(url, {}, format="json")
    assert again.status_code == 400 and error_of(again)["code"] == "handed_over"


def test_api_refuses_without_consent_naming_who(ready_case, caseworker):
    consent(caseworker, ready_case, Purpose.ORIGIN_MISSION, who=[ready_case.principal])
    response = api_client(caseworker).post(
        f"/api/v1/cases/{ready_case.pk}/handover/", {}, format="json"
    )
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "consent_missing" and "Awa" in error["message"]
    assert not Handover.objects.exists()


def test_api_permission_denied_for_medical_officer(consented, medical_officer):
    response = api_client(medical_officer).post(
        f"/api/v1/cases/{consented.pk}/handover/", {}, format="json"
    )
    assert response.status_code == 403
    assert not Handover.objects.exists()


def test_handover_endpoints_are_in_the_schema(caseworker):
    schema = api_client(caseworker).get("/api/schema/", {"format": "json"}).json()
    ops = schema["paths"]["/api/v1/cases/{case_pk}/handover/"]
    assert ops["get"]["operationId"] == "cases_handover_list"
    assert ops["post"]["operationId"] == "cases_handover_create"


def test_finance_does_not_see_health_named_on_a_handover(consented, caseworker, rabat):
    from awda.factories import member_of

    finance = member_of(rabat, "finance", "finance.rabat")
    case_handover(caseworker, case=consented)
    data = api_client(finance).get(f"/api/v1/cases/{consented.pk}/handover/").json()
    row = data["results"][0]
    assert "health" not in row["withheld"] and row["restricted_category"] is True


def test_health_withheld_by_the_handover_stays_hidden_from_the_origin_mission(
    client, consented, caseworker, movement_officer, medical_officer, origin_officer
):
    """Special needs and remarks of the bookings say something of health: the receiving mission
    sees them, and the fitness decision, only when the handover shared health data."""
    from awda.factories import book_travellers
    from awda.screening.health.services import fitness_record

    case = fresh(consented)
    person = case.principal
    fitness_record(
        medical_officer,
        case=case,
        person=person,
        outcome="fit",
        special_needs=["oxygen"],
        remarks="Oxygène pendant le vol",
    )
    book_travellers(fresh(case), movement_officer)
    case_handover(caseworker, case=fresh(case))
    case = fresh(case)
    assert case.handover_categories and "health" not in case.handover_categories
    assert not can(origin_officer, "fitness.view", case)
    bookings = api_client(origin_officer).get(f"/api/v1/cases/{case.pk}/bookings/").json()
    assert bookings["results"] and all(b["special_needs"] == [] for b in bookings["results"])
    client.force_login(origin_officer)
    travel = client.get(f"/cases/{case.pk}/?tab=travel").content.decode()
    assert "Oxyg" not in travel
    # the host mission's movement officer still sees them
    host = api_client(movement_officer).get(f"/api/v1/cases/{case.pk}/bookings/").json()
    assert any(b["special_needs"] == ["oxygen"] for b in host["results"])


def test_health_shared_by_the_handover_is_seen_by_the_origin_mission(
    consented, caseworker, movement_officer, medical_officer, origin_officer
):
    from awda.factories import book_travellers
    from awda.screening.health.services import fitness_record

    consent(caseworker, consented, Purpose.HEALTH_DATA)
    case = fresh(consented)
    for member in case.members.select_related("person"):
        fitness_record(
            medical_officer,
            case=fresh(case),
            person=member.person,
            outcome="fit",
            special_needs=["oxygen"],
        )
    book_travellers(fresh(case), movement_officer)
    case_handover(caseworker, case=fresh(case))
    case = fresh(case)
    assert "health" in case.handover_categories
    assert can(origin_officer, "fitness.view", case)
    bookings = api_client(origin_officer).get(f"/api/v1/cases/{case.pk}/bookings/").json()
    assert all(b["special_needs"] == ["oxygen"] for b in bookings["results"])
