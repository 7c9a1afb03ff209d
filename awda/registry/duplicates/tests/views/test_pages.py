import datetime
import re

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from awda.audit.models import AuditEvent
from awda.cases.models import CaseMember
from awda.registry.duplicates.choices import PairStatus, RunStatus
from awda.registry.duplicates.models import DetectionRun, DuplicatePair, PersonMerge
from awda.registry.models import Person

pytestmark = pytest.mark.django_db

QUEUE = reverse("duplicates:queue")


def merge_data(pair, survivor, **extra):
    return {
        "survivor": survivor,
        "version_a": Person.objects.get(pk=pair.person_a_id).version,
        "version_b": Person.objects.get(pk=pair.person_b_id).version,
        "confirm": "on",
        **extra,
    }


def test_the_queue_lists_the_pair_with_counts_for_reviewers_only(
    client,
    the_pair,
    caseworker,
    auditor,
    medical_officer,
    tunisia_manager,
    django_assert_max_num_queries,
):
    for user in (auditor, medical_officer):
        client.force_login(user)
        assert client.get(QUEUE).status_code == 403
    client.force_login(tunisia_manager)
    body = client.get(QUEUE).content.decode()
    assert 'data-testid="queue-empty"' in body  # another mission's pair is not shown

    client.force_login(caseworker)
    with django_assert_max_num_queries(14):
        body = client.get(QUEUE).content.decode()
    assert f'data-pair="{the_pair.pk}"' in body and "Ousmane DIALLO" in body
    assert 'data-testid="count-open"' in body
    assert 'data-testid="run-now"' not in body  # caseworkers see, managers decide
    body = client.get(QUEUE, {"status": "rejected"}).content.decode()
    assert 'data-testid="queue-empty"' in body
    fragment = client.get(QUEUE, {"status": "open"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and f'data-pair="{the_pair.pk}"' in fragment


def test_the_nav_shows_duplicates_to_reviewers(client, caseworker, auditor):
    client.force_login(caseworker)
    assert 'data-testid="nav-duplicates"' in client.get(reverse("cases:dashboard")).content.decode()
    client.force_login(auditor)
    assert (
        'data-testid="nav-duplicates"'
        not in client.get(reverse("cases:dashboard")).content.decode()
    )


def test_the_pair_page_shows_both_records_side_by_side_with_reasons_and_is_audited(
    client, the_pair, manager, caseworker, rabat_case, oujda_case
):
    url = reverse("duplicates:pair_detail", args=[the_pair.pk])
    client.force_login(caseworker)
    body = client.get(url).content.decode()
    assert body.count('data-testid="pair-person"') == 2
    assert "R1234567" in body and "CC-998877" in body
    assert rabat_case.number in body and oujda_case.number in body
    assert 'data-code="same_date_of_birth"' in body
    assert 'data-testid="merge-form"' not in body
    assert AuditEvent.objects.filter(action="registry.person.viewed").count() == 2
    client.force_login(manager)
    body = client.get(url).content.decode()
    assert 'data-testid="merge-form"' in body and 'data-testid="reject-form"' in body


def test_merge_from_the_page_then_undo(client, the_pair, manager, rabat_case, oujda_case):
    client.force_login(manager)
    keep = rabat_case.principal_id
    url = reverse("duplicates:pair_merge", args=[the_pair.pk])

    response = client.post(url, merge_data(the_pair, keep, confirm=""))
    assert response.status_code == 400 and not PersonMerge.objects.exists()

    response = client.post(url, merge_data(the_pair, keep))
    merge = PersonMerge.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("duplicates:merge_detail", args=[merge.pk])
    assert CaseMember.objects.get(case=oujda_case).person_id == keep
    body = client.get(response["Location"]).content.decode()
    assert 'data-testid="undo-form"' in body and 'data-status="merged"' in body

    response = client.post(
        reverse("duplicates:merge_undo", args=[merge.pk]), {"confirm": "on", "note": "No"}
    )
    assert response.status_code == 302
    assert CaseMember.objects.get(case=oujda_case).person_id == oujda_case.principal_id
    the_pair.refresh_from_db()
    assert the_pair.status == PairStatus.OPEN
    history = client.get(reverse("duplicates:merge_list")).content.decode()
    assert f'data-merge="{merge.pk}"' in history


def test_a_stale_merge_form_is_refused_with_a_message(client, the_pair, manager, rabat_case):
    client.force_login(manager)
    data = merge_data(the_pair, rabat_case.principal_id)
    data["version_a"] -= 1
    response = client.post(reverse("duplicates:pair_merge", args=[the_pair.pk]), data)
    assert response.status_code == 400 and 'data-testid="form-errors"' in response.content.decode()
    assert not PersonMerge.objects.exists()


def test_same_case_members_cannot_be_merged_from_the_page(client, twins_case, manager, morocco):
    a, b = sorted(twins_case.members.values_list("person_id", flat=True))
    pair = DuplicatePair.objects.create(
        mission=morocco, person_a_id=a, person_b_id=b, score=0.95, source="registration"
    )
    client.force_login(manager)
    body = client.get(reverse("duplicates:pair_detail", args=[pair.pk])).content.decode()
    assert 'data-testid="pair-same-case"' in body
    response = client.post(reverse("duplicates:pair_merge", args=[pair.pk]), merge_data(pair, a))
    assert response.status_code == 400 and twins_case.number in response.content.decode()
    assert not PersonMerge.objects.exists()


def test_reject_from_the_page(client, the_pair, manager, caseworker):
    url = reverse("duplicates:pair_reject", args=[the_pair.pk])
    client.force_login(caseworker)
    assert client.post(url, {"note": "x", "version": the_pair.version}).status_code == 403
    client.force_login(manager)
    response = client.post(url, {"note": "Brothers", "version": the_pair.version})
    assert response.status_code == 302
    the_pair.refresh_from_db()
    assert the_pair.status == PairStatus.REJECTED and the_pair.decision_note == "Brothers"


def test_other_missions_pairs_and_merges_are_404(client, the_pair, tunisia_manager):
    client.force_login(tunisia_manager)
    assert client.get(reverse("duplicates:pair_detail", args=[the_pair.pk])).status_code == 404
    assert client.post(reverse("duplicates:pair_merge", args=[the_pair.pk]), {}).status_code == 404


def test_run_now_starts_a_run_and_shows_its_progress(
    client, rabat_case, oujda_case, manager, caseworker, morocco, django_capture_on_commit_callbacks
):
    client.force_login(caseworker)
    assert client.post(reverse("duplicates:run_start"), {"mission": morocco.pk}).status_code == 403
    client.force_login(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("duplicates:run_start"), {"mission": morocco.pk})
    run = DetectionRun.objects.get()
    assert response["Location"] == reverse("duplicates:run_detail", args=[run.pk])
    assert run.status == RunStatus.DONE if run.refresh_from_db() is None else False
    fragment = client.get(response["Location"], HTTP_HX_REQUEST="true").content.decode()
    assert 'data-status="done"' in fragment and "hx-trigger" not in fragment
    assert 'data-testid="run-summary"' in fragment


def test_the_queue_shows_open_pairs_by_default_and_any_status_when_asked(client, the_pair, manager):
    from awda.registry.duplicates import services

    services.pair_reject(manager, pair=the_pair, expected_version=the_pair.version)
    client.force_login(manager)
    body = client.get(QUEUE).content.decode()
    assert 'data-testid="queue-empty"' in body and '<option value="open" selected>' in body
    assert 'data-testid="queue-empty"' in client.get(QUEUE, {"page": "1"}).content.decode()
    body = client.get(QUEUE, {"status": ""}).content.decode()
    assert f'data-pair="{the_pair.pk}"' in body


def _previews(body) -> dict[int, tuple[bool, str]]:
    """{survivor id: (shown, text)} of the merge form's previews of what is filled."""
    found = re.findall(
        r'data-testid="merge-fill-preview" data-survivor="(\d+)"( hidden)?>(.*?)</div>', body, re.S
    )
    return {int(pk): (not hidden, " ".join(text.split())) for pk, hidden, text in found}


def test_the_merge_form_shows_what_will_be_filled_on_the_record_kept(client, sparse_pair, manager):
    pair, keep, gone = sparse_pair
    client.force_login(manager)
    body = client.get(reverse("duplicates:pair_detail", args=[pair.pk])).content.decode()
    previews = _previews(body)
    shown, text = previews[keep.pk]  # the record proposed to keep
    assert shown and "Filled from the merged record:" in text
    dob = date_format(datetime.date(1982, 3, 14), "SHORT_DATE_FORMAT")
    assert f"date of birth <bdi>{dob}</bdi>" in text
    assert "phone <bdi>+212 600 11 22 33</bdi>" in text and "Guinea" in text
    assert "Fula (Pular)" in text and "city" not in text  # Rabat's city stays
    assert previews[gone.pk] == (False, previews[gone.pk][1])
    assert "Nothing to fill" in previews[gone.pk][1]

    # the preview follows the record chosen (here a form sent back with an error)
    url = reverse("duplicates:pair_merge", args=[pair.pk])
    response = client.post(url, merge_data(pair, gone.pk, confirm=""))
    previews = _previews(response.content.decode())
    assert previews[gone.pk][0] and not previews[keep.pk][0]

    response = client.post(url, merge_data(pair, keep.pk))
    assert response.status_code == 302
    body = client.get(response["Location"]).content.decode()
    filled = re.search(r'data-testid="merge-filled">(.*?)</dd>', body, re.S).group(1)
    assert f"date of birth <bdi>{dob}</bdi>" in filled and "+212 600 11 22 33" in filled
    assert "emptied again" in body  # the undo says what it takes back
