import pytest

from awda.assistance.models import AssistanceLine
from awda.assistance.selectors import assistance_summary, case_totals
from awda.assistance.services import LINE_CANCELLED, assistance_cancel
from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed

from ..helpers import record


def test_cancel_keeps_the_line_out_of_the_totals(caseworker, colleague, funded_case):
    kept = record(caseworker, funded_case)
    line = record(caseworker, funded_case, unit_cost="10")
    assistance_cancel(colleague, line=line, reason="Recorded twice", expected_version=1)
    line.refresh_from_db()
    assert line.status == "cancelled" and line.cancelled_by == colleague
    assert line.cancel_reason == "Recorded twice" and line.version == 2
    assert case_totals(funded_case) == {"MAD": kept.total}
    summary = assistance_summary(funded_case)
    assert summary.line_count == 1 and summary.cancelled_count == 1
    event = AuditEvent.objects.get(action=LINE_CANCELLED)
    assert event.changes["reason"] == "Recorded twice" and event.case_id == funded_case.pk


def test_a_stale_version_is_refused(caseworker, funded_case):
    line = record(caseworker, funded_case)
    with pytest.raises(StaleEdit):
        assistance_cancel(caseworker, line=line, reason="x", expected_version=2)
    line.refresh_from_db()
    assert line.status == "recorded"
    assert not AuditEvent.objects.filter(action=LINE_CANCELLED).exists()


def test_a_reason_is_required_and_a_line_is_cancelled_once(caseworker, funded_case):
    line = record(caseworker, funded_case)
    with pytest.raises(ValidationFailed) as exc:
        assistance_cancel(caseworker, line=line, reason="  ", expected_version=1)
    assert "reason" in exc.value.fields
    assistance_cancel(caseworker, line=line, reason="Not delivered", expected_version=1)
    with pytest.raises(ValidationFailed) as exc:
        assistance_cancel(caseworker, line=line, reason="again", expected_version=2)
    assert exc.value.code == "already_cancelled"


def test_a_line_can_be_cancelled_after_departure_but_not_once_closed(caseworker, funded_case):
    line = record(caseworker, funded_case)
    Case.objects.filter(pk=funded_case.pk).update(status="departed")
    line.case.status = "departed"
    assistance_cancel(caseworker, line=line, reason="Invoice refused", expected_version=1)
    other = AssistanceLine.objects.create(**_copy(line))
    Case.objects.filter(pk=funded_case.pk).update(status="closed")
    other.case.status = "closed"
    with pytest.raises(ValidationFailed):
        assistance_cancel(caseworker, line=other, reason="x", expected_version=1)


def _copy(line):
    fields = [
        f.attname
        for f in AssistanceLine._meta.concrete_fields
        if f.attname not in ("id", "created_at", "updated_at")
    ]
    data = {f: getattr(line, f) for f in fields}
    data.update(status="recorded", cancelled_by_id=None, cancelled_at=None, version=1)
    return data


@pytest.mark.parametrize("persona", ["movement_officer", "finance_officer", "other_office_user"])
def test_users_who_may_not_record_cannot_cancel(request, persona, caseworker, funded_case):
    line = record(caseworker, funded_case)
    with pytest.raises(PermissionDenied):
        assistance_cancel(
            request.getfixturevalue(persona), line=line, reason="x", expected_version=1
        )
    line.refresh_from_db()
    assert line.status == "recorded"
