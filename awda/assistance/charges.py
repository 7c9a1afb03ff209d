"""The assistance ledger's costs on the finance ledger (awda.finance.services.charges).

Every assistance line is a cost of its project, in its cost category (the categories of the
pre-departure ledger share their values with AssistanceKind): spent on the line's date (the
assistance was given), for the person who received it; a cancelled line's charge is released (it
stays on the ledger, out of the totals). A distribution's lines are charged one by one.

The services call `line_charge` in their transaction, after writing the line: a refusal of the
budget (budget_exceeded, over_person_cap) rolls the recording back. `specs` gives the stages of
every line's cost, oldest first, for `charges_rebuild` (registered in AssistanceConfig.ready),
which so rebuilds the ledger the services built.

The charge's description stays neutral (the line's number and the provider): the line's own
description and notes may hold medical details that finance users are not meant to read."""

from dataclasses import replace

from django.utils import timezone

from awda.finance.choices import ChargeSource, ChargeStage
from awda.finance.services.charges import CostSpec, charge_post_history

from .choices import LineStatus
from .models import AssistanceLine


def line_history(line: AssistanceLine) -> list[CostSpec]:
    """The stages of `line`'s cost, oldest first (its case, person, project and provider
    loaded): spent on its date, then released if it was cancelled."""
    parts = [f"#{line.pk}"]
    if line.provider_id:
        parts.append(line.provider.name)
    spent = CostSpec(
        source=ChargeSource.ASSISTANCE_LINE,
        source_id=line.pk,
        category=line.kind,
        case=line.case,
        person=line.person,
        project=line.project,
        amount=line.total,
        currency=line.currency,
        stage=ChargeStage.SPENT,
        on_date=line.start_date,
        description=" · ".join(parts),
    )
    if line.status != LineStatus.CANCELLED:
        return [spent]
    cancelled = timezone.localdate(line.cancelled_at) if line.cancelled_at else line.start_date
    return [spent, replace(spent, stage=ChargeStage.RELEASED, on_date=cancelled)]


def line_charge(user, line: AssistanceLine):
    """Post the charge of `line` (in the caller's transaction); the Charge (with `.warning`)."""
    return charge_post_history(user, line_history(line))


def specs():
    """(recorded by, CostSpec) of every stage of every assistance line, oldest first
    (charges_rebuild)."""
    lines = (
        AssistanceLine.objects.select_related(
            "case", "person", "project", "provider", "recorded_by"
        )
        .order_by("pk")
        .iterator(chunk_size=500)
    )
    for line in lines:
        for spec in line_history(line):
            yield line.recorded_by, spec


def register() -> None:
    from awda.finance.services.charges import register_source

    register_source(ChargeSource.ASSISTANCE_LINE, specs)
