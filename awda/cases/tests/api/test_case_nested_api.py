from django.core.files.uploadedfile import SimpleUploadedFile

from awda.audit.models import AuditEvent
from awda.cases.models import Attachment, CaseMember, Note, Task
from awda.core.api.testing import api_client, error_of
from awda.factories import person_data


def url(case, suffix=""):
    return f"/api/v1/cases/{case.pk}/{suffix}"


def pdf(name="declaration.pdf", body=b"%PDF-1.4 signed declaration"):
    return SimpleUploadedFile(name, body, content_type="application/pdf")


# ---- members ------------------------------------------------------------------------------------


def test_members_are_listed_added_updated_and_removed(caseworker, case):
    client = api_client(caseworker)
    assert len(client.get(url(case, "members/")).json()) == 1

    body = {
        "relationship": "child",
        "person": {
            "given_name": "Fatoumata",
            "family_name": "Diallo",
            "sex": "female",
            "date_of_birth": "2015-06-01",
            "nationality": "GN",
        },
        "documents": [{"doc_type": "birth_certificate", "number": "BC-2015-77"}],
        "version": case.version,
    }
    added = client.post(url(case, "members/"), body, format="json")
    assert added.status_code == 201, added.json()
    member = added.json()
    assert member["person"]["documents"][0]["number"] == "BC-2015-77"
    case.refresh_from_db()
    assert case.member_count == 2

    patched = client.patch(
        url(case, f"members/{member['id']}/"),
        {"travels": False, "version": case.version},
        format="json",
    )
    assert patched.status_code == 200 and patched.json()["travels"] is False
    case.refresh_from_db()  # a member change bumps the case version

    removed = client.delete(url(case, f"members/{member['id']}/") + f"?version={case.version}")
    assert removed.status_code == 204
    assert not CaseMember.objects.filter(pk=member["id"]).exists()


def test_principal_cannot_be_removed(caseworker, case):
    principal = case.members.get(is_principal=True)
    response = api_client(caseworker).delete(
        url(case, f"members/{principal.pk}/") + f"?version={case.version}"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "validation_error"


def test_member_of_another_case_is_404(caseworker, case, rabat):
    from awda.factories import register_case

    other = register_case(caseworker, rabat, principal=person_data(given_name="Awa"))
    member = other.members.get()
    response = api_client(caseworker).patch(
        url(case, f"members/{member.pk}/"), {"travels": False, "version": 1}, format="json"
    )
    assert response.status_code == 404


def test_medical_officer_cannot_add_members(medical_officer, case):
    response = api_client(medical_officer).post(
        url(case, "members/"),
        {"relationship": "child", "person": person_data(given_name="Awa"), "version": 1},
        format="json",
    )
    assert response.status_code == 403
    assert case.members.count() == 1


# ---- notes and tasks ----------------------------------------------------------------------------


def test_notes_are_added_and_listed_newest_first(caseworker, medical_officer, case):
    client = api_client(caseworker)
    assert client.post(url(case, "notes/"), {"body": "First visit"}).status_code == 201
    response = api_client(medical_officer).post(url(case, "notes/"), {"body": "Prosthesis OK"})
    assert response.status_code == 201
    body = client.get(url(case, "notes/")).json()
    assert [n["body"] for n in body["results"]] == ["Prosthesis OK", "First visit"]
    assert body["results"][0]["author"]["username"] == "medical.rabat"


def test_empty_note_is_refused(caseworker, case):
    response = api_client(caseworker).post(url(case, "notes/"), {"body": " "}, format="json")
    assert response.status_code == 400
    assert not Note.objects.exists()


def test_tasks_are_added_updated_and_closed(caseworker, colleague, case):
    client = api_client(caseworker)
    created = client.post(
        url(case, "tasks/"),
        {
            "title": "Ask consulate for laissez-passer",
            "due_date": "2030-01-15",
            "assignee": colleague.pk,
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    task = created.json()
    assert task["assignee"]["username"] == "caseworker2.rabat" and task["status"] == "open"

    assert task["version"] == 1
    patched = client.patch(
        url(case, f"tasks/{task['id']}/"),
        {"title": "Chase the consulate", "version": task["version"]},
        format="json",
    )
    assert patched.status_code == 200 and patched.json()["title"] == "Chase the consulate"
    assert patched.json()["version"] == 2

    done = client.post(url(case, f"tasks/{task['id']}/status/"), {"status": "done", "version": 2})
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert done.json()["version"] == 3
    assert Task.objects.get().completed_by == caseworker

    assert client.get(url(case, "tasks/"), {"status": "open"}).json()["results"] == []
    assert len(client.get(url(case, "tasks/")).json()["results"]) == 1


def test_task_assignee_must_see_the_case(caseworker, other_office_user, case):
    response = api_client(caseworker).post(
        url(case, "tasks/"), {"title": "X", "assignee": other_office_user.pk}, format="json"
    )
    assert response.status_code == 400
    assert "assignee" in error_of(response)["fields"]


# ---- attachments --------------------------------------------------------------------------------


def test_attachment_upload_list_and_download_is_audited(caseworker, case):
    client = api_client(caseworker)
    principal = case.members.get(is_principal=True).person
    uploaded = client.post(
        url(case, "attachments/"),
        {"file": pdf(), "kind": "declaration", "person": principal.pk},
        format="multipart",
    )
    assert uploaded.status_code == 201, uploaded.json()
    att = uploaded.json()
    assert att["original_name"] == "declaration.pdf" and att["size"] == 27

    listed = client.get(url(case, "attachments/")).json()["results"]
    assert [a["id"] for a in listed] == [att["id"]]

    download = client.get(att["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"%PDF-1.4 signed declaration"
    assert 'filename="declaration.pdf"' in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="cases.attachment.downloaded", case_id=case.pk).exists()


def test_attachment_with_forged_content_is_refused(caseworker, case):
    response = api_client(caseworker).post(
        url(case, "attachments/"),
        {"file": pdf(body=b"MZ\x90\x00 not a pdf"), "kind": "other"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "file" in error_of(response)["fields"]
    assert not Attachment.objects.exists()


def test_attachment_of_another_office_cannot_be_downloaded(caseworker, other_office_user, case):
    client = api_client(caseworker)
    att = client.post(
        url(case, "attachments/"), {"file": pdf(), "kind": "other"}, format="multipart"
    ).json()
    response = api_client(other_office_user).get(att["download_url"])
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="cases.attachment.downloaded").exists()


# ---- timeline -----------------------------------------------------------------------------------


def test_timeline_lists_the_case_events_newest_first(caseworker, case):
    client = api_client(caseworker)
    client.post(url(case, "notes/"), {"body": "Called the hospital"})
    client.get(url(case))
    events = client.get(url(case, "timeline/")).json()["results"]
    actions = [e["action"] for e in events]
    # this read of the timeline, the read of the case, then the note
    assert actions[:3] == ["cases.case.viewed", "cases.case.viewed", "cases.note.created"]
    assert [e["changes"].get("part") for e in events[:2]] == ["timeline", "detail"]
    assert "cases.case.registered" in actions and "registry.person.created" in actions


def test_stale_member_update_is_409(caseworker, case):
    from awda.cases.services import case_member_add

    member = case_member_add(
        caseworker,
        case=case,
        relationship="child",
        person=person_data(given_name="Awa", sex="female"),
    )
    client = api_client(caseworker)
    response = client.patch(
        url(case, f"members/{member.pk}/"), {"travels": False, "version": 1}, format="json"
    )
    assert response.status_code == 409 and error_of(response)["code"] == "stale_edit"
    assert CaseMember.objects.get(pk=member.pk).travels is True
