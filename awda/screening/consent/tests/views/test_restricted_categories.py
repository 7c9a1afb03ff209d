"""A disclosure of trafficking data must not tell a caseworker that the person was identified as
a possible victim: the transfer log (tab and API) and the audit trail do not name a restricted
category to users without its permission."""

from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client
from awda.screening.consent import services
from awda.screening.consent.choices import DataCategory, Purpose

from ..conftest import persons_of


def _disclose(user, case, give):
    person = persons_of(case)[0]
    give(user, case, person, Purpose.ORIGIN_MISSION)
    return services.transfer_record(
        user,
        case=case,
        persons=[person],
        recipient="IOM Guinea",
        purpose=Purpose.ORIGIN_MISSION,
        categories=[DataCategory.IDENTITY, DataCategory.TRAFFICKING],
    )


def test_audit_event_does_not_name_the_restricted_category(caseworker, case, give):
    transfer = _disclose(caseworker, case, give)
    event = AuditEvent.objects.get(action="consent.transfer.recorded", object_id=str(transfer.pk))
    assert event.changes["categories"] == ["identity"]
    assert event.changes["restricted_category"] is True
    assert "trafficking" not in str(event.changes)
    # the record itself keeps the truth
    assert transfer.categories == ["identity", "trafficking"]


def test_tab_hides_the_category_from_a_caseworker_not_from_protection(
    client, caseworker, protection_officer, case, give
):
    _disclose(caseworker, case, give)
    client.force_login(caseworker)
    html = client.get(f"/cases/{case.pk}/?tab=consent").content.decode()
    assert "restricted category" in html
    assert "Trafficking" not in html  # neither in the log nor offered in the form
    client.force_login(protection_officer)
    html = client.get(f"/cases/{case.pk}/?tab=consent").content.decode()
    assert "Trafficking" in html


def test_api_hides_the_category_from_a_caseworker_not_from_protection(
    caseworker, protection_officer, case, give
):
    _disclose(caseworker, case, give)
    url = f"/api/v1/cases/{case.pk}/transfers/"
    mine = api_client(caseworker).get(url).json()["results"][0]
    assert mine["categories"] == ["identity"] and mine["restricted_category"] is True
    theirs = api_client(protection_officer).get(url).json()["results"][0]
    assert theirs["categories"] == ["identity", "trafficking"]
    assert theirs["restricted_category"] is False


def test_timeline_redacts_consent_events_for_roles_without_the_consent_tab(
    client, caseworker, finance_officer, case, give
):
    _disclose(caseworker, case, give)
    client.force_login(finance_officer)
    html = client.get(f"/cases/{case.pk}/?tab=timeline").content.decode()
    assert "Restricted record" in html
    assert "Consent recorded" not in html and "IOM Guinea" not in html
    events = api_client(finance_officer).get(f"/api/v1/cases/{case.pk}/timeline/").json()
    assert not any(e["action"].startswith("consent.") for e in events["results"])
    assert "IOM Guinea" not in str(events)
    client.force_login(caseworker)
    html = client.get(f"/cases/{case.pk}/?tab=timeline").content.decode()
    assert "Consent recorded" in html and "Data disclosed" in html


def test_a_consent_taken_in_another_offices_case_shows_only_what_makes_it_valid(
    client, caseworker, other_office_user, oujda, case, give
):
    """The person was in an Oujda case too (e.g. two records merged): their consent counts in
    Rabat, but the Rabat caseworker does not read the Oujda notes, who took it, or the Oujda
    case number."""
    from awda.factories import register_case
    from awda.screening.consent.models import Consent

    person = persons_of(case)[0]
    oujda_case = register_case(other_office_user, oujda)
    Consent.objects.create(
        case=oujda_case,
        person=person,
        purpose=Purpose.UNHCR,
        given_on=case.registered_on,
        language="fr",
        taken_by=other_office_user,
        notes="Fears persecution at home",
    )

    client.force_login(caseworker)
    html = client.get(f"/cases/{case.pk}/?tab=consent").content.decode()
    assert "in another office" in html
    assert "Fears persecution" not in html and oujda_case.number not in html
    assert str(other_office_user) not in html
    data = api_client(caseworker).get(f"/api/v1/cases/{case.pk}/consents/").json()["results"]
    unhcr = next(c for c in data if c["purpose"] == "unhcr")
    assert unhcr["valid"] is True and unhcr["case"] is None
    assert unhcr["notes"] == "" and unhcr["taken_by"] is None
