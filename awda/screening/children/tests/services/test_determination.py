"""Best-interests determinations: after an assessment; a new one reviews the previous one; the
current one can be reopened (with a reason), which keeps the history and blocks travel again."""

import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.screening.children import services
from awda.screening.children.models import BestInterestsDetermination
from awda.screening.children.selectors import case_children

from .. import steps


def test_needs_an_assessment_first(protection_officer, child_case, child):
    with pytest.raises(ValidationFailed) as exc:
        steps.determine(protection_officer, child_case, child)
    assert exc.value.code == "assessment_missing"
    assert not BestInterestsDetermination.objects.exists()


def test_a_new_determination_reviews_the_previous_one(protection_officer, child_case, child):
    steps.assess(protection_officer, child_case, child)
    first = steps.determine(protection_officer, child_case, child, outcome="deferred")
    second = steps.determine(protection_officer, child_case, child, outcome="return")
    assert first.review_of is None and second.review_of == first
    (file,) = case_children(child_case)
    assert file.determinations == [second, first]
    assert file.current_determination == second
    event = AuditEvent.objects.filter(action="child_protection.determination.recorded").first()
    assert event.changes == {
        "person": child.pk,
        "uasc_step": "determination",
        "record": second.pk,
        "review_of": first.pk,
    }


def test_reopen_keeps_the_history_and_needs_a_new_determination(
    protection_officer, child_case, child
):
    steps.assess(protection_officer, child_case, child)
    first = steps.determine(protection_officer, child_case, child)
    reopened = services.determination_reopen(
        protection_officer, determination=first, reason="The mother moved away."
    )
    assert reopened.reopened_on == steps.today() and reopened.reopened_by == protection_officer
    first.refresh_from_db()
    assert first.reopen_reason == "The mother moved away." and first.outcome == "return"
    (file,) = case_children(child_case)
    assert file.current_determination is None
    state = {s.step: s for s in file.steps}["determination"]
    assert not state.ok and state.detail == "reopened: a new determination is needed"
    event = AuditEvent.objects.get(action="child_protection.determination.reopened")
    assert event.changes == {"person": child.pk, "uasc_step": "determination", "record": first.pk}

    second = steps.determine(protection_officer, child_case, child)
    assert second.review_of == first
    assert BestInterestsDetermination.objects.count() == 2
    (file,) = case_children(child_case)
    assert file.current_determination == second


def test_only_the_current_determination_can_be_reopened(protection_officer, child_case, child):
    steps.assess(protection_officer, child_case, child)
    first = steps.determine(protection_officer, child_case, child)
    steps.determine(protection_officer, child_case, child)
    with pytest.raises(ValidationFailed) as exc:
        services.determination_reopen(protection_officer, determination=first, reason="x")
    assert exc.value.code == "not_current"
    first.refresh_from_db()
    assert first.reopened_on is None


def test_reopening_twice_is_refused(protection_officer, child_case, child):
    steps.assess(protection_officer, child_case, child)
    bid = steps.determine(protection_officer, child_case, child)
    services.determination_reopen(protection_officer, determination=bid, reason="New facts")
    with pytest.raises(ValidationFailed) as exc:
        services.determination_reopen(
            protection_officer,
            determination=BestInterestsDetermination.objects.get(pk=bid.pk),
            reason="Again",
        )
    assert exc.value.code == "not_current"


def test_reopen_needs_a_reason_and_the_protection_role(
    protection_officer, caseworker, child_case, child
):
    steps.assess(protection_officer, child_case, child)
    bid = steps.determine(protection_officer, child_case, child)
    with pytest.raises(ValidationFailed) as exc:
        services.determination_reopen(protection_officer, determination=bid, reason="  ")
    assert set(exc.value.fields) == {"reason"}
    with pytest.raises(PermissionDenied):
        services.determination_reopen(caseworker, determination=bid, reason="New facts")
    bid.refresh_from_db()
    assert bid.reopened_on is None
    assert not AuditEvent.objects.filter(action="child_protection.determination.reopened").exists()
