import pytest

from awda.core.concurrency import save_versioned
from awda.core.errors import ApplicationError, StaleEdit, TransitionRefused, ValidationFailed
from awda.registry.models import Person


def test_save_versioned_is_compare_and_set(case):
    a = Person.objects.get(pk=case.principal_id)
    b = Person.objects.get(pk=case.principal_id)
    a.city = "Rabat"
    save_versioned(a, expected_version=None, fields=["city", "updated_at"])
    assert a.version == 2
    b.city = "Oujda"
    with pytest.raises(StaleEdit):
        save_versioned(b, expected_version=None, fields=["city"])
    with pytest.raises(StaleEdit):
        save_versioned(b, expected_version="1", fields=["city"])
    row = Person.objects.get(pk=case.principal_id)
    assert (row.city, row.version) == ("Rabat", 2)
    b.version = 2
    save_versioned(b, expected_version="2", fields=["city"])
    assert Person.objects.get(pk=case.principal_id).city == "Oujda"


def test_error_shape():
    err = ValidationFailed(fields={"members.0.sex": ["Choose a valid sex."]})
    assert err.as_dict() == {
        "code": "validation_error",
        "message": "Some fields are invalid.",
        "fields": {"members.0.sex": ["Choose a valid sex."]},
    }
    refused = TransitionRefused("blocked", code="gate_failed", details={"failed_gates": []})
    assert refused.as_dict()["code"] == "gate_failed" and refused.status == 409
    assert isinstance(refused, ApplicationError) and str(refused) == "blocked"
    assert StaleEdit().status == 409 and StaleEdit.code == "stale_edit"
