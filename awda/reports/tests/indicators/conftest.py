"""The hand-built world of the indicator tests (helpers.py): a year of returns from Rabat and
Oujda to Guinea and Côte d'Ivoire, with what happened before and after, whose every figure is
worked out in the tests. Another host mission's case is never counted."""

import datetime

import pytest

from awda.accounts.choices import MissionKind, Role
from awda.accounts.models import Membership
from awda.assistance.choices import AssistanceKind
from awda.cases.choices import ClosureReason, Status
from awda.factories import (
    DonorFactory,
    MissionFactory,
    OfficeFactory,
    OrganisationFactory,
    ProjectFactory,
    member_of,
)
from awda.finance.models import BudgetLine
from awda.reintegration.models import (
    CashTranche,
    Instrument,
    Plan,
    PlanItem,
    Purchase,
    PurchaseLine,
    Referral,
)

from . import helpers as h

D = datetime.date
YEAR = {"date_from": D(2025, 1, 1), "date_to": D(2025, 12, 31)}


@pytest.fixture
def tunis(db):
    tunisia = MissionFactory(code="TN", name="Tunisia", country_alpha3="TUN", kind=MissionKind.HOST)
    return OfficeFactory(mission=tunisia, code="TUN", name="Tunis", city="Tunis")


@pytest.fixture
def me_both(rabat, oujda):
    """An M&E officer of Rabat and Oujda."""
    user = member_of(rabat, Role.ME, "me.morocco")
    Membership.objects.create(user=user, office=oujda, role=Role.ME)
    return user


@pytest.fixture
def donors(db):
    return {
        "SEM": DonorFactory(name="State Secretariat for Migration", short_name="SEM"),
        "EU": DonorFactory(name="European Union", short_name="EU"),
    }


@pytest.fixture
def projects(morocco, donors):
    p = ProjectFactory(
        code="AVRR-P", name="AVRR P", mission=morocco, currency="EUR", donors=[donors["SEM"]]
    )
    q = ProjectFactory(
        code="AVRR-Q",
        name="AVRR Q",
        mission=morocco,
        currency="EUR",
        donors=[donors["SEM"], donors["EU"]],
    )
    r = ProjectFactory(
        code="AVRR-R", name="AVRR R", mission=morocco, currency="MAD", donors=[donors["EU"]]
    )
    return {"P": p, "Q": q, "R": r}


@pytest.fixture
def world(rabat, oujda, conakry, guinea, tunis, projects):
    """Returns of 2025 (see the module docstring of test_selectors for the figures)."""
    P, Q, R = projects["P"], projects["Q"], projects["R"]
    w = {}
    # Rabat, case A: Mamadou (44) and his daughter Fatou (9), to Guinea, project P; handed over.
    w["mamadou"] = h.person(rabat, given="Mamadou", family="Bah", sex="male", born=D(1980, 6, 15))
    w["fatou"] = h.person(rabat, given="Fatou", family="Bah", sex="female", born=D(2015, 9, 1))
    w["A"] = h.case(
        rabat,
        [w["mamadou"], w["fatou"]],
        registered_on=D(2025, 1, 10),
        departed_on=D(2025, 3, 10),
        project=P,
        status=Status.MONITORING,
        receiving_mission=guinea,
        destination_pcode="GN001",
    )
    h.depart(w["A"], w["mamadou"], D(2025, 3, 10), status="arrived")
    h.depart(w["A"], w["fatou"], D(2025, 3, 10), status="arrived")
    # Rabat, case B: Awa, 18 on the day she flies, Ivorian, to Côte d'Ivoire, project Q.
    w["awa"] = h.person(
        rabat, given="Awa", family="Kone", sex="female", born=D(2007, 5, 20), nationality="CI"
    )
    w["B"] = h.case(
        rabat,
        [w["awa"]],
        registered_on=D(2025, 4, 1),
        departed_on=D(2025, 5, 20),
        country_of_return="CI",
        project=Q,
        status=Status.DEPARTED,
    )
    h.depart(w["B"], w["awa"], D(2025, 5, 20))
    # Oujda, case C: Kouassi, born 1960 (year only), Ivorian, returns to Guinea, project P.
    w["kouassi"] = h.person(
        oujda, given="Kouassi", family="Yao", sex="male", year=1960, nationality="CI"
    )
    w["C"] = h.case(
        oujda,
        [w["kouassi"]],
        registered_on=D(2025, 6, 1),
        departed_on=D(2025, 7, 1),
        project=P,
        status=Status.ARRIVED,
    )
    h.depart(w["C"], w["kouassi"], D(2025, 7, 1), status="arrived")
    # Rabat, case D: Ibrahima, 16 (17 the day after he flies), project R; handed over.
    w["ibrahima"] = h.person(rabat, given="Ibrahima", family="Sow", sex="male", born=D(2008, 5, 21))
    w["D"] = h.case(
        rabat,
        [w["ibrahima"]],
        registered_on=D(2025, 2, 1),
        departed_on=D(2025, 5, 20),
        project=R,
        status=Status.MONITORING,
        receiving_mission=guinea,
    )
    h.depart(w["D"], w["ibrahima"], D(2025, 5, 20))
    # Rabat, case G: Sekou, age unknown.
    w["sekou"] = h.person(rabat, given="Sekou", family="Toure", sex="male")
    w["G"] = h.case(
        rabat,
        [w["sekou"]],
        registered_on=D(2025, 1, 20),
        departed_on=D(2025, 2, 1),
        project=P,
        status=Status.DEPARTED,
    )
    h.depart(w["G"], w["sekou"], D(2025, 2, 1))
    # Not returns of 2025: a no-show, a cancelled seat, a departure on 31 December 2024.
    w["kadiatou"] = h.person(rabat, given="Kadiatou", family="Barry", born=D(1990, 1, 1))
    w["E"] = h.case(rabat, [w["kadiatou"]], project=P, status=Status.NO_SHOW)
    h.depart(w["E"], w["kadiatou"], D(2025, 8, 1), status="no_show")
    h.depart(w["E"], w["kadiatou"], D(2025, 8, 20), status="cancelled")
    w["moussa"] = h.person(rabat, given="Moussa", family="Conde", sex="male", born=D(1985, 1, 1))
    w["F"] = h.case(
        rabat,
        [w["moussa"]],
        registered_on=D(2024, 11, 1),
        departed_on=D(2024, 12, 31),
        project=P,
        status=Status.DEPARTED,
    )
    h.depart(w["F"], w["moussa"], D(2024, 12, 31))
    # Another host mission's return: never counted by Moroccan staff.
    w["salah"] = h.person(tunis, given="Salah", family="Traore", sex="male", born=D(1990, 1, 1))
    w["T"] = h.case(tunis, [w["salah"]], departed_on=D(2025, 3, 1), status=Status.DEPARTED)
    h.depart(w["T"], w["salah"], D(2025, 3, 1))

    # Screenings: Mamadou's disability was cleared by a later screening.
    h.screen(w["A"], w["mamadou"], D(2025, 1, 15), disability=True)
    h.screen(w["A"], w["mamadou"], D(2025, 2, 15))
    h.screen(w["A"], w["fatou"], D(2025, 1, 15), health_needs=True)
    h.screen(w["B"], w["awa"], D(2025, 4, 2), trafficking_indicators=True, single_parent=True)
    h.screen(w["D"], w["ibrahima"], D(2025, 2, 2), unaccompanied_child=True)
    h.screen(w["T"], w["salah"], D(2025, 2, 2), health_needs=True)

    # Pre-departure assistance.
    h.assist(w["A"], w["fatou"], AssistanceKind.MEDICAL, D(2025, 2, 1), project=P)
    h.assist(w["A"], w["fatou"], AssistanceKind.MEDICAL, D(2025, 2, 10), project=P)
    h.assist(w["A"], w["mamadou"], AssistanceKind.ACCOMMODATION, D(2025, 2, 1), project=P)
    h.assist(
        w["A"], w["mamadou"], AssistanceKind.MEDICAL, D(2025, 3, 1), project=P, status="cancelled"
    )
    h.assist(w["B"], w["awa"], AssistanceKind.FOOD, D(2025, 4, 5), project=Q)
    h.assist(w["D"], w["ibrahima"], AssistanceKind.MEDICAL, D(2024, 12, 30), project=R)
    h.assist(w["T"], w["salah"], AssistanceKind.MEDICAL, D(2025, 2, 1), project=P)

    # Reintegration in Guinea.
    h.accept(w["A"], conakry, D(2025, 3, 12))
    h.receive(w["A"], D(2025, 3, 11), conakry)
    h.close(w["A"], D(2025, 9, 30), ClosureReason.SUPPORT_COMPLETED)
    h.accept(w["D"], conakry, D(2025, 5, 22))
    h.close(w["D"], D(2025, 10, 1), ClosureReason.RE_MIGRATED)

    # Reintegration assistance delivered to case A: a purchase (one line of the plan's
    # micro-business, one without a plan item), a tranche paid (another only planned), a referral
    # completed.
    staff = h.staff(conakry)
    plan = Plan.objects.create(case=w["A"], project=P, currency="EUR", created_by=staff)
    item = PlanItem.objects.create(
        plan=plan,
        kind="micro_business",
        description="Shop",
        quantity=1,
        unit="lot",
        unit_cost=300,
        total=300,
    )
    supplier = OrganisationFactory(kind="supplier", country="GN")
    purchase = Purchase.objects.create(
        case=w["A"],
        plan=plan,
        supplier=supplier,
        project=P,
        currency="EUR",
        ordered_on=D(2025, 4, 1),
        status="delivered",
        delivered_on=D(2025, 4, 10),
        recorded_by=staff,
    )
    PurchaseLine.objects.create(
        purchase=purchase,
        plan_item=item,
        description="Stock",
        quantity=1,
        unit="lot",
        unit_price=300,
        total=300,
    )
    PurchaseLine.objects.create(
        purchase=purchase, description="Delivery", quantity=1, unit="trip", unit_price=10, total=10
    )
    CashTranche.objects.create(
        case=w["A"],
        plan=plan,
        person=w["mamadou"],
        project=P,
        amount=100,
        currency="EUR",
        paid_on=D(2025, 4, 2),
        channel="cash",
        status="paid",
        recorded_by=staff,
    )
    CashTranche.objects.create(
        case=w["A"],
        plan=plan,
        person=w["fatou"],
        project=P,
        amount=100,
        currency="EUR",
        due_on=D(2025, 10, 2),
        channel="cash",
        status="planned",
        recorded_by=staff,
    )
    Referral.objects.create(
        case=w["A"],
        plan=plan,
        person=w["fatou"],
        organisation=supplier,
        kind="education",
        service="School",
        referred_on=D(2025, 4, 3),
        status="completed",
        recorded_by=staff,
    )

    # Sustainability surveys: Mamadou's latest is his follow-up; Fatou's follow-up was voided;
    # Ibrahima was surveyed with another instrument version; a survey of 2026 is out of period.
    h.survey(w["A"], w["mamadou"], D(2025, 4, 1), (0.2, 0.3, 0.4, 0.3), age=44)
    h.survey(w["A"], w["mamadou"], D(2025, 10, 1), (0.6, 0.5, 0.7, 0.6), kind="follow_up", age=45)
    h.survey(w["A"], w["fatou"], D(2025, 4, 1), (0.4, 0.4, 0.4, 0.4), age=9)
    h.survey(w["A"], w["fatou"], D(2025, 10, 2), (1, 1, 1, 1), kind="follow_up", voided=True)
    w["other_instrument"] = Instrument.objects.create(
        code="rss",
        version="test-2",
        name="Other",
        definition={},
        checksum="0" * 64,
        is_active=False,
    )
    h.survey(w["D"], w["ibrahima"], D(2025, 6, 1), (0, 0, 0, 0), instrument=w["other_instrument"])
    h.survey(w["A"], w["mamadou"], D(2026, 1, 5), (0.9, 0.9, 0.9, 0.9), kind="follow_up")

    # Budget lines and charges.
    w["P-L1"] = BudgetLine.objects.create(project=P, code="L1", name="Medical", amount=10000)
    w["Q-L1"] = BudgetLine.objects.create(project=Q, code="L1", name="Food", amount=10000)
    h.charge(w["A"], project=P, amount=100, on=D(2025, 3, 1), budget_line=w["P-L1"])
    h.charge(
        w["A"], project=P, amount=50, stage="committed", on=D(2025, 3, 5), budget_line=w["P-L1"]
    )
    h.charge(w["B"], project=Q, amount=200, on=D(2025, 5, 1), budget_line=w["Q-L1"])
    h.charge(w["B"], project=Q, amount=30, stage="released", on=D(2025, 5, 2))
    h.charge(w["D"], project=R, amount=1000, on=D(2025, 6, 1))
    h.charge(w["D"], project=R, amount=500, on=D(2025, 6, 2), project_amount=None, currency="EUR")
    h.charge(w["G"], project=P, amount=70, on=D(2024, 12, 1))
    # the Tunisian mission's own project: its charges are never Moroccan staff's spending
    w["TN"] = ProjectFactory(code="AVRR-TN", name="AVRR TN", mission=tunis.mission, currency="EUR")
    h.charge(w["T"], project=w["TN"], amount=999, on=D(2025, 3, 1))
    return w
