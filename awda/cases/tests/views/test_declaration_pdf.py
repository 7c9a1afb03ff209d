"""The printable declaration of voluntary return (PDF, French or English), UI and API."""

import datetime
import io

import pytest
from pypdf import PdfReader

from awda.audit.models import AuditEvent
from awda.core.api.testing import api_client
from awda.factories import person_data, register_case


def text_of(content: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def family(caseworker, rabat):
    return register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Ousmane", family_name="Bah"),
        members=[
            {
                "relationship": "child",
                "person": person_data(given_name="Fatou", date_of_birth=datetime.date(2018, 5, 1)),
            },
            {"relationship": "sibling", "travels": False, "person": person_data(given_name="Ali")},
        ],
    )


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [
        (
            "fr",
            [
                "Déclaration de retour volontaire",
                "Je soussigné(e), Ousmane BAH",
                "Guinée",
                "renoncer au retour à tout moment",
                "Signature du demandeur",
                "tuteur",
            ],
        ),
        (
            "en",
            [
                "Declaration of voluntary return",
                "I, the undersigned, Ousmane BAH",
                "Guinea",
                "withdraw from the return at any time",
                "Signature of the applicant",
                "guardian",
            ],
        ),
    ],
)
def test_declaration_is_filled_in_the_language_asked(client, family, caseworker, lang, phrases):
    client.force_login(caseworker)
    response = client.get(f"/cases/{family.pk}/declaration.pdf", {"lang": lang})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert family.number in text and "Rabat" in text and "1982" in text
    assert "Fatou" in text and "Ali" not in text  # travellers only
    for phrase in phrases:
        assert phrase in " ".join(text.split()), phrase
    event = AuditEvent.objects.get(action="cases.declaration.printed", case_id=family.pk)
    assert event.changes == {"language": lang}


def test_default_language_is_the_one_of_the_interface(client, case, caseworker, settings):
    client.force_login(caseworker)
    text = text_of(client.get(f"/cases/{case.pk}/declaration.pdf").content)
    assert "Declaration of voluntary return" in text  # the test settings speak English
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    text = text_of(client.get(f"/cases/{case.pk}/declaration.pdf").content)
    assert "Déclaration de retour volontaire" in text


def test_other_office_gets_404_and_nothing_is_audited(client, case, other_office_user):
    client.force_login(other_office_user)
    assert client.get(f"/cases/{case.pk}/declaration.pdf").status_code == 404
    assert (
        api_client(other_office_user).get(f"/api/v1/cases/{case.pk}/declaration.pdf").status_code
        == 404
    )
    assert not AuditEvent.objects.filter(action="cases.declaration.printed").exists()


def test_roles_without_case_declaration_get_403(client, case, medical_officer):
    client.force_login(medical_officer)
    assert client.get(f"/cases/{case.pk}/declaration.pdf").status_code == 403
    assert (
        api_client(medical_officer).get(f"/api/v1/cases/{case.pk}/declaration.pdf").status_code
        == 403
    )
    assert not AuditEvent.objects.filter(action="cases.declaration.printed").exists()


def test_summary_links_to_the_declaration(client, case, caseworker):
    client.force_login(caseworker)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert f"/cases/{case.pk}/declaration.pdf?lang=en" in html


def test_api_returns_the_pdf(case, caseworker):
    response = api_client(caseworker).get(
        f"/api/v1/cases/{case.pk}/declaration.pdf", {"lang": "en"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert case.number in text_of(response.content)
    assert AuditEvent.objects.filter(action="cases.declaration.printed", case_id=case.pk).exists()
    bad = api_client(caseworker).get(f"/api/v1/cases/{case.pk}/declaration.pdf", {"lang": "de"})
    assert bad.status_code == 400


def test_declaration_endpoint_is_in_the_schema(caseworker):
    schema = api_client(caseworker).get("/api/schema/", {"format": "json"}).json()
    op = schema["paths"]["/api/v1/cases/{case_pk}/declaration.pdf"]["get"]
    assert op["operationId"] == "cases_declaration_pdf"
    assert "application/pdf" in op["responses"]["200"]["content"]
