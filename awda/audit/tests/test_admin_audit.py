"""Reference data edited in the Django admin is audited (awda.audit.admin_mixins): every add,
change and delete writes an event in the same transaction, with field-level changes."""

import datetime

import pytest

from awda.accounts.models import Mission, Office
from awda.audit.models import AuditEvent
from awda.factories import DonorFactory, OrganisationFactory
from awda.finance.models import Project
from awda.registry.models import Organisation

INLINE_OFFICES = {
    "offices-TOTAL_FORMS": "0",
    "offices-INITIAL_FORMS": "0",
    "offices-MIN_NUM_FORMS": "0",
    "offices-MAX_NUM_FORMS": "1000",
}


def test_mission_add_is_audited(admin_client, admin_user, db):
    response = admin_client.post(
        "/admin/accounts/mission/add/",
        {
            "code": "SN",
            "name": "Senegal",
            "country_alpha3": "SEN",
            "kind": "origin",
            "is_active": "on",
            **INLINE_OFFICES,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    mission = Mission.objects.get(code="SN")
    event = AuditEvent.objects.get(action="accounts.mission.created")
    assert event.actor == admin_user and event.object_id == str(mission.pk)
    assert event.changes["name"] == "Senegal" and event.changes["kind"] == "origin"
    assert event.channel == "admin"


def test_office_change_is_audited_with_before_and_after(admin_client, rabat):
    response = admin_client.post(
        f"/admin/accounts/office/{rabat.pk}/change/",
        {
            "mission": rabat.mission_id,
            "code": "RBA",
            "name": "Rabat office",
            "city": "Rabat",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    event = AuditEvent.objects.get(action="accounts.office.updated")
    assert event.changes == {"name": {"from": "Rabat", "to": "Rabat office"}}
    assert Office.objects.get(pk=rabat.pk).name == "Rabat office"


def test_organisation_add_change_and_delete_are_audited(admin_client, db):
    data = {"name": "Hôpital Avicenne", "kind": "hospital", "country": "MA", "is_active": "on"}
    assert admin_client.post("/admin/registry/organisation/add/", data).status_code == 302
    org = Organisation.objects.get(name="Hôpital Avicenne")
    response = admin_client.post(
        f"/admin/registry/organisation/{org.pk}/change/", {**data, "city": "Rabat"}
    )
    assert response.status_code == 302
    response = admin_client.post(f"/admin/registry/organisation/{org.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    actions = list(
        AuditEvent.objects.filter(object_type="registry.organisation")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "registry.organisation.created",
        "registry.organisation.updated",
        "registry.organisation.deleted",
    ]
    assert AuditEvent.objects.get(action="registry.organisation.updated").changes == {
        "city": {"from": "", "to": "Rabat"}
    }


def test_bulk_delete_action_is_audited(admin_client, db):
    orgs = [OrganisationFactory(), OrganisationFactory()]
    response = admin_client.post(
        "/admin/registry/organisation/",
        {"action": "delete_selected", "_selected_action": [o.pk for o in orgs], "post": "yes"},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="registry.organisation.deleted").count() == 2


def test_project_add_and_rule_changes_are_audited(admin_client, morocco, rabat, oujda):
    donor = DonorFactory()
    data = {
        "code": "AVRR-MA-SEM-2026",
        "name": "AVRR Morocco - SEM 2026",
        "donors": [donor.pk],
        "mission": morocco.pk,
        "start_date": "2026-01-01",
        "end_date": "2026-12-31",
        "currency": "CHF",
        "eligible_offices": [rabat.pk],
        "eligible_nationalities": '["GN", "CI"]',
        "is_active": "on",
    }
    response = admin_client.post("/admin/finance/project/add/", data)
    assert response.status_code == 302, response.content[:3000]
    project = Project.objects.get(code="AVRR-MA-SEM-2026")
    created = AuditEvent.objects.get(action="finance.project.created")
    assert created.changes["currency"] == "CHF"
    assert created.changes["eligible_nationalities"] == ["GN", "CI"]
    # Rules kept in many-to-many fields are audited too, at creation and on every change.
    m2m = AuditEvent.objects.get(action="finance.project.updated")
    assert m2m.changes == {
        "donors": {"from": [], "to": [donor.pk]},
        "eligible_offices": {"from": [], "to": [rabat.pk]},
    }
    last = m2m.pk
    response = admin_client.post(
        f"/admin/finance/project/{project.pk}/change/",
        {**data, "eligible_offices": [rabat.pk, oujda.pk], "end_date": "2027-06-30"},
    )
    assert response.status_code == 302
    changes = {}
    for event in AuditEvent.objects.filter(action="finance.project.updated", pk__gt=last):
        changes.update(event.changes)
    assert changes["end_date"] == {"from": "2026-12-31", "to": "2027-06-30"}
    assert changes["eligible_offices"] == {
        "from": [rabat.pk],
        "to": sorted([rabat.pk, oujda.pk]),
    }
    assert project.start_date == datetime.date(2026, 1, 1)


@pytest.mark.parametrize("model", ["accounts/mission", "accounts/office", "finance/project"])
def test_changelists_render(admin_client, rabat, model):
    assert admin_client.get(f"/admin/{model}/").status_code == 200
