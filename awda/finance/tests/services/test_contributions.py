import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.factories import DonorFactory
from awda.finance.models import Contribution
from awda.finance.services import contribution_record


def record(user, project, donor=None, **kwargs):
    data = {
        "amount": "250000",
        "currency": "CHF",
        "received_on": timezone.localdate(),
        "reference": "SEM-2026-1",
    }
    return contribution_record(
        user, project=project, donor=donor or project.donors.get(), **data | kwargs
    )


def test_a_contribution_is_recorded_and_audited(finance_officer, project):
    contribution = record(finance_officer, project)
    assert (contribution.amount, contribution.currency) == (Decimal("250000.00"), "CHF")
    event = AuditEvent.objects.get(action="finance.contribution.recorded")
    assert event.changes["reference"] == "SEM-2026-1"


def test_the_donor_must_fund_the_project(finance_officer, project):
    with pytest.raises(ValidationFailed) as exc:
        record(finance_officer, project, donor=DonorFactory(name="Another donor"))
    assert "donor" in exc.value.fields


@pytest.mark.parametrize(
    "kwargs,field",
    [
        ({"amount": "0"}, "amount"),
        ({"currency": "ZZZ"}, "currency"),
        ({"received_on": timezone.localdate() + datetime.timedelta(days=1)}, "received_on"),
    ],
)
def test_invalid_contributions_are_refused(finance_officer, project, kwargs, field):
    with pytest.raises(ValidationFailed) as exc:
        record(finance_officer, project, **kwargs)
    assert field in exc.value.fields
    assert not Contribution.objects.exists()


def test_a_manager_may_not_record_one(manager, project):
    with pytest.raises(PermissionDenied):
        record(manager, project)
