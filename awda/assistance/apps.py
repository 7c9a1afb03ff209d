from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistanceConfig(AppConfig):
    name = "awda.assistance"
    label = "assistance"
    verbose_name = _("Pre-departure assistance")

    def ready(self):
        # Its lines' charges, for the rebuild of the finance ledger (finance does not import it).
        from . import charges

        charges.register()
        # The case page's "Assistance" tab (cases does not import the apps that build on it).
        from awda.cases.views.detail import register_tab

        from .views import tab_assistance

        register_tab(
            "assistance",
            _("Assistance"),
            "bi-basket",
            builder=tab_assistance,
            template="assistance/tab.html",
            action="assistance.view",
            before="timeline",
        )
        # The case timeline shows the ledger's events with labels, not codes.
        from awda.cases.views.timeline import register_actions, register_value_labels

        from .choices import AssistanceKind

        kinds = dict(AssistanceKind.choices)
        register_value_labels("assistance_kind", _("type of assistance"), lambda c: kinds.get(c, c))
        register_value_labels("amount", _("amount"), str)
        register_value_labels("line", _("assistance line"), lambda v: f"#{v}")
        register_value_labels("lines", _("assistance lines"), lambda v: f"#{v}")
        register_value_labels("distribution", _("distribution"), lambda v: f"#{v}")
        register_actions(
            {
                "assistance.line.recorded": (_("Assistance recorded"), "bi-basket", "primary"),
                "assistance.line.cancelled": (
                    _("Assistance line cancelled"),
                    "bi-x-circle",
                    "danger",
                ),
                "assistance.receipt.printed": (
                    _("Assistance receipt printed"),
                    "bi-printer",
                    "secondary",
                ),
                "assistance.receipt.attached": (
                    _("Signed receipt attached"),
                    "bi-file-earmark-check",
                    "success",
                ),
                "assistance.receipt.downloaded": (
                    _("Signed receipt downloaded"),
                    "bi-download",
                    "secondary",
                ),
            }
        )
