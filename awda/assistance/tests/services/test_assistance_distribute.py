from decimal import Decimal

import pytest

from awda.assistance.models import AssistanceLine, Distribution
from awda.assistance.services import DISTRIBUTION_RECORDED, LINE_RECORDED, assistance_distribute
from awda.audit.models import AuditEvent
from awda.cases.models import Case
from awda.core.errors import PermissionDenied, ValidationFailed
from awda.factories import person_data, register_case

from ..helpers import fresh, persons, principal


def distribute(user, office, recipients, **kwargs):
    data = {
        "kind": "food",
        "description": "Ramadan food basket",
        "quantity": Decimal("1"),
        "unit_cost": Decimal("250.00"),
        "currency": "MAD",
    }
    return assistance_distribute(user, office=office, recipients=recipients, **data | kwargs)


@pytest.fixture
def second_case(caseworker, rabat, project):
    case = register_case(caseworker, rabat, principal=person_data(given_name="Mamadou"))
    Case.objects.filter(pk=case.pk).update(project=project)
    return fresh(case)


def test_a_distribution_records_one_line_per_person(caseworker, rabat, family, second_case, hotel):
    recipients = [(family, p) for p in persons(family)] + [(second_case, principal(second_case))]
    version = family.version
    distribution = distribute(caseworker, rabat, recipients, provider=hotel)
    lines = list(distribution.lines.order_by("id"))
    assert len(lines) == 4
    assert {ln.case_id for ln in lines} == {family.pk, second_case.pk}
    assert all(ln.total == Decimal("250.00") and ln.unit == "meal" for ln in lines)
    assert all(ln.provider == hotel and ln.project_id == family.project_id for ln in lines)
    assert AuditEvent.objects.filter(action=LINE_RECORDED).count() == 4
    event = AuditEvent.objects.get(action=DISTRIBUTION_RECORDED)
    assert event.changes["recipients"] == 4 and event.changes["amount"] == "1000.00 MAD"
    assert fresh(family).version == version + 1


def test_one_invalid_person_records_nothing_and_names_the_row_and_field(
    caseworker, rabat, family, case
):
    # `case` has no project: its row is refused, and so is the whole distribution.
    recipients = [(family, p) for p in persons(family)] + [(case, principal(case))]
    with pytest.raises(ValidationFailed) as exc:
        distribute(caseworker, rabat, recipients)
    assert "recipients.3.project" in exc.value.fields
    message = exc.value.fields["recipients.3.project"][0]
    assert "Row 4" in message and "Ousmane DIALLO" in message and case.number in message
    rows = exc.value.details["rows"]
    assert [r["row"] for r in rows] == [4] and "project" in rows[0]["errors"]
    assert not AssistanceLine.objects.exists() and not Distribution.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="assistance.").exists()


def test_a_person_listed_twice_or_not_a_member_is_refused(caseworker, rabat, family, second_case):
    mother = principal(family)
    recipients = [(family, mother), (family, mother), (second_case, mother)]
    with pytest.raises(ValidationFailed) as exc:
        distribute(caseworker, rabat, recipients)
    assert set(exc.value.fields) == {"recipients.1.person", "recipients.2.person"}
    assert not AssistanceLine.objects.exists()


def test_a_case_of_another_office_is_refused(caseworker, rabat, oujda, family, project):
    other = register_case(_oujda_worker(oujda), oujda, principal=person_data(given_name="Fatou"))
    Case.objects.filter(pk=other.pk).update(project=project)
    with pytest.raises(ValidationFailed) as exc:
        distribute(
            caseworker, rabat, [(family, principal(family)), (fresh(other), principal(other))]
        )
    assert "recipients.1.case" in exc.value.fields


def _oujda_worker(oujda):
    from awda.accounts.choices import Role
    from awda.factories import member_of

    return member_of(oujda, Role.CASEWORKER, "cw.oujda.2")


def test_a_case_that_left_is_refused(caseworker, rabat, family, second_case):
    Case.objects.filter(pk=second_case.pk).update(status="departed")
    with pytest.raises(ValidationFailed) as exc:
        distribute(
            caseworker,
            rabat,
            [(family, principal(family)), (fresh(second_case), principal(second_case))],
        )
    assert "recipients.1.case" in exc.value.fields
    assert not AssistanceLine.objects.exists()


def test_item_errors_are_reported_on_their_fields(caseworker, rabat, family):
    with pytest.raises(ValidationFailed) as exc:
        distribute(caseworker, rabat, [], currency="", quantity=None)
    assert {"recipients", "currency", "quantity"} <= set(exc.value.fields)


def test_a_project_given_applies_to_every_line_and_must_be_of_the_mission(
    caseworker, rabat, case, family, foreign_project, project
):
    with pytest.raises(ValidationFailed) as exc:
        distribute(caseworker, rabat, [(family, principal(family))], project=foreign_project)
    assert "recipients.0.project" in exc.value.fields
    distribution = distribute(
        caseworker, rabat, [(case, principal(case)), (family, principal(family))], project=project
    )
    assert {ln.project_id for ln in distribution.lines.all()} == {project.pk}


@pytest.mark.parametrize("persona", ["movement_officer", "finance_officer", "other_office_user"])
def test_users_who_may_not_record_in_the_office_change_nothing(request, persona, rabat, family):
    with pytest.raises(PermissionDenied):
        distribute(request.getfixturevalue(persona), rabat, [(family, principal(family))])
    assert not Distribution.objects.exists() and not AssistanceLine.objects.exists()


def test_the_sheet_counts_only_the_recorded_lines(caseworker, rabat, family):
    from awda.assistance.services import assistance_cancel, distribution_sheet_print

    from ..helpers import pdf_text

    distribution = distribute(caseworker, rabat, [(family, p) for p in persons(family)])
    line = distribution.lines.order_by("id").first()
    line.case = fresh(family)
    assistance_cancel(caseworker, line=line, reason="Not present", expected_version=1)
    text = pdf_text(distribution_sheet_print(caseworker, distribution=distribution))
    assert "Recipients 2" in text.replace(":", "") and "500.00 MAD" in text
