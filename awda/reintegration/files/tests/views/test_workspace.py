import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awda.factories import bring_case_to, hand_over_case, register_case
from awda.reintegration.models import ReintegrationFile

from ..conftest import approve_plan, receive

URL = "/reintegration/"


def test_the_url_name():
    assert reverse("reintegration:workspace") == URL


def test_host_staff_have_no_workspace(client, caseworker, manager):
    for user in (caseworker, manager):
        client.force_login(user)
        assert client.get(URL).status_code == 403
        home = client.get("/").content.decode()
        assert 'data-testid="nav-reintegration-workspace"' not in home
        # the cohort averages of their returnees' scores (aggregates) stay reachable
        assert 'data-testid="nav-sustainability"' in home


def test_the_queues_follow_the_case(client, arrived, origin_officer, conakry, project):
    client.force_login(origin_officer)

    def rows():
        body = client.get(URL).content.decode()
        return {
            q: f'data-queue="{q}" data-count="1"' in body
            for q in ("acceptance", "reception", "assessments", "plans", "visits")
        }, body

    found, body = rows()
    assert found["acceptance"] and f'data-case="{arrived.number}"' in body
    assert 'id="queue-acceptance"' in body and 'id="queue-visits"' in body
    assert 'id="queue-approval"' not in body  # officers do not approve
    response = client.post(
        reverse("reintegration:accept", args=[arrived.pk]),
        {"office": conakry.pk, "officer": "", "next": "workspace"},
    )
    assert response.status_code == 302 and response.url.startswith(URL)
    assert ReintegrationFile.objects.filter(case=arrived).exists()
    found, _body = rows()
    assert not found["acceptance"] and found["reception"] and found["plans"]
    case = receive(origin_officer, arrived)
    found, _body = rows()
    assert not found["reception"] and found["assessments"] and found["plans"]
    ReintegrationFile.objects.filter(case=case).update(
        plan_due_on=timezone.localdate() - datetime.timedelta(days=1)
    )
    _found, body = rows()
    assert 'data-testid="overdue"' in body
    approve_plan(case, origin_officer, project)
    found, _body = rows()
    assert not found["plans"] and not found["visits"]  # first visit in 3 months


def test_the_nav_shows_the_workspace(client, origin_officer):
    client.force_login(origin_officer)
    assert 'data-testid="nav-reintegration"' in client.get("/").content.decode()


def test_managers_see_the_approval_queue(client, origin_manager):
    client.force_login(origin_manager)
    assert 'id="queue-approval"' in client.get(URL).content.decode()


def test_an_officer_of_another_office_does_not_see_the_file(client, accepted, kankan_officer):
    client.force_login(kankan_officer)
    body = client.get(URL).content.decode()
    assert f'data-case="{accepted.number}"' not in body


def test_a_fixed_number_of_queries_whatever_the_rows(
    client, origin_officer, caseworker, manager, rabat, guinea, arrived, conakry
):
    client.force_login(origin_officer)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    for _i in range(3):
        other = register_case(caseworker, rabat)
        other = bring_case_to(other, "departed", caseworker=caseworker, manager=manager)
        hand_over_case(other, guinea)
    with CaptureQueriesContext(connection) as many:
        body = client.get(URL).content.decode()
    assert body.count('data-testid="queue-row"') == 4
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_the_office_filter(client, accepted, origin_officer, kankan, guinea):
    from awda.accounts.choices import Role
    from awda.accounts.models import Membership

    Membership.objects.create(user=origin_officer, office=kankan, role=Role.REINTEGRATION)
    client.force_login(origin_officer)
    body = client.get(URL).content.decode()
    assert 'data-testid="workspace-office-filter"' in body
    assert f'data-case="{accepted.number}"' in body
    body = client.get(URL, {"office": kankan.pk}).content.decode()
    assert f'data-case="{accepted.number}"' not in body
