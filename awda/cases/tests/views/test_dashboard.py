"""The dashboard: my open tasks, cases by status in my scope, returns this year by nationality;
aggregates only (never names) for M&E officers; nothing for users without a case role."""

import datetime
import json
import re

from django.urls import reverse
from django.utils import timezone

from awda.cases import services
from awda.factories import UserFactory, bring_case_to, person_data, register_case

URL = reverse("cases:dashboard")


def _status_count(body, status):
    match = re.search(rf'data-status-count="{status}"[^>]*>(\d+)<', body)
    return int(match.group(1))


def test_dashboard_requires_login(client, db):
    assert client.get(URL).status_code == 302


def test_caseworker_sees_counts_by_status_linking_to_the_filtered_list(
    client, caseworker, manager, rabat, other_office_user, oujda
):
    a = register_case(caseworker, rabat)
    b = register_case(caseworker, rabat, principal=person_data(given_name="Mamadou"))
    bring_case_to(b, "counselling", caseworker=caseworker, manager=manager)
    register_case(other_office_user, oujda, principal=person_data(given_name="Idrissa"))
    client.force_login(caseworker)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert _status_count(body, "registered") == 1  # Oujda's case is not counted
    assert _status_count(body, "counselling") == 1
    assert f'href="{reverse("cases:case_list")}?status=registered"' in body
    assert response.context["figures"]["open_cases"] == 2
    assert a.number  # registered in scope
    assert 'data-testid="quick-search"' in body


def test_my_open_tasks_are_listed_with_overdue_highlighted(client, caseworker, colleague, case):
    today = timezone.localdate()
    services.task_create(
        caseworker,
        case=case,
        title="Call the consulate",
        due_date=today - datetime.timedelta(days=2),
        assignee=caseworker,
    )
    services.task_create(
        caseworker,
        case=case,
        title="Book the medical check",
        due_date=today + datetime.timedelta(days=10),
        assignee=caseworker,
    )
    services.task_create(caseworker, case=case, title="Colleague's task", assignee=colleague)
    client.force_login(caseworker)
    response = client.get(URL)
    body = response.content.decode()
    assert "Call the consulate" in body and "Book the medical check" in body
    assert "Colleague&#x27;s task" not in body and "Colleague's task" not in body
    assert 'data-due-state="overdue"' in body
    assert "list-group-item-danger" in body
    assert response.context["my_task_count"] == 2
    assert response.context["my_overdue_count"] == 1


def test_returns_this_year_by_nationality_as_chart_data_and_table(
    client, caseworker, manager, rabat
):
    guinean = register_case(caseworker, rabat)
    bring_case_to(guinean, "departed", caseworker=caseworker, manager=manager)
    malian = register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Awa", family_name="Traoré", nationality="ML"),
    )
    bring_case_to(malian, "departed", caseworker=caseworker, manager=manager)
    register_case(caseworker, rabat, principal=person_data(given_name="Not yet gone"))
    client.force_login(caseworker)
    response = client.get(URL)
    body = response.content.decode()
    data = json.loads(re.search(r'id="returns-data"[^>]*>(.*?)</script>', body).group(1))
    assert sorted(data["people"]) == [1, 1]
    assert len(data["labels"]) == 2
    assert 'data-testid="returns-table"' in body
    assert "chart.umd.min.js" in body
    assert response.context["returns"]["total_cases"] == 2


def test_no_returns_message_when_nobody_left_this_year(client, caseworker, case):
    client.force_login(caseworker)
    body = client.get(URL).content.decode()
    assert 'data-testid="no-returns"' in body
    assert "chart.umd.min.js" not in body


def test_me_officer_sees_aggregates_but_never_names(client, caseworker, auditor, rabat):
    case = register_case(
        caseworker, rabat, principal=person_data(given_name="Ousmane", family_name="Diallo")
    )
    services.task_create(caseworker, case=case, title="Secret task", assignee=caseworker)
    client.force_login(auditor)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="aggregates-only"' in body
    assert _status_count(body, "registered") == 1
    assert "Diallo" not in body and "DIALLO" not in body and "Ousmane" not in body
    assert case.number not in body
    assert "Secret task" not in body
    assert 'data-testid="quick-search"' not in body
    # counts are not links into the (forbidden) case list
    assert "?status=registered" not in body


def test_me_officer_does_not_count_other_offices(client, auditor, other_office_user, oujda):
    register_case(other_office_user, oujda)
    client.force_login(auditor)
    body = client.get(URL).content.decode()
    assert _status_count(body, "registered") == 0


def test_user_without_case_or_report_role_sees_an_explanation(client, db, case):
    client.force_login(UserFactory(username="admin.rabat", is_staff=True))
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="aggregates-only"' in body
    assert case.number not in body and "DIALLO" not in body
    assert response.context.get("figures") is None


def test_dashboard_query_count_is_bounded(client, caseworker, rabat, django_assert_max_num_queries):
    for i in range(12):
        case = register_case(caseworker, rabat, principal=person_data(given_name=f"P{i}"))
        services.task_create(caseworker, case=case, title=f"Task {i}", assignee=caseworker)
    client.force_login(caseworker)
    with django_assert_max_num_queries(15):
        assert client.get(URL).status_code == 200
