"""Distributions: the same items to several persons at once, and their sheet."""

import datetime
from collections.abc import Sequence
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.cases.models import Case, CaseMember
from awda.cases.services import (
    touch_case,
)
from awda.core.errors import NotFound, ValidationFailed
from awda.finance.models import Project
from awda.registry.models import Organisation, Person

from .. import documents, policies, selectors
from ..charges import line_charge
from ..models import AssistanceLine, Distribution
from ._common import (
    DISTRIBUTION_PRINTED,
    DISTRIBUTION_RECORDED,
    DISTRIBUTION_VIEWED,
    LINE_RECORDED,
    MAX_RECIPIENTS,
    _audit_line,
    _clean_item,
    _line_changes,
    _project_errors,
    _raise,
    _require,
    _text,
    status_refusal,
)

# ---- a distribution (bulk) ----------------------------------------------------------------------


def _row_label(index: int, case: Case | None, person: Person | None) -> str:
    name = person.full_name if person is not None else "?"
    number = case.number if case is not None else "?"
    return _("Row %(row)s (%(name)s, %(case)s)") % {"row": index + 1, "name": name, "case": number}


def assistance_distribute(
    user,
    *,
    office,
    recipients: Sequence[tuple[Case, Person]],
    kind: str,
    description: str,
    quantity,
    unit_cost,
    currency: str,
    unit: str = "",
    distributed_on: datetime.date | None = None,
    end_date: datetime.date | None = None,
    place: str = "",
    nights: int | None = None,
    provider: Organisation | None = None,
    project: Project | None = None,
    notes: str = "",
) -> Distribution:
    """Record a distribution: the same items, the same day, to each (case, person) of
    `recipients` (persons of cases of `office`), one line each, grouped by a Distribution.

    All or nothing: if one recipient cannot receive a line (case of another office or not
    accepting assistance, not a member, a person listed twice, no project for the case...),
    nothing is recorded and the error names the row, the person and the field
    (fields "recipients.<row>.<field>", details["rows"]). Each line is charged to `project`, or
    else to its case's project, and posted on its budget (a charge per line, in the same
    transaction): a refusal of the budget (budget_exceeded, over_person_cap) records nothing.
    The distribution returned carries `charge_warnings` (the budget lines' warnings)."""
    office_id = getattr(office, "pk", office)
    _require(office_id in policies.offices_recording(user))
    today = timezone.localdate()
    values, errors = _clean_item(
        kind=kind,
        start_date=distributed_on,
        end_date=end_date,
        place=place,
        nights=nights,
        provider=provider,
        description=description,
        quantity=quantity,
        unit=unit,
        unit_cost=unit_cost,
        currency=currency,
        today=today,
    )
    if not currency:
        errors["currency"] = [_("Choose the currency.")]
    if "start_date" in errors:
        errors["distributed_on"] = errors.pop("start_date")
    recipients = list(recipients or ())
    if not recipients:
        errors["recipients"] = [_("Choose at least one person.")]
    elif len(recipients) > MAX_RECIPIENTS:
        errors["recipients"] = [_("Record at most %(n)s persons at once.") % {"n": MAX_RECIPIENTS}]
    _raise(errors)
    on_date = values["start_date"]
    rows: list[dict] = []
    members = set(
        CaseMember.objects.filter(case_id__in={c.pk for c, _p in recipients}).values_list(
            "case_id", "person_id"
        )
    )
    seen: set = set()
    for index, (case, person) in enumerate(recipients):
        problems: dict[str, list[str]] = {}
        if case.office_id != office_id:
            problems["case"] = [_("The case is not a case of this office.")]
        elif not policies.may_record(user, case):
            problems["case"] = [_("You may not record assistance for this case.")]
        else:
            refusal = status_refusal(case)
            if refusal:
                problems["case"] = [refusal]
        if person is None or (case.pk, person.pk) not in members:
            problems["person"] = [_("This person is not a member of the case.")]
        elif person.pk in seen:
            problems["person"] = [_("This person is listed twice.")]
        else:
            seen.add(person.pk)
        line_project = project if project is not None else case.project
        project_problems = _project_errors(case, line_project, on_date)
        if project_problems:
            problems["project"] = project_problems
        if problems:
            label = _row_label(index, case, person)
            for field, msgs in problems.items():
                errors[f"recipients.{index}.{field}"] = [f"{label}: {m}" for m in msgs]
            rows.append(
                {
                    "row": index + 1,
                    "case": case.pk,
                    "case_number": case.number,
                    "person": getattr(person, "pk", None),
                    "name": getattr(person, "full_name", ""),
                    "errors": {f: [str(m) for m in msgs] for f, msgs in problems.items()},
                }
            )
    if errors:
        raise ValidationFailed(
            _(
                "Nothing was recorded: %(n)s of the %(total)s persons cannot receive this "
                "distribution."
            )
            % {"n": len(rows), "total": len(recipients)},
            fields=errors,
            details={"rows": rows},
        )
    values.pop("start_date")
    with transaction.atomic():
        locked = {
            c.pk: c
            for c in Case.objects.select_for_update()
            .filter(pk__in={c.pk for c, _p in recipients})
            .order_by("pk")
        }
        for index, (case, person) in enumerate(recipients):
            refusal = status_refusal(locked[case.pk])
            if refusal:  # changed since it was read: refuse everything
                raise ValidationFailed(
                    fields={
                        f"recipients.{index}.case": [
                            f"{_row_label(index, case, person)}: {refusal}"
                        ]
                    }
                )
        distribution = Distribution.objects.create(
            office_id=office_id,
            distributed_on=on_date,
            kind=values["kind"],
            provider=values["provider"],
            description=values["description"],
            quantity=values["quantity"],
            unit=values["unit"],
            unit_cost=values["unit_cost"],
            currency=values["currency"],
            notes=_text(notes),
            recorded_by=user,
        )
        lines = AssistanceLine.objects.bulk_create(
            [
                AssistanceLine(
                    case_id=case.pk,
                    person_id=person.pk,
                    start_date=on_date,
                    project=project if project is not None else case.project,
                    notes=_text(notes),
                    distribution=distribution,
                    recorded_by=user,
                    **values,
                )
                for case, person in recipients
            ]
        )
        warnings: list[str] = []
        for index, ((case, person), line) in enumerate(zip(recipients, lines, strict=True)):
            line.case, line.person = locked[case.pk], person
            try:
                charge = line_charge(user, line)
            except ValidationFailed as exc:  # the budget refuses: name the row, record nothing
                raise ValidationFailed(
                    f"{_row_label(index, case, person)}: {exc.message}",
                    code=exc.code,
                    fields=exc.fields,
                    details={**exc.details, "row": index + 1},
                ) from None
            warning = getattr(charge, "warning", "")
            if warning and warning not in warnings:
                warnings.append(warning)
        for (case, _person), line in zip(recipients, lines, strict=True):
            _audit_line(
                user,
                LINE_RECORDED,
                case_id=case.pk,
                office_id=office_id,
                line=line,
                changes=_line_changes(line),
            )
        touched: set = set()
        for case, _person in recipients:
            if case.pk not in touched:
                touched.add(case.pk)
                touch_case(case, locked[case.pk])
        audit_record(
            user,
            action=DISTRIBUTION_RECORDED,
            obj=distribution,
            office_id=office_id,
            changes={
                "assistance_kind": distribution.kind,
                "recipients": len(lines),
                "cases": sorted(touched),
                "amount": f"{sum((ln.total for ln in lines), Decimal('0.00')):.2f} "
                f"{distribution.currency}",
            },
        )
    distribution.charge_warnings = warnings
    return distribution


# ---- distribution documents ---------------------------------------------------------------------


def distribution_viewed(user, *, distribution: Distribution) -> None:
    """Record a read of a distribution's list of recipients (names of several cases)."""
    if distribution.office_id not in policies.offices_viewing(user):
        raise NotFound()
    audit_record(
        user, action=DISTRIBUTION_VIEWED, obj=distribution, office_id=distribution.office_id
    )


def distribution_sheet_print(user, *, distribution: Distribution) -> bytes:
    """The distribution sheet PDF (one signature line per recipient), with the print audited."""
    if distribution.office_id not in policies.offices_viewing(user):
        raise NotFound()
    lines = list(selectors.distribution_lines(distribution))
    data = documents.distribution_sheet_pdf(distribution, lines)
    audit_record(
        user,
        action=DISTRIBUTION_PRINTED,
        obj=distribution,
        office_id=distribution.office_id,
        changes={"recipients": len(lines)},
    )
    return data
