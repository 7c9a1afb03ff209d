"""The dashboard leads to the donor reports for those who may open them (finance.view: finance
officers, managers, M&E officers), not for the others."""

from django.urls import reverse

LINK = 'data-testid="donor-reports-link"'


def test_the_me_officer_gets_a_link_to_the_donor_reports(client, auditor):
    client.force_login(auditor)
    html = client.get(reverse("reports:dashboard")).content.decode()
    assert LINK in html and reverse("reports:donor_index") in html
    assert client.get(reverse("reports:donor_index")).status_code == 200


def test_a_caseworker_gets_no_link(client, caseworker):
    client.force_login(caseworker)
    assert LINK not in client.get(reverse("reports:dashboard")).content.decode()
    assert client.get(reverse("reports:donor_index")).status_code == 403
