"""Issue 5's journey through the API (/api/v1/): the Conakry office accepts Ousmane's handover,
records his reception and baseline survey, drafts a plan for a small shop (refused over his cap,
submitted under it), a manager approves it, the office records the supplier's delivery and two
monitoring visits with follow-up surveys, reads his scores over time and closes the case. A plan
over the cap goes through only after a manager's override."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from awda.accounts.choices import Role
from awda.cases.models import Case
from awda.core.api.testing import api_client, error_of
from awda.factories import (
    OrganisationFactory,
    ProjectFactory,
    arrive_travellers,
    bring_case_to,
    hand_over_case,
    member_of,
    person_data,
    register_case,
)
from awda.registry.choices import OrganisationKind
from awda.reintegration.models import MonitoringVisit, Plan, Purchase, ReintegrationCap, Survey
from awda.reintegration.surveys.instrument import active_instrument, parse

API = "/api/v1"
TODAY = timezone.localdate
STOCK = {"kind": "micro_business", "description": "Shop stock (rice, oil, sugar)"}
SHOP = [
    STOCK | {"quantity": "2", "unit": "lot", "unit_cost": "412.35"},  # 824.70
    STOCK | {"description": "Shelves", "quantity": "3", "unit": "piece", "unit_cost": "95.60"},
    STOCK | {"description": "Fridge", "quantity": "1", "unit": "piece", "unit_cost": "450.00"},
]  # 1561.50: over the 1,500 EUR cap
COOLER = STOCK | {"description": "Cooler", "quantity": "1", "unit": "piece", "unit_cost": "85.25"}
UNDER = [*SHOP[:2], COOLER]  # 1196.75


@pytest.fixture
def origin_manager(conakry):
    return member_of(conakry, Role.MANAGER, "manager.conakry")


@pytest.fixture
def supplier(db):
    return OrganisationFactory(
        name="Quincaillerie Madina", kind=OrganisationKind.SUPPLIER, country="GN", city="Conakry"
    )


@pytest.fixture
def ousmane(caseworker, manager, rabat, guinea, morocco):
    """Registered in Rabat (Guinean, 44), departed, handed over to Guinea, arrived; his project
    caps reintegration at 1,500 EUR per returnee."""
    born = datetime.date(TODAY().year - 44, 1, 1)
    case = register_case(caseworker, rabat, principal=person_data(date_of_birth=born))
    project = ProjectFactory(code="AVRR-MA-SEM", mission=morocco, currency="EUR")
    case = bring_case_to(case, "departed", caseworker=caseworker, manager=manager, project=project)
    case = arrive_travellers(hand_over_case(case, guinea), manager)
    ReintegrationCap.objects.create(project=project, amount=Decimal("1500.00"), currency="EUR")
    return case


def answers(index):
    """An answer to every question of the instrument in use: the scored option at `index`."""
    out = {}
    for q in parse(active_instrument().definition).questions:
        scored = [o for o in q.options if o.score is not None]
        out[q.code] = scored[min(index, len(scored) - 1)].code
    return out


def plan_url(pk, suffix=""):
    return f"{API}/reintegration/plans/{pk}/{suffix}"


def test_conakry_takes_ousmane_from_handover_to_closure(
    ousmane, origin_officer, origin_manager, conakry, supplier
):
    officer, manager = api_client(origin_officer), api_client(origin_manager)
    case_api = f"{API}/cases/{ousmane.pk}"
    person = ousmane.principal.pk

    # the acceptance queue, then the acceptance
    queue = officer.get(f"{API}/reintegration/workspace/", {"queue": "acceptance"}).json()
    assert [r["case_number"] for r in queue["queues"][0]["rows"]] == [ousmane.number]
    accepted = officer.post(
        f"{case_api}/reintegration/accept/",
        {"office": conakry.pk, "officer": origin_officer.pk},
        format="json",
    )
    assert accepted.status_code == 201, accepted.json()
    assert accepted.json()["office"]["code"] == "CKY" and accepted.json()["plan_due_on"]

    # the reception moves the case to reintegration
    received = officer.put(
        f"{case_api}/reception/",
        {"received_on": TODAY().isoformat(), "airport_reception": True, "met_by": "Mariama Sow"},
        format="json",
    )
    assert received.status_code == 200, received.json()
    assert Case.objects.get(pk=ousmane.pk).status == "reintegration"

    # the baseline survey
    baseline = officer.post(
        f"{case_api}/surveys/",
        {"person": person, "kind": "baseline", "answers": answers(2)},
        format="json",
    )
    assert baseline.status_code == 201, baseline.json()

    # the plan: refused over the cap, nothing changed
    created = officer.post(f"{case_api}/plans/", {}, format="json")
    assert created.status_code == 201, created.json()
    plan = created.json()
    assert plan["cap"]["entitled"] == "1500.00"
    edited = officer.patch(
        plan_url(plan["id"]),
        {
            "version": plan["version"],
            "economic_summary": "Small grocery shop in Ratoma.",
            "social_summary": "Lives with his brother; prosthesis follow-up.",
            "psychosocial_summary": "Family support; peer group.",
            "assistances": [{"kind": "micro_business", "description": "Shop"}],
            "items": SHOP,
        },
        format="json",
    )
    assert edited.status_code == 200, edited.json()
    assert edited.json()["total"] == "1561.50"
    version = edited.json()["version"]
    refused = officer.post(plan_url(plan["id"], "submit/"), {"version": version}, format="json")
    assert refused.status_code in (400, 409)
    error = error_of(refused)
    assert error["code"] == "over_cap"
    assert error["details"]["cap"] == "1500.00" and error["details"]["total"] == "1561.50"
    stored = Plan.objects.get(pk=plan["id"])
    assert (stored.status, stored.version, stored.submitted_at) == ("draft", version, None)

    # under the cap: submitted
    fixed = officer.patch(plan_url(plan["id"]), {"version": version, "items": UNDER}, format="json")
    assert fixed.status_code == 200 and fixed.json()["total"] == "1196.75"
    assert [i["total"] for i in fixed.json()["items"]] == ["824.70", "286.80", "85.25"]
    submitted = officer.post(
        plan_url(plan["id"], "submit/"), {"version": fixed.json()["version"]}, format="json"
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"

    # the manager approves; the visits are scheduled
    assert (
        officer.post(
            plan_url(plan["id"], "approve/"), {"version": submitted.json()["version"]}
        ).status_code
        == 403
    )
    approved = manager.post(
        plan_url(plan["id"], "approve/"), {"version": submitted.json()["version"]}, format="json"
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved"
    visits = officer.get(f"{case_api}/visits/").json()["results"]
    assert [v["months"] for v in visits] == [3, 6, 12]

    # monitoring starts (case transition API)
    version = officer.get(f"{case_api}/transitions/").json()["version"]
    moved = officer.post(
        f"{case_api}/transitions/",
        {"transition": "start_monitoring", "version": version},
        format="json",
    )
    assert moved.status_code == 200, moved.json()
    assert moved.json()["status"] == "monitoring"

    # the supplier's delivery, with the plan's items
    items = approved.json()["items"]
    ordered = officer.post(
        f"{case_api}/purchases/",
        {
            "supplier": supplier.pk,
            "invoice_number": "FM-2026-118",
            "lines": [
                {
                    "description": i["description"],
                    "quantity": i["quantity"],
                    "unit": i["unit"],
                    "unit_price": i["unit_cost"],
                    "plan_item": i["id"],
                }
                for i in items
            ],
        },
        format="json",
    )
    assert ordered.status_code == 201, ordered.json()
    purchase = ordered.json()
    assert purchase["total"] == "1196.75" and purchase["status"] == "ordered"
    delivered = officer.post(
        f"{API}/reintegration/purchases/{purchase['id']}/deliver/",
        {"delivered_on": TODAY().isoformat(), "version": purchase["version"]},
        format="json",
    )
    assert delivered.status_code == 200 and delivered.json()["status"] == "delivered"
    assert Purchase.objects.get(pk=purchase["id"]).total == Decimal("1196.75")
    totals = officer.get(f"{case_api}/delivery/totals/").json()
    eur = next(r for r in totals["currencies"] if r["currency"] == "EUR")
    assert (eur["committed"], eur["spent"]) == ("0.00", "1196.75")
    assert (totals["plan_used"], totals["plan_remaining"]) == ("1196.75", "0.00")

    # two visits, each followed by a follow-up survey
    for visit, activity, index in ((visits[0], "running", 1), (visits[1], "struggling", 0)):
        recorded = officer.post(
            f"{API}/reintegration/visits/{visit['id']}/record/",
            {
                "version": visit["version"],
                "status": "done",
                "conducted_on": TODAY().isoformat(),
                "outcome": "Shop open, neighbourhood customers.",
                "activity_status": activity,
            },
            format="json",
        )
        assert recorded.status_code == 200, recorded.json()
        follow_up = officer.post(
            f"{case_api}/surveys/",
            {
                "person": person,
                "kind": "follow_up",
                "answers": answers(index),
                "visit": visit["id"],
            },
            format="json",
        )
        assert follow_up.status_code == 201, follow_up.json()
    assert Survey.objects.filter(case=ousmane, kind="follow_up").count() == 2

    # his scores over time
    series = officer.get(f"{case_api}/surveys/series/", {"person": person}).json()
    assert [p["kind"] for p in series] == ["baseline", "follow_up", "follow_up"]
    stored = Survey.objects.filter(case=ousmane).order_by("conducted_on", "id")
    assert [p["composite"] for p in series] == [f"{s.composite:.4f}" for s in stored]

    # closure; the 12-month visit is cancelled
    version = officer.get(f"{case_api}/transitions/").json()["version"]
    closed = officer.post(
        f"{case_api}/transitions/",
        {"transition": "close", "closure_reason": "support_completed", "version": version},
        format="json",
    )
    assert closed.status_code == 200, closed.json()
    assert closed.json()["status"] == "closed"
    statuses = dict(MonitoringVisit.objects.filter(case=ousmane).values_list("months", "status"))
    assert statuses == {3: "done", 6: "done", 12: "cancelled"}


def test_a_plan_over_the_cap_goes_through_only_with_a_managers_override(
    ousmane, origin_officer, origin_manager, conakry
):
    officer, manager = api_client(origin_officer), api_client(origin_manager)
    case_api = f"{API}/cases/{ousmane.pk}"
    assert (
        officer.post(
            f"{case_api}/reintegration/accept/", {"office": conakry.pk}, format="json"
        ).status_code
        == 201
    )
    assert (
        officer.put(
            f"{case_api}/reception/", {"received_on": TODAY().isoformat()}, format="json"
        ).status_code
        == 200
    )
    plan = officer.post(f"{case_api}/plans/", {}, format="json").json()
    body = {
        "version": plan["version"],
        "assistances": [{"kind": "micro_business", "description": "Shop"}],
        "items": SHOP,
    }
    version = officer.patch(plan_url(plan["id"]), body, format="json").json()["version"]

    refused = officer.post(plan_url(plan["id"], "submit/"), {"version": version}, format="json")
    assert error_of(refused)["code"] == "over_cap"
    not_yours = officer.post(
        plan_url(plan["id"], "override/"), {"version": version, "reason": "x"}, format="json"
    )
    assert not_yours.status_code == 403
    stored = Plan.objects.get(pk=plan["id"])
    assert (stored.status, stored.version, stored.override_at) == ("draft", version, None)

    overridden = manager.post(
        plan_url(plan["id"], "override/"),
        {"version": version, "reason": "Fridge needed: the returnee cannot carry stock daily."},
        format="json",
    )
    assert overridden.status_code == 200, overridden.json()
    submitted = officer.post(
        plan_url(plan["id"], "submit/"), {"version": overridden.json()["version"]}, format="json"
    )
    assert submitted.status_code == 200, submitted.json()
    approved = manager.post(
        plan_url(plan["id"], "approve/"), {"version": submitted.json()["version"]}, format="json"
    )
    assert approved.status_code == 200, approved.json()
    assert approved.json()["status"] == "approved" and approved.json()["total"] == "1561.50"
    stored.refresh_from_db()
    assert stored.override_by == origin_manager and stored.cap_amount == Decimal("1500.00")
