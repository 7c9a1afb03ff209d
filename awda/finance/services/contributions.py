"""Funds received from a project's donors (IATI incoming funds), recorded by finance."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record

from ..models import Contribution, Donor, Project
from ._common import check_amount, check_currency, check_date, check_text, raise_if, require

CONTRIBUTION_RECORDED = "finance.contribution.recorded"


@transaction.atomic
def contribution_record(
    user,
    *,
    project: Project,
    donor: Donor,
    amount,
    currency: str,
    received_on,
    reference: str = "",
) -> Contribution:
    """Record funds received from one of the project's donors (not in the future)."""
    require(user, "finance.manage", project)
    errors: dict = {}
    if not isinstance(donor, Donor):
        errors["donor"] = [_("Choose a donor of the project.")]
    elif not project.donors.filter(pk=donor.pk).exists():
        errors["donor"] = [
            _("%(donor)s is not a donor of project %(code)s.")
            % {"donor": donor, "code": project.code}
        ]
    amount = check_amount(errors, "amount", amount)
    currency = check_currency(errors, "currency", currency)
    received_on = check_date(errors, "received_on", received_on, not_after=timezone.localdate())
    reference = check_text(errors, "reference", reference, max_length=80, required=False)
    raise_if(errors)
    contribution = Contribution.objects.create(
        project=project,
        donor=donor,
        amount=amount,
        currency=currency,
        received_on=received_on,
        reference=reference,
        recorded_by=user,
    )
    audit_record(
        user,
        action=CONTRIBUTION_RECORDED,
        obj=contribution,
        object_repr=f"{project.code} {donor}",
        changes={
            "project": project.pk,
            "donor": donor.pk,
            "amount": amount,
            "currency": currency,
            "received_on": received_on,
            "reference": reference,
        },
    )
    return contribution
