import pytest

from awda.factories import ProjectFactory


@pytest.fixture
def ousmane(rabat):
    """Registration body for Ousmane's case (domain.md section 3): Guinean, 44, amputee, referred
    by UNHCR to IOM Rabat, travelling with his nephew."""
    return {
        "office": rabat.pk,
        "referral_source": "unhcr",
        "referral_details": "Not eligible for refugee status; referred for voluntary return.",
        "priority": 2,
        "destination_area": "Conakry",
        "principal": {
            "given_name": "Ousmane",
            "family_name": "Barry",
            "sex": "male",
            "date_of_birth": "1982-03-14",
            "nationality": "GIN",
            "languages": ["fr", "ff"],
            "phone": "+212 600 11 22 33",
            "address": "Hay Nahda, Rabat",
        },
        "principal_documents": [
            {"doc_type": "consular_card", "number": "GN-CC 448 120", "issuing_country": "GN"}
        ],
        "members": [
            {
                "relationship": "other_relative",
                "person": {
                    "given_name": "Mamadou",
                    "family_name": "Barry",
                    "sex": "male",
                    "birth_year": 2004,
                    "nationality": "GN",
                },
            }
        ],
    }


@pytest.fixture
def project(morocco):
    return ProjectFactory(mission=morocco, code="AVRR-MA-SEM-2026", eligible_nationalities=["GN"])
