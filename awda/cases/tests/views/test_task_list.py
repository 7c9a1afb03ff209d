"""My tasks: open tasks assigned to me, or all open tasks in my offices, by due date."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from awda.cases import services
from awda.factories import person_data, register_case

URL = reverse("cases:task_list")


def titles(response) -> list[str]:
    return [t.title for t in response.context["page_obj"].object_list]


def _task(user, case, title, days=None, assignee=None):
    due = timezone.localdate() + datetime.timedelta(days=days) if days is not None else None
    return services.task_create(user, case=case, title=title, due_date=due, assignee=assignee)


def test_my_tasks_lists_open_tasks_assigned_to_me_by_due_date(client, caseworker, colleague, case):
    _task(caseworker, case, "Later", days=20, assignee=caseworker)
    _task(caseworker, case, "Overdue", days=-3, assignee=caseworker)
    _task(caseworker, case, "Colleague's", days=1, assignee=colleague)
    done = _task(caseworker, case, "Done already", days=1, assignee=caseworker)
    services.task_set_status(caseworker, task=done, status="done")
    client.force_login(caseworker)
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["Overdue", "Later"]
    body = response.content.decode()
    assert reverse("cases:case_detail", args=[case.pk]) in body
    assert case.number in body
    assert "task-overdue" in body
    assert response.context["overdue_count"] == 1


def test_toggle_shows_all_open_tasks_in_my_offices(client, caseworker, colleague, case):
    _task(caseworker, case, "Mine", days=2, assignee=caseworker)
    _task(caseworker, case, "Colleague's", days=1, assignee=colleague)
    _task(caseworker, case, "Nobody's", days=5)
    client.force_login(caseworker)
    response = client.get(URL, {"scope": "offices"})
    assert titles(response) == ["Colleague's", "Mine", "Nobody's"]
    assert 'aria-current="page" data-testid="scope-offices"' in response.content.decode()


def test_other_office_tasks_never_appear(client, caseworker, other_office_user, oujda, case):
    oujda_case = register_case(
        other_office_user, oujda, principal=person_data(given_name="Idrissa")
    )
    _task(other_office_user, oujda_case, "Oujda task", days=1, assignee=other_office_user)
    _task(caseworker, case, "Rabat task", days=1)
    client.force_login(caseworker)
    assert titles(client.get(URL, {"scope": "offices"})) == ["Rabat task"]


def test_empty_state(client, caseworker, case):
    client.force_login(caseworker)
    assert 'data-testid="task-empty"' in client.get(URL).content.decode()


def test_me_officer_gets_403(client, auditor, caseworker, case):
    _task(caseworker, case, "Secret", days=1, assignee=caseworker)
    client.force_login(auditor)
    response = client.get(URL, {"scope": "offices"})
    assert response.status_code == 403
    assert "Secret" not in response.content.decode()


def test_query_count_does_not_grow_with_rows(client, caseworker, rabat):

    def count():
        with CaptureQueriesContext(connection) as ctx:
            client.get(URL, {"scope": "offices"})
        return len(ctx.captured_queries)

    client.force_login(caseworker)
    case = register_case(caseworker, rabat)
    for i in range(3):
        _task(caseworker, case, f"T{i}", days=i, assignee=caseworker)
    few = count()
    for i in range(20):
        other = register_case(caseworker, rabat, principal=person_data(given_name=f"P{i}"))
        _task(caseworker, other, f"U{i}", days=i, assignee=caseworker)
    assert count() == few
