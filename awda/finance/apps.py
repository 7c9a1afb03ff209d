from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "awda.finance"
    label = "finance"
    verbose_name = _("Funding")

    def ready(self):
        # The case page's "Costs" tab (cases does not import the apps that build on it): every
        # case role that reads the assistance ledger (assistance.view) reads the case's costs.
        from awda.cases.views.detail import register_tab
        from awda.cases.views.timeline import PARTS, register_actions, register_value_labels

        from .views import tab_costs

        register_tab(
            "costs",
            _("Costs"),
            "bi-cash-stack",
            builder=tab_costs,
            template="finance/case_tab.html",
            action="assistance.view",
            before="timeline",
        )
        PARTS.setdefault("costs", _("Costs"))
        register_value_labels("budget_line", _("budget line"), lambda v: f"#{v}")
        register_value_labels("project_amount", _("amount in the project's currency"), str)
        register_actions(
            {
                "finance.charge.reallocated": (
                    _("Cost moved to another budget line"),
                    "bi-arrow-left-right",
                    "secondary",
                ),
            }
        )
