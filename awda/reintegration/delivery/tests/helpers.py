"""Helpers shared by the delivery tests (fixtures are in conftest.py)."""

import io
from decimal import Decimal

from pypdf import PdfReader

from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.reintegration.delivery import services

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def fresh(case):
    return Case.objects.get(pk=case.pk)


def principal(case):
    return case.members.select_related("person").get(is_principal=True).person


def order(user, case, supplier, **kwargs):
    data = {
        "lines": [
            {
                "description": "Underwear (assorted)",
                "quantity": "40",
                "unit": "piece",
                "unit_price": "1.35",
            },
            {"description": "Shelf", "quantity": "1", "unit": "piece", "unit_price": "85.50"},
        ]
    }
    return services.purchase_create(user, case=fresh(case), supplier=supplier, **data | kwargs)


def tranche(user, case, **kwargs):
    data = {"person": principal(case), "amount": Decimal("200.00"), "channel": "mobile_money"}
    return services.tranche_plan(user, case=fresh(case), **data | kwargs)


def actions(case) -> list[str]:
    return list(
        AuditEvent.objects.filter(case_id=case.pk, action__startswith="reintegration.")
        .exclude(action__startswith="reintegration.handover")
        .order_by("id")
        .values_list("action", flat=True)
    )


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)
