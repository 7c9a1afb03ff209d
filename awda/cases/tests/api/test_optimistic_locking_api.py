"""Optimistic locking in the API: the version is required (400 validation_error naming
`version` when missing) on every edit that can collide, and a stale one is 409 stale_edit;
either way nothing changes."""

import pytest

from awda.cases import services
from awda.cases.models import CaseMember, Task
from awda.core.api.testing import api_client, error_of
from awda.factories import person_data, register_case
from awda.registry import services as registry
from awda.registry.models import IdentityDocument


@pytest.fixture
def world(caseworker, rabat):
    case = register_case(
        caseworker,
        rabat,
        members=[{"relationship": "child", "person": person_data(given_name="Awa", sex="female")}],
    )
    child = case.members.get(is_principal=False)
    task = services.task_create(caseworker, case=case, title="Call")
    task = services.task_update(caseworker, task=task, data={"due_date": None}, expected_version=1)
    doc = registry.identity_document_add(
        caseworker, person=case.principal, data={"doc_type": "passport", "number": "P1"}
    )
    case.refresh_from_db()
    case = services.case_update(  # so a stale version (one less) is still a valid number
        caseworker, case=case, expected_version=case.version, data={"priority": 3}
    )
    case.principal.refresh_from_db()
    return {"case": case, "child": child, "task": task, "doc": doc, "person": case.principal}


def _state(w):
    case = w["case"]
    case.refresh_from_db()
    return (
        case.version,
        case.status,
        case.declaration_signed_on,
        list(CaseMember.objects.order_by("id").values_list("relationship", "travels")),
        list(Task.objects.values_list("title", "status", "version")),
        list(IdentityDocument.objects.values_list("number", flat=True)),
    )


def requests(w):
    c, p = f"/api/v1/cases/{w['case'].pk}/", f"/api/v1/persons/{w['person'].pk}/"
    person_data_ = person_data(given_name="Binta", sex="female")
    return {
        "member_add": ("post", c + "members/", {"relationship": "child", "person": person_data_}),
        "member_update": ("patch", c + f"members/{w['child'].pk}/", {"travels": False}),
        "member_remove": ("delete", c + f"members/{w['child'].pk}/", None),
        "declaration": ("post", c + "declaration/", {"signed_on": str(w["case"].registered_on)}),
        "transition": ("post", c + "transitions/", {"transition": "start_counselling"}),
        "task_update": ("patch", c + f"tasks/{w['task'].pk}/", {"title": "Call again"}),
        "task_status": ("post", c + f"tasks/{w['task'].pk}/status/", {"status": "done"}),
        "document_add": ("post", p + "documents/", {"doc_type": "national_id", "number": "N1"}),
        "document_update": ("patch", p + f"documents/{w['doc'].pk}/", {"number": "P2"}),
        "document_delete": ("delete", p + f"documents/{w['doc'].pk}/", None),
    }


def current_version(w, name):
    if name.startswith("task"):
        return w["task"].version
    if name.startswith("document"):
        return w["person"].version
    return w["case"].version


def send(client, method, url, body, version=None):
    if method == "delete":
        return client.delete(url + ("" if version is None else f"?version={version}"))
    if version is not None:
        body = {**body, "version": version}
    return getattr(client, method)(url, body, format="json")


NAMES = [
    "member_add",
    "member_update",
    "member_remove",
    "declaration",
    "transition",
    "task_update",
    "task_status",
    "document_add",
    "document_update",
    "document_delete",
]


@pytest.mark.parametrize("name", NAMES)
def test_an_edit_without_version_is_refused_and_changes_nothing(caseworker, world, name):
    method, url, body = requests(world)[name]
    before = _state(world)
    response = send(api_client(caseworker), method, url, body)
    assert response.status_code == 400, response.content
    error = error_of(response)
    assert error["code"] == "validation_error" and "version" in error["fields"]
    assert _state(world) == before


@pytest.mark.parametrize("name", NAMES)
def test_an_edit_with_a_stale_version_is_409_and_changes_nothing(caseworker, world, name):
    method, url, body = requests(world)[name]
    before = _state(world)
    stale = current_version(world, name) - 1
    response = send(api_client(caseworker), method, url, body, version=stale)
    assert response.status_code == 409, response.content
    assert error_of(response)["code"] == "stale_edit"
    assert _state(world) == before


@pytest.mark.parametrize("name", NAMES)
def test_an_edit_with_the_current_version_succeeds(caseworker, world, name):
    method, url, body = requests(world)[name]
    before = _state(world)
    response = send(api_client(caseworker), method, url, body, version=current_version(world, name))
    assert response.status_code in (200, 201, 204), response.content
    assert _state(world) != before


def test_documents_share_and_bump_the_person_version(caseworker, world):
    person = world["person"]
    seen = person.version
    client = api_client(caseworker)
    added = client.post(
        f"/api/v1/persons/{person.pk}/documents/",
        {"doc_type": "national_id", "number": "N1", "version": seen},
        format="json",
    )
    assert added.status_code == 201 and added.json()["person_version"] == seen + 1
    # an edit of the person with the version read before the document change is now stale
    stale = client.patch(
        f"/api/v1/persons/{person.pk}/", {"version": seen, "city": "Tanger"}, format="json"
    )
    assert stale.status_code == 409
    fresh = client.get(f"/api/v1/persons/{person.pk}/").json()
    assert fresh["version"] == seen + 1
