"""The case timeline shows medical events only to those who may see medical records, and
fitness decisions to those who see the fitness decision (cases.restricted: the most specific
prefix decides)."""

from awda.core.api.testing import api_client

from ..helpers import principal, record_fitness, record_need


def test_medical_events_redacted_for_a_caseworker_fitness_shown(
    client, caseworker, medical_officer, finance_officer, case
):
    person = principal(case)
    record_need(medical_officer, case, person)
    record_fitness(medical_officer, case, person, outcome="unfit")
    url = f"/api/v1/cases/{case.pk}/timeline/"

    actions = {e["action"] for e in api_client(caseworker).get(url).json()["results"]}
    assert "health.fitness.recorded" in actions
    assert "health.need.recorded" not in actions and "restricted" in actions

    actions = {e["action"] for e in api_client(medical_officer).get(url).json()["results"]}
    assert {"health.fitness.recorded", "health.need.recorded"} <= actions

    # finance sees the timeline but neither the fitness decision nor medical records
    events = api_client(finance_officer).get(url).json()["results"]
    assert not any(e["action"].startswith("health.") for e in events)
    assert "unfit" not in str(events)
    client.force_login(finance_officer)
    html = client.get(f"/cases/{case.pk}/?tab=timeline").content.decode()
    assert "Restricted record" in html and "Fitness to travel recorded" not in html
