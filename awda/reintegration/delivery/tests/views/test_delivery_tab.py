import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.reintegration.delivery import services
from awda.reintegration.models import CashTranche, DeliveryDocument, Purchase, Referral

from ..helpers import PDF, fresh, order, pdf_text, principal, tranche

TODAY = datetime.date.today


def tab_url(case):
    return reverse("cases:case_detail", args=[case.pk]) + "?tab=delivery"


def body_of(client, case):
    response = client.get(tab_url(case))
    assert response.status_code == 200
    return response.content.decode()


def purchase_data(supplier, **overrides):
    data = {
        "purchase-supplier": supplier.pk,
        "purchase-ordered_on": TODAY().isoformat(),
        "purchase-currency": "",
        "purchase-invoice_number": "F-17",
        "purchase-notes": "",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "100",
        "lines-0-description": "Underwear",
        "lines-0-quantity": "40",
        "lines-0-unit": "piece",
        "lines-0-unit_price": "1.35",
        "lines-1-description": "Shelf",
        "lines-1-quantity": "1",
        "lines-1-unit": "piece",
        "lines-1-unit_price": "85.50",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "persona", ["origin_officer", "origin_manager", "caseworker", "finance_officer"]
)
def test_the_tab_renders_for_case_roles(
    request, client, persona, origin_officer, reint_case, plan, supplier
):
    purchase = order(origin_officer, reint_case, supplier)
    client.force_login(request.getfixturevalue(persona))
    body = body_of(client, reint_case)
    assert 'id="delivery-totals"' in body and f'id="purchase-{purchase.pk}"' in body
    assert "139.50 EUR" in body and "Boutique Kaloum" in body
    may_record = persona.startswith("origin")
    assert ('id="purchase-form"' in body) is may_record
    assert (f'id="purchase-deliver-{purchase.pk}"' in body) is may_record
    assert ('id="tranche-form"' in body) is may_record
    assert ('id="referral-form"' in body) is may_record
    assert AuditEvent.objects.filter(action="cases.case.viewed", changes__part="delivery").exists()


def test_other_mission_gets_404(client, senegal_officer, reint_case, plan):
    client.force_login(senegal_officer)
    assert client.get(tab_url(reint_case)).status_code == 404


def test_record_a_purchase_from_the_tab(client, origin_officer, reint_case, plan, supplier):
    client.force_login(origin_officer)
    url = reverse("reintegration:purchase_create", args=[reint_case.pk])
    response = client.post(url, purchase_data(supplier))
    assert response.status_code == 302, response.content.decode()[:2000]
    purchase = Purchase.objects.get()
    assert purchase.total.to_eng_string() == "139.50" and purchase.lines.count() == 2
    assert purchase.invoice_number == "F-17"


def test_a_bad_line_comes_back_on_its_row(client, origin_officer, reint_case, plan, supplier):
    client.force_login(origin_officer)
    url = reverse("reintegration:purchase_create", args=[reint_case.pk])
    response = client.post(
        url, purchase_data(supplier, **{"lines-1-unit_price": "1.001"}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="purchase-form"' in body and "2 decimal places" in body
    # a rule of the service: the error is shown on the row it names ("lines[1].quantity")
    response = client.post(
        url, purchase_data(supplier, **{"lines-1-quantity": "0"}), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    row = response.content.decode().split('id="purchase-line-1"')[1].split("</tr>")[0]
    assert "greater than zero" in row
    assert not Purchase.objects.exists()


def test_deliver_acknowledge_attach_download_print(
    client, origin_officer, reint_case, plan, supplier
):
    purchase = order(origin_officer, reint_case, supplier)
    client.force_login(origin_officer)
    base = [reint_case.pk, purchase.pk]
    stale = client.post(
        reverse("reintegration:purchase_deliver", args=base),
        {"date": TODAY().isoformat(), "version": 9},
    )
    assert stale.status_code == 302
    purchase.refresh_from_db()
    assert purchase.status == "ordered"
    client.post(
        reverse("reintegration:purchase_deliver", args=base),
        {"date": TODAY().isoformat(), "version": 1},
    )
    client.post(
        reverse("reintegration:purchase_acknowledge", args=base),
        {"date": TODAY().isoformat(), "version": 2},
    )
    purchase.refresh_from_db()
    assert purchase.status == "delivered" and purchase.acknowledged_on == TODAY()
    upload = SimpleUploadedFile("signed.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("reintegration:purchase_document_attach", args=base),
        {"kind": "acknowledgement", "file": upload},
    )
    doc = DeliveryDocument.objects.get()
    body = body_of(client, reint_case)
    assert f'id="delivery-document-{doc.pk}"' in body
    download = client.get(reverse("reintegration:delivery_document_download", args=[*base, doc.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    pdf = client.get(reverse("reintegration:purchase_acknowledgement_pdf", args=base))
    assert pdf.status_code == 200 and "Underwear" in pdf_text(pdf.content)
    codes = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        services.PURCHASE_DELIVERED,
        services.PURCHASE_ACKNOWLEDGED,
        services.DOCUMENT_ATTACHED,
        services.DOCUMENT_DOWNLOADED,
        services.ACKNOWLEDGEMENT_PRINTED,
    } <= codes


def test_host_caseworker_may_read_not_record(
    client, caseworker, origin_officer, reint_case, plan, supplier
):
    purchase = order(origin_officer, reint_case, supplier)
    client.force_login(caseworker)
    version = fresh(reint_case).version
    for name, data in (
        ("purchase_deliver", {"date": TODAY().isoformat(), "version": 1}),
        ("purchase_cancel", {"reason": "x", "version": 1}),
    ):
        response = client.post(
            reverse(f"reintegration:{name}", args=[reint_case.pk, purchase.pk]), data
        )
        assert response.status_code == 403
    response = client.post(
        reverse("reintegration:purchase_create", args=[reint_case.pk]), purchase_data(supplier)
    )
    assert response.status_code == 403
    purchase.refresh_from_db()
    assert purchase.status == "ordered" and Purchase.objects.count() == 1
    assert Case.objects.get(pk=reint_case.pk).version == version
    pdf = client.get(
        reverse("reintegration:purchase_acknowledgement_pdf", args=[reint_case.pk, purchase.pk])
    )
    assert pdf.status_code == 200


def test_tranche_and_referral_forms(client, origin_officer, reint_case, plan, clinic):
    client.force_login(origin_officer)
    person = principal(reint_case)
    response = client.post(
        reverse("reintegration:tranche_plan", args=[reint_case.pk]),
        {
            "tranche-person": person.pk,
            "tranche-amount": "242.50",
            "tranche-currency": "",
            "tranche-due_on": "",
            "tranche-channel": "cash",
        },
    )
    assert response.status_code == 302
    row = CashTranche.objects.get()
    client.post(
        reverse("reintegration:tranche_pay", args=[reint_case.pk, row.pk]),
        {"paid_on": TODAY().isoformat(), "reference": "R1", "version": 1},
    )
    row.refresh_from_db()
    assert row.status == "paid" and row.reference == "R1"
    response = client.post(
        reverse("reintegration:referral_create", args=[reint_case.pk]),
        {
            "referral-person": person.pk,
            "referral-organisation": clinic.pk,
            "referral-kind": "medical",
            "referral-service": "Physiotherapy",
            "referral-referred_on": TODAY().isoformat(),
            "referral-cost": "",
            "referral-currency": "",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    client.post(
        reverse("reintegration:referral_update", args=[reint_case.pk, referral.pk]),
        {"status": "completed", "outcome": "Ten sessions", "version": 1},
    )
    referral.refresh_from_db()
    assert referral.status == "completed" and referral.outcome == "Ten sessions"
    body = body_of(client, reint_case)
    assert f'id="tranche-{row.pk}"' in body and f'id="referral-{referral.pk}"' in body
    assert 'data-testid="total-EUR">242.50' in body


def test_the_tab_reads_a_fixed_number_of_queries(
    client, origin_officer, reint_case, plan, supplier
):
    client.force_login(origin_officer)
    order(origin_officer, reint_case, supplier)
    tranche(origin_officer, reint_case)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            body_of(client, reint_case)
        return len(ctx.captured_queries)

    before = count()
    for _ in range(3):
        p = order(origin_officer, reint_case, supplier)
        services.delivery_document_attach(
            origin_officer,
            purchase=p,
            kind="invoice",
            upload=SimpleUploadedFile("i.pdf", PDF, content_type="application/pdf"),
        )
        tranche(origin_officer, reint_case)
    assert count() == before
