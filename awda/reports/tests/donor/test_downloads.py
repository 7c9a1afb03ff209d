"""Donor report pages and downloads (web and API): finance officers, managers and M&E officers
of the project's mission; another mission's project is a 404, another role a 403; downloads
are audited; nothing shows a name or a case number."""

import io

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from awda.accounts.choices import Role
from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client, error_of
from awda.factories import ProjectFactory, member_of

from .test_documents import no_personal_data

QUERY = {"date_from": "2026-01-01", "date_to": "2026-12-31"}


def exported():
    return AuditEvent.objects.filter(action="reports.donor_report.exported")


def page_url(project):
    return reverse("reports:donor_report", args=[project.pk])


def pdf_url(project):
    return reverse("reports:donor_report_pdf", args=[project.pk])


def xlsx_url(project):
    return reverse("reports:donor_report_xlsx", args=[project.pk])


@pytest.mark.parametrize("who", ["finance_officer", "manager", "auditor"])
def test_reporting_roles_download_the_pdf(client, activity, request, who):
    client.force_login(request.getfixturevalue(who))
    response = client.get(pdf_url(activity), QUERY)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        'filename="donor-report-AVRR-MA-2026-20260101-20261231.pdf"'
        in response["Content-Disposition"]
    )
    assert response["Cache-Control"] == "no-store"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "AVRR-MA-2026" in text
    no_personal_data(text)


def test_me_officer_downloads_the_xlsx_annex_and_it_is_audited(client, activity, auditor):
    client.force_login(auditor)
    response = client.get(xlsx_url(activity), QUERY)
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "Budget lines" in book.sheetnames
    event = exported().get()
    assert event.actor == auditor
    assert event.object_type == "finance.project"
    assert event.object_id == str(activity.pk)
    assert event.changes == {
        "project": activity.pk,
        "format": "xlsx",
        "date_from": "2026-01-01",
        "date_to": "2026-12-31",
        "min_cell": 11,
    }


@pytest.mark.parametrize("who", ["caseworker", "medical_officer", "movement_officer"])
def test_other_roles_of_the_mission_get_403(client, activity, request, who):
    client.force_login(request.getfixturevalue(who))
    assert client.get(pdf_url(activity), QUERY).status_code == 403
    assert client.get(page_url(activity)).status_code == 403
    assert not exported().exists()


def test_another_missions_staff_get_404(client, activity, conakry):
    for role in (Role.FINANCE, Role.MANAGER, Role.ME):
        client.force_login(member_of(conakry, role, f"{role}.conakry"))
        assert client.get(pdf_url(activity), QUERY).status_code == 404
        assert client.get(page_url(activity)).status_code == 404
    assert not exported().exists()


def test_a_bad_period_is_400_and_not_audited(client, activity, finance_officer):
    client.force_login(finance_officer)
    reversed_period = {"date_from": "2026-12-31", "date_to": "2026-01-01"}
    assert client.get(pdf_url(activity), reversed_period).status_code == 400
    assert client.get(pdf_url(activity)).status_code == 400
    assert client.get(xlsx_url(activity), {"date_from": "x", "date_to": "y"}).status_code == 400
    assert not exported().exists()


def test_anonymous_user_is_sent_to_the_login_page(client, activity):
    response = client.get(pdf_url(activity), QUERY)
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# ---- pages --------------------------------------------------------------------------------------


def test_index_lists_the_projects_of_the_mission(
    client, activity, auditor, guinea, django_assert_max_num_queries
):
    ProjectFactory(code="REINT-GN", mission=guinea)
    ProjectFactory(code="AVRR-MA-OLD", mission=activity.mission)
    client.force_login(auditor)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:donor_index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "AVRR-MA-2026" in html and "AVRR-MA-OLD" in html
    assert "REINT-GN" not in html
    assert page_url(activity) in html
    assert reverse("reports:iati_project_xml", args=[activity.pk]) in html


def test_index_query_count_does_not_grow_with_projects(
    client, activity, auditor, django_assert_max_num_queries
):
    for i in range(8):
        ProjectFactory(code=f"AVRR-MA-{i:03d}", mission=activity.mission)
    client.force_login(auditor)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:donor_index")).status_code == 200


def test_index_is_403_without_a_reporting_role(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("reports:donor_index")).status_code == 403


def test_page_shows_the_figures_and_the_download_links_without_names(
    client, activity, auditor, settings
):
    settings.AWDA_HXL_MIN_CELL = 1
    client.force_login(auditor)
    response = client.get(page_url(activity), QUERY)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="donor-section-budget"' in html
    assert "Billets d&#x27;avion" in html
    assert "8,200.00" in html
    assert f"{pdf_url(activity)}?date_from=2026-01-01&amp;date_to=2026-12-31" in html
    no_personal_data(html)
    assert not exported().exists()  # the page is not a download


def test_page_defaults_to_the_project_start_until_today(client, activity, auditor):
    client.force_login(auditor)
    response = client.get(page_url(activity))
    assert response.status_code == 200
    assert 'value="2025-07-01"' in response.content.decode()


def test_page_with_a_reversed_period_shows_the_error(client, activity, auditor):
    client.force_login(auditor)
    response = client.get(page_url(activity), {"date_from": "2026-12-31", "date_to": "2026-01-01"})
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()


# ---- API ----------------------------------------------------------------------------------------


def api_url(project, fmt):
    return f"/api/v1/reports/donor/projects/{project.pk}/{fmt}/"


def test_api_pdf_and_xlsx(activity, finance_officer):
    client = api_client(finance_officer)
    pdf = client.get(api_url(activity, "pdf"), QUERY)
    assert pdf.status_code == 200
    assert pdf.content.startswith(b"%PDF-")
    xlsx = client.get(api_url(activity, "xlsx"), QUERY)
    assert xlsx.status_code == 200
    openpyxl.load_workbook(io.BytesIO(xlsx.content))
    assert [e.changes["format"] for e in exported().order_by("id")] == ["pdf", "xlsx"]
    assert {e.channel for e in exported()} == {"api"}


def test_api_period_is_required_and_checked(activity, finance_officer):
    client = api_client(finance_officer)
    missing = client.get(api_url(activity, "pdf"))
    assert missing.status_code == 400
    assert set(error_of(missing)["fields"]) == {"date_from", "date_to"}
    reversed_period = client.get(
        api_url(activity, "pdf"), {"date_from": "2026-12-31", "date_to": "2026-01-01"}
    )
    assert reversed_period.status_code == 400
    assert "date_to" in error_of(reversed_period)["fields"]
    assert not exported().exists()


def test_api_permissions(activity, caseworker, conakry):
    assert error_of(api_client(caseworker).get(api_url(activity, "pdf"), QUERY))["code"] == (
        "permission_denied"
    )
    other = member_of(conakry, Role.ME, "me.conakry")
    assert api_client(other).get(api_url(activity, "xlsx"), QUERY).status_code == 404
    assert api_client().get(api_url(activity, "pdf"), QUERY).status_code == 401


def test_api_endpoints_are_in_the_schema(caseworker):
    schema = api_client(caseworker).get("/api/schema/", {"format": "json"}).json()
    base = "/api/v1/reports/donor/projects/{project_pk}/"
    pdf = schema["paths"][base + "pdf/"]["get"]
    xlsx = schema["paths"][base + "xlsx/"]["get"]
    assert pdf["operationId"] == "reports_donor_report_pdf"
    assert "application/pdf" in pdf["responses"]["200"]["content"]
    assert xlsx["operationId"] == "reports_donor_report_xlsx"
    params = {p["name"] for p in pdf["parameters"] if p["in"] == "query"}
    assert {"date_from", "date_to"} <= params
