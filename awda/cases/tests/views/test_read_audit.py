"""Every read of a case's data in the HTML UI is audited (cases.case.viewed, with the part read),
and so is the card of a person chosen in the registry (registry.person.viewed)."""

from django.urls import reverse

from awda.audit.models import AuditEvent


def last_view(action="cases.case.viewed"):
    return AuditEvent.objects.filter(action=action).order_by("-id").first()


def test_case_edit_form_is_audited(client, caseworker, case):
    client.force_login(caseworker)
    assert client.get(reverse("cases:case_edit", args=[case.pk])).status_code == 200
    event = last_view()
    assert event.case_id == case.pk and event.changes == {"part": "edit"}


def test_person_edit_form_is_audited_with_the_person(client, caseworker, case):
    client.force_login(caseworker)
    url = reverse("cases:person_edit", args=[case.pk, case.principal_id])
    assert client.get(url).status_code == 200
    event = last_view()
    assert event.case_id == case.pk and event.person_id == case.principal_id
    assert event.changes == {"part": "person"}


def test_transition_page_is_audited(client, caseworker, case):
    client.force_login(caseworker)
    url = reverse("cases:case_transition", args=[case.pk, "start_counselling"])
    assert client.get(url).status_code == 200
    assert last_view().changes == {"part": "transitions"}


def test_a_tab_shown_again_with_form_errors_is_audited(client, caseworker, case):
    client.force_login(caseworker)
    response = client.post(reverse("cases:note_add", args=[case.pk]), {"body": ""})
    assert response.status_code == 400
    assert last_view().changes == {"part": "notes"}


def test_picked_person_card_is_audited(client, caseworker, case):
    client.force_login(caseworker)
    url = reverse("cases:person_picked", args=[case.principal_id]) + "?prefix=member"
    assert client.get(url).status_code == 200
    event = last_view("registry.person.viewed")
    assert event.person_id == case.principal_id and event.changes == {"part": "pick"}
    assert event.actor == caseworker and event.channel == "web"


def test_refused_reads_are_not_audited(client, other_office_user, case):
    client.force_login(other_office_user)
    client.get(reverse("cases:case_edit", args=[case.pk]))
    client.get(
        reverse("cases:case_detail", args=[case.pk]) + "?tab=members", HTTP_HX_REQUEST="true"
    )
    assert not AuditEvent.objects.filter(action="cases.case.viewed").exists()
