"""Attachments from the Documents tab: type and size are checked by the service, downloads are
scoped to the case and audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.cases import services
from awda.cases.models import Attachment
from awda.factories import person_data, register_case

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def upload(client, case, name="declaration.pdf", content=PDF, kind="declaration", **extra):
    data = {"file": SimpleUploadedFile(name, content), "kind": kind, "description": "Signed"}
    data.update(extra)
    return client.post(reverse("cases:attachment_add", args=[case.pk]), data)


def test_caseworker_uploads_and_downloads_a_pdf(client, caseworker, case):
    client.force_login(caseworker)
    response = upload(client, case, person=case.principal_id)
    assert response.status_code == 302
    att = Attachment.objects.get(case=case)
    assert att.content_type == "application/pdf" and att.size == len(PDF)
    assert att.person == case.principal
    page = client.get(f"{reverse('cases:case_detail', args=[case.pk])}?tab=documents")
    link = reverse("cases:attachment_download", args=[case.pk, att.pk])
    assert link in page.content.decode()
    download = client.get(link)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert "declaration.pdf" in download["Content-Disposition"]
    assert AuditEvent.objects.filter(action="cases.attachment.downloaded", case_id=case.pk).exists()


@pytest.mark.parametrize(
    "name,content",
    [
        ("script.exe", b"MZ\x90\x00"),
        ("page.html", b"<html></html>"),
        ("fake.pdf", b"MZ not really a pdf"),  # the content does not match the extension
        ("empty.pdf", b""),
    ],
)
def test_refused_file_types_show_an_error_and_store_nothing(
    client, caseworker, case, name, content
):
    client.force_login(caseworker)
    response = upload(client, case, name=name, content=content)
    assert response.status_code == 400
    assert "file" in response.context["attachment_form"].errors
    assert not Attachment.objects.exists()


@override_settings(AWDA_MAX_UPLOAD_MB=1)
def test_files_over_the_size_limit_are_refused(client, caseworker, case):
    client.force_login(caseworker)
    response = upload(client, case, content=PDF + b"0" * (1024 * 1024))
    assert response.status_code == 400
    assert "file" in response.context["attachment_form"].errors
    assert not Attachment.objects.exists()


def test_person_must_be_a_member_of_the_case(client, caseworker, rabat, case):
    other = register_case(caseworker, rabat, principal=person_data(given_name="Idrissa"))
    client.force_login(caseworker)
    response = upload(client, case, person=other.principal_id)
    assert response.status_code == 400
    assert not Attachment.objects.exists()


def test_finance_officer_cannot_upload(client, rabat, case):
    from awda.accounts.choices import Role
    from awda.factories import member_of

    client.force_login(member_of(rabat, Role.FINANCE, "finance.rabat"))
    assert upload(client, case).status_code == 403
    assert not Attachment.objects.exists()


def test_download_is_scoped_to_the_case_and_the_office(
    client, caseworker, other_office_user, rabat, case
):
    att = services.attachment_add(
        caseworker, case=case, file=SimpleUploadedFile("a.pdf", PDF), kind="other"
    )
    other_case = register_case(caseworker, rabat, principal=person_data(given_name="Idrissa"))
    client.force_login(caseworker)
    # the attachment id under another case's URL is not found
    assert (
        client.get(reverse("cases:attachment_download", args=[other_case.pk, att.pk])).status_code
        == 404
    )
    client.force_login(other_office_user)
    assert (
        client.get(reverse("cases:attachment_download", args=[case.pk, att.pk])).status_code == 404
    )
    assert not AuditEvent.objects.filter(action="cases.attachment.downloaded").exists()
