from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChildrenConfig(AppConfig):
    name = "awda.screening.children"
    label = "child_protection"
    verbose_name = _("Child protection")

    def ready(self):
        # The case page shows a "Child protection" tab to protection officers; cases does not
        # import this app (dependencies point one way), so it registers the tab here.
        from awda.cases.views.detail import register_tab

        from .views import tab_child_protection

        register_tab(
            "child_protection",
            _("Child protection"),
            "bi-person-hearts",
            builder=tab_child_protection,
            template="child_protection/tab.html",
            action="child.view",
            before="timeline",
        )
        # The case timeline names the step of the procedure an event is about.
        from awda.cases.views.timeline import register_actions, register_value_labels

        from .choices import Step

        register_value_labels(
            "uasc_step",
            _("child-protection step"),
            lambda c: Step(c).label if c in Step.values else c,
        )
        p = "child_protection."
        icon = "bi-person-hearts"
        register_actions(
            {
                p + "identification.recorded": (_("Child identified"), icon, "primary"),
                p + "assessment.recorded": (
                    _("Best-interests assessment recorded"),
                    icon,
                    "primary",
                ),
                p + "tracing.requested": (_("Family tracing requested"), "bi-search", "primary"),
                p + "tracing.updated": (_("Family tracing updated"), "bi-search", "secondary"),
                p + "caregiver_assessment.recorded": (
                    _("Family or caregiver assessment recorded"),
                    icon,
                    "primary",
                ),
                p + "determination.recorded": (
                    _("Best-interests determination recorded"),
                    "bi-clipboard-check",
                    "success",
                ),
                p + "determination.reopened": (
                    _("Best-interests determination reopened"),
                    "bi-arrow-counterclockwise",
                    "warning",
                ),
                p + "guardian_consent.recorded": (
                    _("Guardian consent recorded"),
                    "bi-file-earmark-check",
                    "success",
                ),
                p + "escort_plan.recorded": (_("Escort plan recorded"), "bi-people", "primary"),
                p + "reception.recorded": (
                    _("Reception arrangements recorded"),
                    "bi-house-heart",
                    "primary",
                ),
            }
        )
        # The UASC procedure's steps in the readiness checklist (the gate of "Ready to travel"
        # and of the booking), after the rapid screening (order 10).
        from awda.cases import readiness

        from .readiness import collect

        readiness.register("child_protection", collect, order=20)
        # Child-protection events and reads are shown on the timeline to protection officers;
        # other roles see them redacted (the checklist tells them what is pending).
        from awda.cases import restricted

        restricted.register(
            action_prefix="child_protection.", permission="child.view", parts=("child_protection",)
        )
