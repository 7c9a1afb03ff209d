"""Rules on projects themselves (edited by administrators in the Django admin).

A project's currency is the one every budget figure is kept in: its lines' allocations, caps,
overrides and every charge's converted amount. Once the project has any of them (or a
contribution), changing the currency would silently re-label all those amounts, so it is
refused; a project funded in another currency is a new project."""

from django.utils.translation import gettext as _

from awda.core.errors import ValidationFailed

from ..models import BudgetLine, Charge, Contribution, PersonCap, Project


def currency_in_use(project: Project) -> list[str]:
    """What holds amounts in the project's currency ([] for a new project or an unused one)."""
    if project.pk is None:
        return []
    uses = [
        (Charge, _("costs")),
        (BudgetLine, _("budget lines")),
        (PersonCap, _("per-person caps")),
        (Contribution, _("contributions")),
    ]
    return [str(label) for model, label in uses if model.objects.filter(project=project).exists()]


def project_currency_check(project: Project, currency: str) -> None:
    """ValidationFailed (field "currency") when `currency` is not the project's stored currency
    and the project already has costs, budget lines, caps or contributions."""
    if project.pk is None:
        return
    stored = Project.objects.filter(pk=project.pk).values_list("currency", flat=True).first()
    if stored is None or stored == currency:
        return
    used = currency_in_use(project)
    if used:
        raise ValidationFailed(
            fields={
                "currency": [
                    _(
                        "The project's amounts are in %(currency)s (it has %(uses)s): its "
                        "currency can no longer change."
                    )
                    % {"currency": stored, "uses": ", ".join(used)}
                ]
            },
            code="currency_in_use",
        )
