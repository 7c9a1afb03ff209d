"""Helpers shared by the assistance tests (fixtures are in conftest.py)."""

import io
from decimal import Decimal

from pypdf import PdfReader

from awda.assistance import services
from awda.cases.models import Case

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def fresh(case):
    return Case.objects.get(pk=case.pk)


def principal(case):
    return case.members.select_related("person").get(is_principal=True).person


def persons(case):
    return [m.person for m in case.members.select_related("person").order_by("-is_principal", "id")]


def record(user, case, person=None, **kwargs):
    data = {
        "kind": "food",
        "description": "Food basket",
        "quantity": Decimal("2"),
        "unit_cost": Decimal("150.00"),
        "currency": "MAD",
    }
    return services.assistance_record(
        user, case=fresh(case), person=person or principal(case), **data | kwargs
    )


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)
