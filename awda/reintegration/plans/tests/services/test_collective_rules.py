from decimal import Decimal

import pytest

from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.factories import (
    MissionFactory,
    OfficeFactory,
    ProjectFactory,
    approve_plan_for,
    bring_case_to,
    register_case,
)
from awda.reintegration.models import CollectiveProject
from awda.reintegration.plans import selectors, services

from ..helpers import SHOP, draft


def make(user, office, project, name="Kindia poultry"):
    return services.collective_create(
        user, office=office, name=name, kind="collective", project=project
    )


def test_a_collective_is_funded_by_its_mission_or_a_project_funding_its_returnees(
    returned_case, conakry, guinea, origin_officer
):
    own = ProjectFactory(mission=guinea, code="REINT-GN")
    mali = MissionFactory(code="ML", name="Mali", country_alpha3="MLI", kind="origin")
    unrelated = ProjectFactory(mission=mali, code="REINT-ML")
    assert make(origin_officer, conakry, own).project == own
    assert make(origin_officer, conakry, returned_case.project).project == returned_case.project
    allowed = set(selectors.collective_projects(guinea.pk))
    assert allowed == {own, returned_case.project}
    with pytest.raises(ValidationFailed) as exc:
        make(origin_officer, conakry, unrelated, name="Other")
    assert set(exc.value.fields) == {"project"}
    assert CollectiveProject.objects.count() == 2
    collective = CollectiveProject.objects.get(project=own)
    with pytest.raises(ValidationFailed):
        services.collective_update(
            origin_officer, collective=collective, expected_version=1, project=unrelated
        )
    collective.refresh_from_db()
    assert collective.project == own and collective.version == 1


def test_a_collective_is_created_only_in_an_office_where_the_user_records(
    returned_case, guinea, origin_officer
):
    kankan = OfficeFactory(mission=guinea, code="KKN", name="Kankan")
    with pytest.raises(PermissionDenied):
        make(origin_officer, kankan, returned_case.project)
    assert not CollectiveProject.objects.exists()


def test_an_update_without_the_version_read_is_refused(returned_case, conakry, origin_officer):
    collective = make(origin_officer, conakry, returned_case.project)
    with pytest.raises(ValidationFailed) as exc:
        services.collective_update(
            origin_officer, collective=collective, expected_version=None, name="Renamed"
        )
    assert "version" in exc.value.fields
    with pytest.raises(StaleEdit):
        services.collective_update(
            origin_officer, collective=collective, expected_version=7, name="Renamed"
        )
    collective.refresh_from_db()
    assert collective.name == "Kindia poultry" and collective.version == 1


def test_participants_and_totals_count_each_case_once_and_each_currency_apart(
    returned_case, conakry, origin_officer, origin_manager, caseworker, manager, rabat
):
    collective = make(origin_officer, conakry, returned_case.project)
    approved = approve_plan_for(returned_case, origin_officer, origin_manager)  # 300 EUR
    # link the approved plan through a revision cycle: revise, link, approve, then revise again
    revision = services.plan_revise(origin_officer, plan=approved)
    revision = services.plan_update(
        origin_officer, plan=revision, expected_version=revision.version, collective=collective
    )
    revision = services.plan_submit(
        origin_officer, plan=revision, expected_version=revision.version
    )
    in_force = services.plan_approve(
        origin_manager, plan=revision, expected_version=revision.version
    )
    open_revision = services.plan_revise(origin_officer, plan=in_force)  # linked too (copied)
    services.plan_update(
        origin_officer,
        plan=open_revision,
        expected_version=open_revision.version,
        items=[SHOP | {"quantity": "3"}],  # 450 EUR, being prepared
    )
    other = bring_case_to(
        register_case(caseworker, rabat),
        "reintegration",
        caseworker=caseworker,
        manager=manager,
        origin=origin_officer,
    )
    usd = draft(origin_officer, other, currency="USD", collective=collective)  # 300 USD
    row = selectors.collective_totals(
        selectors.collective_list_for(origin_officer).filter(pk=collective.pk)
    )[0]
    assert row.participant_count == 2
    assert row.plans_totals == [("EUR", Decimal("300.00")), ("USD", Decimal("300.00"))]
    participants = selectors.collective_participants(collective)
    assert sorted(p.pk for p in participants) == sorted([in_force.pk, usd.pk])
