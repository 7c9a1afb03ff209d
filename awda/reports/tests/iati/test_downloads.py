"""Downloading a project's IATI file (web and API): finance officers, managers and M&E officers of
the project's mission; another mission's project is a 404, another role a 403; every download is
audited."""

import pytest
from django.urls import reverse
from lxml import etree

from awda.accounts.choices import Role
from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client, error_of
from awda.factories import OfficeFactory, ProjectFactory, member_of


def web_url(project):
    return reverse("reports:iati_project_xml", args=[project.pk])


def api_url(project):
    return f"/api/v1/reports/iati/projects/{project.pk}/"


def exported():
    return AuditEvent.objects.filter(action="reports.iati.exported")


@pytest.fixture
def officers(finance_officer, manager, auditor, oujda):
    """Finance (Rabat), manager (Rabat), M&E (Rabat) and M&E of another office of the mission."""
    return {
        "finance": finance_officer,
        "manager": manager,
        "me": auditor,
        "me_oujda": member_of(oujda, Role.ME, "me.oujda"),
    }


@pytest.mark.parametrize("who", ["finance", "manager", "me", "me_oujda"])
def test_reporting_roles_of_the_mission_download_the_file(client, ledger, officers, who):
    client.force_login(officers[who])
    response = client.get(web_url(ledger))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert 'filename="iati-activity-AVRR-MA-2026.xml"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    root = etree.fromstring(response.content)
    assert root.find("iati-activity").findtext("iati-identifier").endswith("-AVRR-MA-2026")


def test_download_is_audited_with_the_counts(client, ledger, finance_officer):
    client.force_login(finance_officer)
    client.get(web_url(ledger))
    event = exported().get()
    assert event.actor == finance_officer
    assert event.object_type == "finance.project"
    assert event.object_id == str(ledger.pk)
    assert event.channel == "web"
    assert event.changes == {
        "project": ledger.pk,
        "format": "xml",
        "transactions": 10,
        "awaiting_rate": 2,
    }


@pytest.mark.parametrize("who", ["caseworker", "medical_officer", "movement_officer"])
def test_other_roles_of_the_mission_get_403_and_nothing_is_audited(client, ledger, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(web_url(ledger)).status_code == 403
    assert not exported().exists()


def test_reporting_roles_of_another_mission_get_404(client, ledger, guinea, conakry):
    for role in (Role.FINANCE, Role.MANAGER, Role.ME):
        client.force_login(member_of(conakry, role, f"{role}.conakry"))
        assert client.get(web_url(ledger)).status_code == 404
    assert not exported().exists()


def test_project_of_another_mission_is_404_for_the_missions_finance_officer(
    client, finance_officer, guinea
):
    other = ProjectFactory(code="REINT-GN", mission=guinea)
    client.force_login(finance_officer)
    assert client.get(web_url(other)).status_code == 404


def test_unknown_project_is_404(client, finance_officer):
    client.force_login(finance_officer)
    assert client.get(reverse("reports:iati_project_xml", args=[999999])).status_code == 404


def test_anonymous_user_is_sent_to_the_login_page(client, ledger):
    response = client.get(web_url(ledger))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_inactive_membership_no_longer_gives_access(client, ledger, finance_officer):
    finance_officer.memberships.update(is_active=False)
    client.force_login(finance_officer)
    assert client.get(web_url(ledger)).status_code == 404


def test_office_of_another_mission_does_not_open_this_missions_projects(client, ledger, guinea):
    """A finance officer in two missions sees each mission's projects by its own roles."""
    kindia = OfficeFactory(mission=guinea, code="KND", name="Kindia")
    user = member_of(kindia, Role.FINANCE, "finance.kindia")
    client.force_login(user)
    assert client.get(web_url(ledger)).status_code == 404


# ---- API ----------------------------------------------------------------------------------------


def test_api_returns_the_xml_and_audits(ledger, finance_officer):
    response = api_client(finance_officer).get(api_url(ledger))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = etree.fromstring(response.content)
    assert root.get("version") == "2.03"
    event = exported().get()
    assert event.channel == "api"
    assert event.changes["format"] == "xml"


def test_api_other_role_gets_403_in_the_error_shape(ledger, caseworker):
    response = api_client(caseworker).get(api_url(ledger))
    assert response.status_code == 403
    assert error_of(response)["code"] == "permission_denied"
    assert not exported().exists()


def test_api_another_missions_user_gets_404(ledger, conakry):
    user = member_of(conakry, Role.FINANCE, "finance.conakry")
    response = api_client(user).get(api_url(ledger))
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_api_anonymous_gets_401(ledger):
    assert api_client().get(api_url(ledger)).status_code == 401


def test_api_endpoint_is_in_the_schema_as_an_xml_download(caseworker):
    schema = api_client(caseworker).get("/api/schema/", {"format": "json"}).json()
    op = schema["paths"]["/api/v1/reports/iati/projects/{project_pk}/"]["get"]
    assert op["operationId"] == "reports_iati_project_retrieve"
    content = op["responses"]["200"]["content"]
    assert content["application/xml"]["schema"] == {"type": "string", "format": "binary"}
