import datetime

from django.urls import reverse
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.factories import person_data, register_case
from awda.screening.consent import services
from awda.screening.consent.choices import Purpose
from awda.screening.consent.models import Consent, DataTransfer

from ..conftest import persons_of


def tab_url(case):
    return reverse("cases:case_detail", args=[case.pk]) + "?tab=consent"


def record_url(case, member):
    return reverse("consent:record", args=[case.pk, member.pk])


def withdraw_url(case, consent):
    return reverse("consent:withdraw", args=[case.pk, consent.pk])


def transfer_url(case):
    return reverse("consent:transfer", args=[case.pk])


def members_of(case):
    return list(case.members.select_related("person").order_by("-is_principal", "id"))


def test_tab_is_listed_before_the_timeline_renders_and_is_audited(client, caseworker, case):
    client.force_login(caseworker)
    response = client.get(tab_url(case))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="consent-tab"' in body
    assert body.index('data-testid="tab-consent"') < body.index('data-testid="tab-timeline"')
    assert AuditEvent.objects.filter(
        action="cases.case.viewed", case_id=case.pk, changes__part="consent"
    ).exists()


def test_tab_shows_each_state_per_member_and_purpose(client, caseworker, family, give):
    mother, child = persons_of(family)
    give(caseworker, family, mother, purpose=Purpose.AVRR)
    give(caseworker, family, mother, purpose=Purpose.DONORS, given=False)
    c = give(caseworker, family, mother, purpose=Purpose.UNHCR)
    services.consent_withdraw(caseworker, consent=c, reason="Does not want UNHCR involved")
    client.force_login(caseworker)
    body = client.get(tab_url(family), HTTP_HX_REQUEST="true").content.decode()
    assert body.count('data-testid="consent-member"') == 2
    assert 'data-testid="consent-avrr" data-state="given"' in body
    assert 'data-testid="consent-donors" data-state="refused"' in body
    assert 'data-testid="consent-unhcr" data-state="withdrawn"' in body
    assert body.count('data-testid="consent-consulate" data-state="none"') == 2
    assert "Does not want UNHCR involved" in body
    # the child's card offers the guardian fields, the mother's does not
    [m_mother, m_child] = members_of(family)
    assert f'name="consent-{m_child.pk}-guardian_name"' in body
    assert f'name="consent-{m_mother.pk}-guardian_name"' not in body
    # one withdraw button: for the valid consent only
    assert body.count('data-testid="withdraw-form"') == 1


def test_form_records_a_consent(client, caseworker, case):
    [member] = members_of(case)
    client.force_login(caseworker)
    p = f"consent-{member.pk}"
    response = client.post(
        record_url(case, member),
        {
            f"{p}-purpose": "consulate",
            f"{p}-given": "yes",
            f"{p}-given_on": timezone.localdate().isoformat(),
            f"{p}-language": "ff",
            f"{p}-notes": "Explained in Pular",
        },
    )
    assert response.status_code == 302 and response.url == tab_url(case)
    consent = Consent.objects.get()
    assert (consent.purpose, consent.given, consent.language) == ("consulate", True, "ff")
    assert consent.taken_by == caseworker
    assert AuditEvent.objects.filter(action=services.CONSENT_RECORDED).count() == 1


def test_form_records_a_refusal(client, caseworker, case):
    [member] = members_of(case)
    client.force_login(caseworker)
    p = f"consent-{member.pk}"
    client.post(
        record_url(case, member),
        {
            f"{p}-purpose": "donors",
            f"{p}-given": "no",
            f"{p}-given_on": timezone.localdate().isoformat(),
            f"{p}-language": "fr",
        },
    )
    assert Consent.objects.get().given is False


def test_minor_without_guardian_is_shown_again_with_the_error(client, caseworker, family):
    child_member = members_of(family)[1]
    client.force_login(caseworker)
    p = f"consent-{child_member.pk}"
    response = client.post(
        record_url(family, child_member),
        {
            f"{p}-purpose": "avrr",
            f"{p}-given": "yes",
            f"{p}-given_on": timezone.localdate().isoformat(),
            f"{p}-language": "fr",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "is under 18" in body
    assert not Consent.objects.exists()


def test_withdraw_button_records_the_withdrawal(client, caseworker, case, give):
    person = persons_of(case)[0]
    consent = give(caseworker, case, person, purpose=Purpose.CONSULATE)
    client.force_login(caseworker)
    response = client.post(
        withdraw_url(case, consent), {f"wd-{consent.pk}-reason": "Person asked by phone"}
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on == timezone.localdate()
    assert consent.withdrawal_reason == "Person asked by phone"
    # a second attempt (a stale page) is refused on the tab, with the reason
    response = client.post(withdraw_url(case, consent), {f"wd-{consent.pk}-reason": "again"})
    assert response.status_code == 400
    assert "This consent was already withdrawn on" in response.content.decode()
    assert Consent.objects.get(pk=consent.pk).withdrawal_reason == "Person asked by phone"


def test_withdraw_without_reason_comes_back_with_the_error(client, caseworker, case, give):
    consent = give(caseworker, case, persons_of(case)[0])
    client.force_login(caseworker)
    response = client.post(withdraw_url(case, consent), {f"wd-{consent.pk}-reason": ""})
    assert response.status_code == 400
    assert 'data-testid="withdraw-form"' in response.content.decode()
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None


def test_consent_of_another_case_cannot_be_withdrawn_through_this_one(
    client, caseworker, case, family, give
):
    consent = give(caseworker, family, persons_of(family)[0])
    client.force_login(caseworker)
    response = client.post(withdraw_url(case, consent), {f"wd-{consent.pk}-reason": "r"})
    assert response.status_code == 404
    assert Consent.objects.get(pk=consent.pk).withdrawn_on is None


def transfer_post(case, persons, **overrides):
    data = {
        "transfer-recipient": "Consulate of Guinea",
        "transfer-purpose": "consulate",
        "transfer-persons": [p.pk for p in persons],
        "transfer-categories": ["identity", "documents"],
        "transfer-transferred_on": timezone.localdate().isoformat(),
        "transfer-notes": "",
    }
    data.update({f"transfer-{k}": v for k, v in overrides.items()})
    return data


def test_transfer_form_is_refused_with_the_clear_message(client, caseworker, family, give):
    mother, child = persons_of(family)
    give(caseworker, family, mother, purpose=Purpose.CONSULATE)
    client.force_login(caseworker)
    response = client.post(transfer_url(family), transfer_post(family, [mother, child]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "No valid consent for" in body
    assert "Ibrahima CAMARA" in body
    assert str(Purpose.CONSULATE.label) in body
    assert not DataTransfer.objects.exists()
    assert not AuditEvent.objects.filter(action=services.TRANSFER_RECORDED).exists()


def test_transfer_form_records_and_lists_the_disclosure(client, caseworker, case, give):
    person = persons_of(case)[0]
    give(caseworker, case, person, purpose=Purpose.CONSULATE)
    client.force_login(caseworker)
    response = client.post(
        transfer_url(case), transfer_post(case, [person], notes="Sent by e-mail")
    )
    assert response.status_code == 302
    t = DataTransfer.objects.get()
    assert t.recipient == "Consulate of Guinea"
    body = client.get(tab_url(case)).content.decode()
    assert body.count('data-testid="transfer-row"') == 1
    assert "Sent by e-mail" in body and "Identity, Documents" in body


def test_transfer_form_rejects_a_person_outside_the_case(client, caseworker, case, family, give):
    outsider = persons_of(family)[0]
    give(caseworker, family, outsider, purpose=Purpose.CONSULATE)
    client.force_login(caseworker)
    response = client.post(transfer_url(case), transfer_post(case, [outsider]))
    assert response.status_code == 400
    assert not DataTransfer.objects.exists()


def test_finance_officer_has_no_tab_and_cannot_post(client, finance_officer, case):
    [member] = members_of(case)
    client.force_login(finance_officer)
    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="tab-consent"' not in body
    assert 'data-testid="consent-tab"' not in body
    response = client.post(record_url(case, member), {})
    assert response.status_code == 403
    assert client.post(transfer_url(case), transfer_post(case, [member.person])).status_code == 403


def test_movement_officer_sees_states_records_transfers_but_not_the_log(
    client, caseworker, movement_officer, case, give
):
    person = persons_of(case)[0]
    give(caseworker, case, person, purpose=Purpose.CONSULATE)
    services.transfer_record(
        caseworker,
        case=case,
        persons=[person],
        recipient="Consulate X",
        purpose="consulate",
        categories=["identity"],
    )
    client.force_login(movement_officer)
    body = client.get(tab_url(case)).content.decode()
    assert 'data-testid="consent-consulate" data-state="given"' in body
    assert 'data-testid="consent-form"' not in body
    assert 'data-testid="withdraw-form"' not in body
    assert 'data-testid="transfer-log"' not in body and "Consulate X" not in body
    assert 'data-testid="transfer-form"' in body
    [member] = members_of(case)
    assert client.post(record_url(case, member), {}).status_code == 403


def test_other_office_gets_404(client, other_office_user, caseworker, case, give):
    [member] = members_of(case)
    consent = give(caseworker, case, member.person)
    client.force_login(other_office_user)
    assert client.get(tab_url(case)).status_code == 404
    assert client.post(record_url(case, member), {}).status_code == 404
    assert client.post(withdraw_url(case, consent), {}).status_code == 404
    assert client.post(transfer_url(case), {}).status_code == 404


def _populated_case(caseworker, rabat, give, size):
    """A case with `size` children besides the principal, each with consents given, withdrawn
    and refused, and `size` transfers."""
    today = timezone.localdate()
    case = register_case(
        caseworker,
        rabat,
        members=[
            {
                "relationship": "child",
                "person": person_data(
                    given_name=f"Child{i}", date_of_birth=datetime.date(today.year - 8, 1, 1)
                ),
            }
            for i in range(size)
        ],
    )
    for person in persons_of(case):
        for purpose in (Purpose.AVRR, Purpose.CONSULATE, Purpose.DONORS):
            c = give(caseworker, case, person, purpose=purpose)
        services.consent_withdraw(caseworker, consent=c, reason="r")
        give(caseworker, case, person, purpose=Purpose.UNHCR, given=False)
    for _i in range(size):
        services.transfer_record(
            caseworker,
            case=case,
            persons=persons_of(case),
            recipient="Consulate",
            purpose="consulate",
            categories=["identity"],
        )
    return case


def test_tab_query_count_does_not_grow(
    client, caseworker, rabat, give, django_assert_max_num_queries
):
    small = _populated_case(caseworker, rabat, give, 1)
    large = _populated_case(caseworker, rabat, give, 5)
    client.force_login(caseworker)
    client.get(tab_url(small))  # warm caches (content types)
    counts = []
    for case, size in ((small, 1), (large, 5)):
        with django_assert_max_num_queries(15) as ctx:
            response = client.get(tab_url(case), HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert response.content.decode().count('data-testid="transfer-row"') == size
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_timeline_shows_consent_events_with_labels_not_codes(client, caseworker, case, give):
    person = persons_of(case)[0]
    give(caseworker, case, person, purpose=Purpose.CONSULATE, notes="Explained with the leaflet")
    services.transfer_record(
        caseworker,
        case=case,
        persons=[person],
        recipient="Consulate of Guinea",
        purpose="consulate",
        categories=["identity", "documents"],
    )
    client.force_login(caseworker)
    url = reverse("cases:case_detail", args=[case.pk]) + "?tab=timeline"
    body = client.get(url).content.decode()
    assert str(Purpose.CONSULATE.label) in body
    assert "Identity, Documents" in body
    assert "Explained with the leaflet" not in body
