"""factory_boy factories shared by the test suites (tests only; demo data has its own generator)."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from awda.accounts.choices import MissionKind
from awda.accounts.models import Membership, Mission, Office, User
from awda.cases import services as case_services
from awda.finance.models import BudgetLine, Contribution, Donor, ExchangeRate, PersonCap, Project
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


class BudgetLineFactory(factory.django.DjangoModelFactory):
    """A line of a project's budget (a project has none unless a test gives it some: its costs
    are then "not on a budget line" and never refused). Empty categories: the general line."""

    class Meta:
        model = BudgetLine

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"L{n:03d}")
    name = "Budget line"
    amount = Decimal("10000.00")
    categories = factory.LazyFunction(list)


class PersonCapFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PersonCap

    project = factory.SubFactory(ProjectFactory)
    category = "cash"
    amount = Decimal("150.00")


class ExchangeRateFactory(factory.django.DjangoModelFactory):
    """1 `currency` = `rate` `to_currency` from `valid_from` (default: a year ago)."""

    class Meta:
        model = ExchangeRate

    currency = "EUR"
    to_currency = "MAD"
    rate = Decimal("10.8500000000")
    valid_from = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    source = "Bank Al-Maghrib"
    recorded_by = factory.SubFactory(UserFactory)


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    project = factory.SubFactory(ProjectFactory)
    donor = factory.SubFactory(DonorFactory)
    amount = Decimal("50000.00")
    currency = factory.LazyAttribute(lambda o: o.project.currency)
    received_on = factory.LazyAttribute(lambda o: o.project.start_date)
    reference = factory.Sequence(lambda n: f"CTR-{n:04d}")
    recorded_by = factory.SubFactory(UserFactory)


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


def document_travellers(case, user, *, expires_on=None):
    """Record, through the travel-document services, an issued passport (valid for a year by
    default, or until `expires_on`) and a granted exit authorisation for every traveller of the
    case not covered yet on its travel date; the readiness gate needs both per traveller. `user`
    must hold traveldocs.record on the case (a caseworker, manager or movement officer)."""
    from awda.cases.readiness import travel_date
    from awda.movements.traveldocs import services as td
    from awda.movements.traveldocs.models import ExitAuthorisation, TravelDocument
    from awda.movements.traveldocs.selectors import document_valid, exit_valid

    on_date = travel_date(case)
    expires_on = expires_on or timezone.localdate() + datetime.timedelta(days=365)
    docs = TravelDocument.objects.filter(case=case)
    exits = ExitAuthorisation.objects.filter(case=case)
    covered_doc = {d.person_id for d in docs if document_valid(d, on_date)}
    covered_exit = {a.person_id for a in exits if exit_valid(a, on_date)}
    authority = None
    for member in case.members.select_related("person").order_by("-is_principal", "id"):
        if not (member.travels or member.is_principal):
            continue
        person = member.person
        if person.pk not in covered_doc:
            case.refresh_from_db()
            td.travel_document_record(
                user,
                case=case,
                person=person,
                kind="passport",
                status="issued",
                number=f"P{person.pk:07d}",
                issuing_country=person.nationality,
                expires_on=expires_on,
            )
        if person.pk not in covered_exit:
            if authority is None:
                authority = Organisation.objects.filter(
                    kind=OrganisationKind.AUTHORITY, is_active=True
                ).first()
                authority = authority or OrganisationFactory(
                    name="Direction générale de la sûreté nationale",
                    kind=OrganisationKind.AUTHORITY,
                )
            case.refresh_from_db()
            auth = td.exit_authorisation_request(
                user, case=case, person=person, authority=authority
            )
            td.exit_authorisation_answer(
                user,
                authorisation=auth,
                expected_version=auth.version,
                outcome="granted",
                reference=f"AS-{person.pk}",
            )
    case.refresh_from_db()
    return case


def book_travellers(case, user, *, travel_date=None):
    """Book every traveller of a ready case through the movements services: an individual
    booking per traveller (one leg, CMN-CKY, late on `travel_date`, today by default), then
    confirmed; the last confirmation moves the case to booked. `user` records movements (a
    movement officer or manager of the case's office)."""
    from awda.cases.readiness import travellers
    from awda.movements import services as mv

    day = travel_date or timezone.localdate()
    departs = datetime.datetime.combine(
        day, datetime.time(23, 59), tzinfo=timezone.get_current_timezone()
    )
    leg = {"from_airport": "CMN", "to_airport": "CKY", "flight_number": "AT517"}
    for member in travellers(case):
        booking = mv.booking_create(
            user, case=case, person=member.person, legs=[{**leg, "departs_at": departs}]
        )
        mv.booking_confirm(
            user, booking=booking, booking_reference=f"PNR{booking.pk}", expected_version=1
        )
    case.refresh_from_db()
    return case


def depart_travellers(case, user):
    """Confirm the departure of every confirmed seat of a booked case (movements services)."""
    from awda.movements import services as mv
    from awda.movements.models import Booking

    mv.booking_confirm_departure(
        user, bookings=Booking.objects.filter(case=case, status="confirmed").select_related("case")
    )
    case.refresh_from_db()
    return case


def arrive_travellers(case, user):
    """Confirm the arrival of every departed traveller of the case (movements services)."""
    from awda.movements import services as mv
    from awda.movements.models import Booking

    mv.booking_confirm_arrival(
        user, bookings=Booking.objects.filter(case=case, status="departed").select_related("case")
    )
    case.refresh_from_db()
    return case


def hand_over_case(case, mission, *, categories=("identity", "contact", "case", "documents")):
    """Set what the handover service (movements.handover.case_handover) sets, without its
    consent records: for tests of what the origin mission does afterwards."""
    from awda.cases.models import Case

    Case.objects.filter(pk=case.pk).update(
        receiving_mission=mission,
        handed_over_at=timezone.now(),
        handover_categories=list(categories),
        version=case.version + 1,
    )
    case.refresh_from_db()
    return case


def accept_handover(case, user, office=None):
    """The origin office accepts the handover (reintegration services); `office` defaults to
    the first office of the receiving mission where `user` works on reintegration."""
    from awda.reintegration.files.services import handover_accept
    from awda.reintegration.policies import offices_recording

    if office is None:
        office = Office.objects.filter(
            mission_id=case.receiving_mission_id, pk__in=offices_recording(user)
        ).first()
    handover_accept(user, case=case, office=office)
    case.refresh_from_db()
    return case


# Steps of the happy path made through the movements services (bookings, confirmations).
MOVEMENT_STEPS = {
    "booked": book_travellers,
    "departed": depart_travellers,
    "arrived": arrive_travellers,
}


def bring_case_to(case, status, *, caseworker, manager, project=None, origin=None):
    """Walk a case along the happy path with the services (as the UI would). Past "arrived",
    `origin` (a reintegration officer or manager of an origin mission) takes the case on: it is
    handed over to that mission (if it was not) and accepted before reintegration starts."""
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
    if path.index(status) >= path.index("reintegration") and origin is None:
        raise ValueError("bring_case_to past arrived needs the origin user who takes it on")
    # continue from where the case stands (a case registered stands before "counselling")
    start = path.index(case.status) + 1 if case.status in path else 0
    for step in path[start : path.index(status) + 1]:
        if step == "ready_to_travel":
            case = screen_travellers(case, caseworker)
            case = document_travellers(case, caseworker)
        if step in MOVEMENT_STEPS:
            case = MOVEMENT_STEPS[step](case, manager)
            continue
        if step == "reintegration":
            case = _take_on(case, origin)
            case = case_services.case_transition(origin, case=case, name=names[step])
            continue
        if step == "monitoring":
            approve_plan_for(case, origin, _origin_manager(case, origin))
            case.refresh_from_db()
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


def _take_on(case, origin):
    from awda.accounts.models import Membership
    from awda.reintegration.models import ReintegrationFile

    if not case.handed_over_at:
        mission_id = Membership.objects.filter(user=origin).values_list(
            "office__mission_id", flat=True
        )[0]
        case = hand_over_case(case, Mission.objects.get(pk=mission_id))
    if not ReintegrationFile.objects.filter(case=case).exists():
        case = accept_handover(case, origin)
    return case


def _origin_manager(case, origin):
    """A manager of the receiving mission: `origin` if they are one, else a manager of their
    office there (created if the office has none)."""
    from awda.accounts.choices import Role
    from awda.reintegration.policies import may_approve

    if may_approve(origin, case):
        return origin
    office = Office.objects.filter(
        mission_id=case.receiving_mission_id, memberships__user=origin
    ).first()
    manager = User.objects.filter(
        memberships__office=office, memberships__role=Role.MANAGER, memberships__is_active=True
    ).first()
    return manager or member_of(office, Role.MANAGER)


def approve_plan_for(case, officer, manager, *, items=None):
    """Draft, submit and approve a reintegration plan of `case` with the services: `officer`
    drafts and submits, `manager` (a manager of the receiving mission) approves. A cap for the
    plan's project is configured if it has none (500 per returnee in the project's currency).
    `items` (dicts of plan_update) default to one micro-business item of 300; their kinds are
    added as assistance types. Returns the approved plan."""
    from decimal import Decimal

    from awda.reintegration.models import ReintegrationCap
    from awda.reintegration.plans import services as plans

    project = case.project
    if not ReintegrationCap.objects.filter(project=project).exists():
        ReintegrationCap.objects.create(
            project=project, amount=Decimal("500.00"), currency=project.currency
        )
    items = items or [
        {
            "kind": "micro_business",
            "description": "Shop stock",
            "quantity": 1,
            "unit": "lot",
            "unit_cost": "300.00",
        }
    ]
    kinds = list(dict.fromkeys(i["kind"] for i in items))
    plan = plans.plan_create(officer, case=case)
    plan = plans.plan_update(
        officer,
        plan=plan,
        expected_version=plan.version,
        economic_summary="Small shop near home.",
        assistances=[{"kind": k, "description": "", "referral": False} for k in kinds],
        items=items,
    )
    plan = plans.plan_submit(officer, plan=plan, expected_version=plan.version)
    plan = plans.plan_approve(manager, plan=plan, expected_version=plan.version)
    case.refresh_from_db()
    return plan
