"""The workspace queues as selectors: which files are in the assessments queue and what their
rows say is missing."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from awda.cases.models import Case
from awda.reintegration.files import selectors
from awda.reintegration.models import Assessment, Survey
from awda.reintegration.surveys.instrument import active_instrument

from .conftest import principal


def assess(case, user, *kinds):
    for kind in kinds:
        Assessment.objects.create(
            case=case,
            person=principal(case),
            kind=kind,
            assessed_on=timezone.localdate(),
            level="" if kind == "skills" else "low",
            assessed_by=user,
        )


def baseline(case, user, *, voided=False):
    return Survey.objects.create(
        case=case,
        person=principal(case),
        instrument=active_instrument(),
        kind="baseline",
        conducted_on=timezone.localdate(),
        economic=Decimal("0.5"),
        social=Decimal("0.5"),
        psychosocial=Decimal("0.5"),
        composite=Decimal("0.5"),
        conducted_by=user,
        voided_at=timezone.now() if voided else None,
    )


def assessments_due(user):
    rows = selectors.queue(selectors.workspace_scope(user), "assessments")
    return {row.case_id: selectors.row_summary("assessments", row)["missing"] for row in rows}


@pytest.fixture
def family(received):
    Case.objects.filter(pk=received.pk).update(member_count=3)
    return Case.objects.get(pk=received.pk)


def test_a_received_case_lists_what_is_due(received, origin_officer):
    assert assessments_due(origin_officer) == {
        received.pk: ["vulnerability", "skills", "baseline_survey"]
    }


def test_a_single_returnee_needs_no_family_or_risk_assessment(received, origin_officer):
    assess(received, origin_officer, "vulnerability", "skills")
    baseline(received, origin_officer)
    assert assessments_due(origin_officer) == {}


def test_a_family_needs_a_family_assessment(family, origin_officer):
    assess(family, origin_officer, "vulnerability", "skills")
    baseline(family, origin_officer)
    assert assessments_due(origin_officer) == {family.pk: ["family"]}
    assess(family, origin_officer, "family")
    assert assessments_due(origin_officer) == {}


def test_a_voided_baseline_is_still_due(received, origin_officer):
    assess(received, origin_officer, "vulnerability", "skills")
    baseline(received, origin_officer, voided=True)
    assert assessments_due(origin_officer) == {received.pk: ["baseline_survey"]}


def test_a_case_not_yet_received_is_not_due(accepted, origin_officer):
    assert assessments_due(origin_officer) == {}


def test_a_case_in_monitoring_has_left_the_queue(monitored, origin_officer):
    assert monitored.status == "monitoring"
    assert assessments_due(origin_officer) == {}


def test_the_queue_and_its_count_take_one_query_each(family, origin_officer):
    qs = selectors.queue(selectors.workspace_scope(origin_officer), "assessments")
    with CaptureQueriesContext(connection) as ctx:
        assert qs.count() == 1
        assert [r.case_id for r in qs[:10]] == [family.pk]
    assert len(ctx.captured_queries) == 2
