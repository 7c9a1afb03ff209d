"""factory_boy factories shared by the test suites (tests only; demo data has its own generator)."""

import datetime

import factory
from django.utils import timezone

from awda.accounts.choices import MissionKind
from awda.accounts.models import Membership, Mission, Office, User
from awda.cases import services as case_services
from awda.finance.models import Donor, Project
from awda.registry.choices import OrganisationKind
from awda.registry.models import Organisation


class MissionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Mission
        django_get_or_create = ("code",)

    code = "MA"
    name = "Morocco"
    country_alpha3 = "MAR"
    kind = MissionKind.HOST


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office
        django_get_or_create = ("mission", "code")

    mission = factory.SubFactory(MissionFactory)
    code = "RBA"
    name = "Rabat"
    city = "Rabat"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.PostGenerationMethodCall("set_password", "demo-pass-2026")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def member_of(office, role, username=None) -> User:
    user = UserFactory(username=username or f"{role}.{office.code.lower()}")
    Membership.objects.get_or_create(user=user, office=office, role=role)
    return user


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = OrganisationKind.NGO
    country = "MA"


class DonorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Donor
        django_get_or_create = ("name",)

    name = "State Secretariat for Migration"
    short_name = "SEM"
    country = "CH"


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"AVRR-MA-{n:03d}")
    name = "AVRR Morocco"
    mission = factory.SubFactory(MissionFactory)
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=180))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=365))
    currency = "EUR"

    @factory.post_generation
    def donors(obj, create, extracted, **kwargs):
        if create:
            obj.donors.add(*(extracted or [DonorFactory()]))


def person_data(**overrides) -> dict:
    data = {
        "given_name": "Ousmane",
        "family_name": "Diallo",
        "sex": "male",
        "date_of_birth": datetime.date(1982, 3, 14),
        "nationality": "GN",
        "languages": ["fr", "ff"],
        "phone": "+212 600 11 22 33",
        "address": "Hay Nahda, Rabat",
    }
    data.update(overrides)
    return data


def register_case(user, office, *, principal=None, members=None, **fields):
    return case_services.case_register(
        user, office=office, principal=principal or person_data(), members=members or [], **fields
    )


def screen_travellers(case, user, **factors):
    """Record a rapid screening (with `factors`, none by default) for every traveller of the case
    not screened in it yet; the readiness gate needs one per traveller."""
    from awda.screening.models import VulnerabilityScreening
    from awda.screening.services import screening_record

    screened = set(
        VulnerabilityScreening.objects.filter(case=case).values_list("person_id", flat=True)
    )
    for member in case.members.select_related("person").order_by("-is_principal", "id"):
        if (member.travels or member.is_principal) and member.person_id not in screened:
            case.refresh_from_db()
            screening_record(
                user, case=case, member=member, factors=factors, expected_version=case.version
            )
    case.refresh_from_db()
    return case


def bring_case_to(case, status, *, caseworker, manager, project=None):
    """Walk a case along the happy path with the services (as the UI would)."""
    path = [
        "counselling",
        "screening",
        "eligible",
        "pre_departure",
        "ready_to_travel",
        "booked",
        "departed",
        "arrived",
        "reintegration",
        "monitoring",
    ]
    names = {
        "counselling": "start_counselling",
        "screening": "start_screening",
        "eligible": "approve_eligibility",
        "pre_departure": "start_pre_departure",
        "ready_to_travel": "mark_ready",
        "booked": "book",
        "departed": "confirm_departure",
        "arrived": "confirm_arrival",
        "reintegration": "start_reintegration",
        "monitoring": "start_monitoring",
    }
    for step in path[: path.index(status) + 1]:
        if case.status == step:
            continue
        if step == "ready_to_travel":
            case = screen_travellers(case, caseworker)
        if step == "screening" and not case.declaration_signed_on:
            case = case_services.case_declaration_record(
                caseworker, case=case, signed_on=case.registered_on
            )
        actor = (
            manager
            if step in ("eligible", "booked", "departed", "arrived", "reintegration", "monitoring")
            else caseworker
        )
        kwargs = (
            {"project": project or ProjectFactory(mission=case.mission)}
            if step == "eligible"
            else {}
        )
        case = case_services.case_transition(actor, case=case, name=names[step], **kwargs)
    return case
