"""Fixtures of the duplicates review: two registrations of one man in two offices of the mission
(Rabat and Oujda), a family whose members look alike, a manager who decides, a person of another
mission."""

import datetime

import pytest

from awda.accounts.choices import Role
from awda.cases.models import CaseMember
from awda.factories import MissionFactory, OfficeFactory, member_of, person_data, register_case
from awda.registry.duplicates import services
from awda.registry.duplicates.models import DuplicatePair
from awda.screening.children.models import BestInterestsAssessment
from awda.screening.health.models import MedicalNeed
from awda.screening.trafficking.models import TraffickingDetermination

D = datetime.date
TODAY = D(2026, 5, 4)


@pytest.fixture
def oujda_manager(oujda):
    return member_of(oujda, Role.MANAGER, "manager.oujda")


@pytest.fixture
def protection_officer(rabat):
    return member_of(rabat, Role.PROTECTION, "protection.rabat")


@pytest.fixture
def tunis(db):
    return OfficeFactory(
        mission=MissionFactory(code="TN", name="Tunisia", country_alpha3="TUN"), code="TUN"
    )


@pytest.fixture
def tunisia_manager(tunis):
    return member_of(tunis, Role.MANAGER, "manager.tunis")


def same_man(**overrides):
    """Ousmane Diallo as registered in Rabat; overrides make the second registration."""
    return person_data(
        given_name="Ousmane",
        family_name="Diallo",
        date_of_birth=D(1982, 3, 14),
        nationality="GN",
        phone="+212 600 11 22 33",
        **overrides,
    )


@pytest.fixture
def rabat_case(caseworker, rabat):
    """Ousmane Diallo's case in Rabat, with his passport."""
    return register_case(
        caseworker,
        rabat,
        principal=same_man(),
        principal_documents=[
            {"doc_type": "passport", "number": "R1234567", "issuing_country": "GN"}
        ],
    )


@pytest.fixture
def oujda_case(other_office_user, oujda):
    """The same man registered again in Oujda a year later, his name spelt the same, the
    same phone, a consular card."""
    return register_case(
        other_office_user,
        oujda,
        principal=same_man(other_names="Ousman Jallow"),
        principal_documents=[{"doc_type": "consular_card", "number": "CC-998877"}],
    )


@pytest.fixture
def twins_case(caseworker, rabat):
    """Twin brothers in one case: same family name, same date of birth, same phone."""
    twin = {
        "family_name": "Camara",
        "date_of_birth": D(2001, 6, 1),
        "nationality": "GN",
        "phone": "+212 600 99 88 77",
    }
    return register_case(
        caseworker,
        rabat,
        principal=person_data(given_name="Lansana", **twin),
        members=[
            {
                "relationship": "sibling",
                "person": person_data(given_name="Lansana", **twin),
                "travels": True,
            }
        ],
    )


def detect(user, mission, capture, **kwargs):
    """Request a detection run and run what it enqueued on commit (the eager task)."""
    with capture(execute=True):
        run = services.duplicates_detect(user, mission=mission, **kwargs)
    run.refresh_from_db()
    return run


def pair_of(p1, p2):
    a, b = sorted([p1.pk, p2.pk])
    return DuplicatePair.objects.get(person_a_id=a, person_b_id=b)


@pytest.fixture
def the_pair(rabat_case, oujda_case, manager, morocco, django_capture_on_commit_callbacks):
    """The pair of Ousmane's two registrations, found by a detection run."""
    detect(manager, morocco, django_capture_on_commit_callbacks)
    return pair_of(rabat_case.principal, oujda_case.principal)


@pytest.fixture
def sparse_pair(caseworker, rabat, other_office_user, oujda, morocco):
    """(pair, person kept, person merged): Rabat registered Ousmane with few details (an
    estimated year, sex unknown, no phone, nationality or languages, a city); Oujda recorded
    them (and another city, his name in Arabic script)."""
    keep = register_case(
        caseworker,
        rabat,
        principal=person_data(
            sex="unknown",
            date_of_birth=None,
            birth_year=1981,
            nationality="",
            phone="",
            languages=[],
            address="",
            city="Rabat",
        ),
        country_of_return="GIN",
    ).principal
    gone = register_case(
        other_office_user,
        oujda,
        principal=person_data(
            other_names="Ousman Jallow",
            name_arabic="عثمان ديالو",
            address="Hay Nahda, Oujda",
            city="Oujda",
        ),
    ).principal
    a, b = sorted([keep.pk, gone.pk])
    pair = DuplicatePair.objects.create(
        mission=morocco, person_a_id=a, person_b_id=b, score=0.9, source="batch"
    )
    return pair, keep, gone


@pytest.fixture
def restricted_history(oujda_case, other_office_user):
    """Oujda's restricted records of the man: a trafficking determination, a best-interests
    assessment, a medical need."""
    case, person = oujda_case, oujda_case.principal
    common = {"case": case, "person": person, "recorded_by": other_office_user}
    return {
        "trafficking": TraffickingDetermination.objects.create(
            **common, determined_on=TODAY, outcome="victim", reasons="Indicators confirmed."
        ),
        "child": BestInterestsAssessment.objects.create(
            **common,
            assessed_on=TODAY,
            child_views="x",
            family_situation="x",
            safety_and_risks="x",
            recommendation="return",
        ),
        "health": MedicalNeed.objects.create(
            **common,
            identified_on=TODAY,
            category="chronic_condition",
            description="x",
            severity="low",
        ),
    }


@pytest.fixture
def tunis_case(tunis, oujda_case):
    """A case of the Tunisia mission the man of Oujda was added to."""
    case = register_case(member_of(tunis, Role.CASEWORKER, "caseworker.tunis"), tunis)
    CaseMember.objects.create(
        case=case, person=oujda_case.principal, relationship="sibling", travels=True
    )
    return case
