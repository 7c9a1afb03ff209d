import datetime

import pytest

from awda.audit.models import AuditEvent
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.movements.traveldocs import services
from awda.movements.traveldocs.models import ExitAuthorisation

from ..helpers import TODAY, fresh, principal


def request(user, case, authority, **kwargs):
    return services.exit_authorisation_request(
        user, case=fresh(case), person=principal(case), authority=authority, **kwargs
    )


def test_request_then_grant(caseworker, case, authority):
    auth = request(caseworker, case, authority, reference="REQ-1")
    assert auth.status == "requested" and auth.requested_on == TODAY
    auth = services.exit_authorisation_answer(
        caseworker,
        authorisation=auth,
        expected_version=1,
        outcome="granted",
        reference="AS-2026-1",
        valid_until=TODAY + datetime.timedelta(days=30),
    )
    auth.refresh_from_db()
    assert (auth.status, auth.reference, auth.granted_on, auth.version) == (
        "granted",
        "AS-2026-1",
        TODAY,
        2,
    )
    actions = list(AuditEvent.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert "travel_documents.exit.requested" in actions
    assert "travel_documents.exit.answered" in actions


def test_the_authority_must_be_an_authority(caseworker, case, consulate):
    with pytest.raises(ValidationFailed) as exc:
        request(caseworker, case, consulate)
    assert "authority" in exc.value.fields
    assert not ExitAuthorisation.objects.exists()


def test_refusal_needs_a_reason_and_validity_cannot_precede_grant(caseworker, case, authority):
    auth = request(caseworker, case, authority)
    with pytest.raises(ValidationFailed) as exc:
        services.exit_authorisation_answer(
            caseworker, authorisation=auth, expected_version=1, outcome="refused"
        )
    assert "reason" in exc.value.fields
    with pytest.raises(ValidationFailed) as exc:
        services.exit_authorisation_answer(
            caseworker,
            authorisation=auth,
            expected_version=1,
            outcome="granted",
            valid_until=TODAY - datetime.timedelta(days=1),
        )
    assert "valid_until" in exc.value.fields


def test_a_stale_answer_is_refused(caseworker, colleague, case, authority):
    auth = request(caseworker, case, authority)
    services.exit_authorisation_update(
        caseworker, authorisation=auth, expected_version=1, reference="R-2"
    )
    with pytest.raises(StaleEdit):
        services.exit_authorisation_answer(
            colleague, authorisation=auth, expected_version=1, outcome="granted"
        )
    auth.refresh_from_db()
    assert auth.status == "requested" and auth.version == 2


def test_finance_may_not_request(finance_officer, case, authority):
    with pytest.raises(PermissionDenied):
        request(finance_officer, case, authority)
    assert not ExitAuthorisation.objects.exists()


def test_a_correction_keeps_the_grant_after_the_request(caseworker, case, authority):
    auth = request(caseworker, case, authority, requested_on=TODAY - datetime.timedelta(days=5))
    auth = services.exit_authorisation_answer(
        caseworker, authorisation=auth, expected_version=1, outcome="granted", granted_on=TODAY
    )
    auth.case = fresh(case)
    for changes, field in [
        ({"granted_on": TODAY - datetime.timedelta(days=6)}, "granted_on"),
        ({"requested_on": TODAY - datetime.timedelta(days=5), "granted_on": None}, "granted_on"),
    ]:
        with pytest.raises(ValidationFailed) as exc:
            services.exit_authorisation_update(
                caseworker, authorisation=auth, expected_version=auth.version, **changes
            )
        assert field in exc.value.fields
    auth.refresh_from_db()
    assert (auth.granted_on, auth.version) == (TODAY, 2)


def test_a_correction_cannot_grant_a_pending_request(caseworker, case, authority):
    auth = request(caseworker, case, authority)
    auth.case = fresh(case)
    with pytest.raises(ValidationFailed) as exc:
        services.exit_authorisation_update(
            caseworker, authorisation=auth, expected_version=1, granted_on=TODAY
        )
    assert "granted_on" in exc.value.fields
    auth.refresh_from_db()
    assert (auth.status, auth.granted_on, auth.version) == ("requested", None, 1)
