"""Registrations of this area with the case page and the timeline (tabs, event labels), called
from ReintegrationConfig.ready."""

from django.utils.translation import gettext_lazy as _


def register():
    from awda.cases.views.detail import register_tab
    from awda.cases.views.timeline import register_actions, register_value_labels

    from ..choices import AssistanceType
    from .views import tab_plan

    register_tab(
        "plan",
        _("Plan"),
        "bi-clipboard-check",
        builder=tab_plan,
        template="reintegration/plans/tab.html",
        action="reintegration.view",
        before="monitoring",
    )
    kinds = dict(AssistanceType.choices)

    def yes_no(value):
        return _("yes") if value else _("no")

    register_value_labels(
        "assistances",
        _("assistance types"),
        lambda v: ", ".join(str(kinds.get(k, k)) for k in v or []),
    )
    register_value_labels("own_plan", _("approved by its author"), yes_no)
    register_value_labels("overridden", _("cap exceeded with approval"), yes_no)
    register_value_labels("override_lapsed", _("cap override lapsed"), yes_no)
    register_value_labels(
        "superseded", _("superseded plans"), lambda v: ", ".join(f"#{p}" for p in v or [])
    )
    register_value_labels("cap", _("cap"), str)
    register_value_labels("rule", _("cap rule"), str)
    register_actions(
        {
            "reintegration.plan.created": (
                _("Reintegration plan drafted"),
                "bi-clipboard-plus",
                "primary",
            ),
            "reintegration.plan.updated": (
                _("Reintegration plan edited"),
                "bi-pencil",
                "secondary",
            ),
            "reintegration.plan.submitted": (
                _("Reintegration plan submitted for approval"),
                "bi-send",
                "primary",
            ),
            "reintegration.plan.approved": (
                _("Reintegration plan approved"),
                "bi-clipboard-check",
                "success",
            ),
            "reintegration.plan.returned": (
                _("Reintegration plan returned for changes"),
                "bi-arrow-return-left",
                "warning",
            ),
            "reintegration.plan.revised": (
                _("Reintegration plan revision drafted"),
                "bi-files",
                "primary",
            ),
            "reintegration.plan.discarded": (
                _("Reintegration plan discarded"),
                "bi-trash",
                "secondary",
            ),
            "reintegration.plan.cap_overridden": (
                _("Reintegration cap exceeded with a manager's approval"),
                "bi-exclamation-triangle",
                "warning",
            ),
        }
    )
