"""Optimistic locking in the HTML UI: every edit that can collide carries the version of the
record the user saw (case, task, person for identity documents), a form without it is refused,
and a stale one is refused too; either way nothing changes."""

import pytest
from django.urls import reverse

from awda.cases import services
from awda.cases.models import CaseMember, Task
from awda.factories import person_data, register_case
from awda.registry import services as registry
from awda.registry.models import IdentityDocument


def detail(case, tab):
    return f"{reverse('cases:case_detail', args=[case.pk])}?tab={tab}"


@pytest.fixture
def family(caseworker, rabat):
    return register_case(
        caseworker,
        rabat,
        members=[{"relationship": "child", "person": person_data(given_name="Awa", sex="female")}],
    )


def child_of(case):
    return case.members.select_related("person").get(is_principal=False)


def test_member_edit_without_version_is_refused(client, caseworker, family):
    child = child_of(family)
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:member_edit", args=[family.pk, child.pk]),
        {f"edit-{child.pk}-relationship": "sibling", f"edit-{child.pk}-travels": "on"},
    )
    assert response.status_code == 400
    assert "did not say which version" in response.content.decode()
    assert CaseMember.objects.get(pk=child.pk).relationship == "child"


def test_member_remove_without_or_with_stale_version_keeps_the_member(client, caseworker, family):
    child = child_of(family)
    client.force_login(caseworker)
    url = reverse("cases:member_remove", args=[family.pk, child.pk])
    client.post(url)
    client.post(url, {"version": family.version - 1 or 99})
    assert CaseMember.objects.filter(pk=child.pk).exists()


def test_declaration_and_transition_without_version_are_refused(client, caseworker, case):
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:case_declaration", args=[case.pk]),
        {"signed_on": case.registered_on.isoformat()},
    )
    assert response.status_code == 400
    response = client.post(reverse("cases:case_transition", args=[case.pk, "start_counselling"]))
    assert response.status_code == 400
    case.refresh_from_db()
    assert case.status == "registered" and case.declaration_signed_on is None


def test_tasks_tab_carries_the_task_version_and_a_stale_status_change_is_refused(
    client, caseworker, colleague, case
):
    task = services.task_create(caseworker, case=case, title="Call the consulate")
    client.force_login(caseworker)
    html = client.get(detail(case, "tasks")).content.decode()
    assert 'name="version" value="1"' in html
    services.task_set_status(colleague, task=task, status="cancelled", expected_version=1)
    url = reverse("cases:task_status", args=[case.pk, task.pk])
    response = client.post(url, {"status": "done", "version": 1}, follow=True)
    assert "changed by someone else" in response.content.decode()
    task.refresh_from_db()
    assert (task.status, task.version) == ("cancelled", 2)
    client.post(url, {"status": "done"})  # no version at all
    task.refresh_from_db()
    assert task.status == "cancelled"


def test_members_tab_carries_the_person_version_for_documents(client, caseworker, case):
    person = case.principal
    registry.identity_document_add(
        caseworker, person=person, data={"doc_type": "passport", "number": "P1"}
    )
    person.refresh_from_db()
    client.force_login(caseworker)
    html = client.get(detail(case, "members")).content.decode()
    assert f'name="doc-{person.pk}-version" value="{person.version}"' in html
    assert f'name="version" value="{person.version}"' in html  # the delete buttons


def test_stale_document_add_and_delete_change_nothing(client, caseworker, colleague, case):
    person = case.principal
    seen = person.version
    doc = registry.identity_document_add(  # someone else adds a document meanwhile
        colleague, person=person, data={"doc_type": "passport", "number": "P1"}
    )
    client.force_login(caseworker)
    prefix = f"doc-{person.pk}"
    response = client.post(
        reverse("cases:document_add", args=[case.pk, person.pk]),
        {f"{prefix}-doc_type": "national_id", f"{prefix}-number": "N1", f"{prefix}-version": seen},
    )
    assert response.status_code == 409
    assert "changed by someone else" in response.content.decode()
    client.post(reverse("cases:document_delete", args=[case.pk, doc.pk]), {"version": seen})
    client.post(reverse("cases:document_delete", args=[case.pk, doc.pk]))
    assert list(IdentityDocument.objects.values_list("number", flat=True)) == ["P1"]


def test_document_add_without_version_is_refused(client, caseworker, case):
    person = case.principal
    client.force_login(caseworker)
    prefix = f"doc-{person.pk}"
    response = client.post(
        reverse("cases:document_add", args=[case.pk, person.pk]),
        {f"{prefix}-doc_type": "passport", f"{prefix}-number": "P2"},
    )
    assert response.status_code == 400
    assert not IdentityDocument.objects.exists()


def test_task_version_is_bumped_by_every_change(caseworker, case):
    task = services.task_create(caseworker, case=case, title="Call")
    assert task.version == 1
    services.task_update(caseworker, task=task, data={"title": "Call back"}, expected_version=1)
    services.task_set_status(caseworker, task=task, status="done", expected_version=2)
    assert Task.objects.get(pk=task.pk).version == 3
