from decimal import Decimal

import pytest
from django.urls import reverse

from awda.assistance.models import AssistanceLine, Distribution
from awda.assistance.services import DISTRIBUTION_PRINTED, DISTRIBUTION_VIEWED
from awda.audit.models import AuditEvent
from awda.factories import person_data, register_case

from ..helpers import pdf_text, persons, principal


def form_data(recipients, **overrides):
    data = {
        "kind": "non_food",
        "distributed_on": "",
        "description": "Hygiene kit",
        "quantity": "1",
        "unit": "kit",
        "unit_cost": "85.00",
        "currency": "MAD",
        "project": "",
        "recipients": [f"{c.pk}-{p.pk}" for c, p in recipients],
    }
    data.update(overrides)
    return data


def test_distribution_end_to_end(client, caseworker, family, funded_case):
    client.force_login(caseworker)
    page = client.get(reverse("assistance:distribution_new"))
    assert page.status_code == 200
    body = page.content.decode()
    assert family.number in body and funded_case.number in body and "Aminata CAMARA" in body

    search = client.get(reverse("assistance:distribution_candidates"), {"q": "Aminata"})
    assert family.number in search.content.decode()
    assert funded_case.number not in search.content.decode()

    recipients = [(family, p) for p in persons(family)] + [(funded_case, principal(funded_case))]
    response = client.post(reverse("assistance:distribution_new"), form_data(recipients))
    assert response.status_code == 302
    distribution = Distribution.objects.get()
    assert response.url == reverse("assistance:distribution_detail", args=[distribution.pk])
    assert distribution.lines.count() == 4
    assert AssistanceLine.objects.filter(total=Decimal("85.00")).count() == 4

    detail = client.get(response.url)
    text = detail.content.decode()
    assert "340.00 MAD" in text and "Ousmane DIALLO" in text and "Child0" in text
    assert AuditEvent.objects.filter(action=DISTRIBUTION_VIEWED).exists()

    sheet = client.get(reverse("assistance:distribution_sheet", args=[distribution.pk]))
    assert sheet["Content-Type"] == "application/pdf"
    pdf = pdf_text(sheet.content)
    assert "Aminata CAMARA" in pdf and "Ousmane DIALLO" in pdf and funded_case.number in pdf
    assert "340.00 MAD" in pdf
    assert AuditEvent.objects.filter(action=DISTRIBUTION_PRINTED).exists()

    listing = client.get(reverse("assistance:distribution_list"))
    assert "Hygiene kit" in listing.content.decode()

    # the case tab shows the line with a link to its distribution
    tab = client.get(reverse("cases:case_detail", args=[family.pk]) + "?tab=assistance")
    assert f"Distribution #{distribution.pk}" in tab.content.decode()


def test_an_invalid_row_records_nothing_and_says_who(client, caseworker, family, case):
    client.force_login(caseworker)
    recipients = [(family, principal(family)), (case, principal(case))]  # case: no project
    response = client.post(reverse("assistance:distribution_new"), form_data(recipients))
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="row-errors"' in body and "Ousmane DIALLO" in body
    assert case.number in body
    assert not Distribution.objects.exists() and not AssistanceLine.objects.exists()
    # the chosen persons stay chosen
    assert f'value="{family.pk}-{principal(family).pk}" id="sel-' in body


def test_other_offices_do_not_see_the_distribution(
    client, caseworker, other_office_user, family, oujda
):
    client.force_login(caseworker)
    client.post(reverse("assistance:distribution_new"), form_data([(family, principal(family))]))
    distribution = Distribution.objects.get()
    client.force_login(other_office_user)
    assert (
        client.get(reverse("assistance:distribution_detail", args=[distribution.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("assistance:distribution_sheet", args=[distribution.pk])).status_code
        == 404
    )
    assert "Hygiene kit" not in client.get(reverse("assistance:distribution_list")).content.decode()
    # and cannot pick Rabat's cases
    page = client.get(reverse("assistance:distribution_new"), {"office": family.office_id})
    assert family.number not in page.content.decode()


@pytest.mark.parametrize("persona", ["movement_officer", "auditor"])
def test_roles_that_may_not_record_cannot_open_the_new_page(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("assistance:distribution_new")).status_code == 403


def test_the_candidate_list_needs_a_fixed_number_of_queries(
    client, caseworker, rabat, project, django_assert_max_num_queries
):
    for i in range(15):
        register_case(caseworker, rabat, principal=person_data(given_name=f"Person{i}"))
    client.force_login(caseworker)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("assistance:distribution_candidates"))
    assert response.content.decode().count('data-testid="candidate"') == 15


def test_the_navigation_links_to_distributions_for_case_roles(client, caseworker, auditor):
    client.force_login(caseworker)
    assert (
        'data-testid="nav-distributions"' in client.get(reverse("cases:dashboard")).content.decode()
    )
    client.force_login(auditor)
    assert client.get(reverse("assistance:distribution_list")).status_code == 403


def test_a_search_keeps_what_was_typed_and_who_was_chosen(client, caseworker, family):
    client.force_login(caseworker)
    mother = principal(family)
    page = client.get(
        reverse("assistance:distribution_new"),
        {
            "description": "Blankets",
            "unit_cost": "40",
            "q": "nobody-matches",
            "recipients": f"{family.pk}-{mother.pk}",
        },
    )
    body = page.content.decode()
    assert 'value="Blankets"' in body and 'value="40"' in body
    assert f'id="sel-{family.pk}-{mother.pk}" checked' in body
