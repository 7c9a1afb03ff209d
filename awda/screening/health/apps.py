from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HealthConfig(AppConfig):
    name = "awda.screening.health"
    label = "health"
    verbose_name = _("Health")

    def ready(self):
        # The case page's "Health" tab (cases does not import the apps that build on it).
        from awda.cases.views.detail import register_tab

        from .views import tab_health

        register_tab(
            "health",
            _("Health"),
            "bi-heart-pulse",
            builder=tab_health,
            template="health/tab.html",
            action="fitness.view",
            before="timeline",
        )
        # The case timeline shows the fitness outcome with its label, not its code.
        from awda.cases.views.timeline import register_actions, register_value_labels

        from .choices import FitnessOutcome

        labels = dict(FitnessOutcome.choices)
        register_value_labels("fitness_outcome", _("fitness to travel"), lambda c: labels.get(c, c))
        register_actions(
            {
                "health.need.recorded": (_("Medical need recorded"), "bi-heart-pulse", "primary"),
                "health.need.updated": (_("Medical need updated"), "bi-heart-pulse", "secondary"),
                "health.referral.recorded": (
                    _("Medical referral recorded"),
                    "bi-hospital",
                    "primary",
                ),
                "health.referral.updated": (
                    _("Medical referral updated"),
                    "bi-hospital",
                    "secondary",
                ),
                "health.document.added": (
                    _("Medical document added"),
                    "bi-file-medical",
                    "primary",
                ),
                "health.document.downloaded": (
                    _("Medical document downloaded"),
                    "bi-download",
                    "secondary",
                ),
                "health.fitness.recorded": (
                    _("Fitness to travel recorded"),
                    "bi-airplane",
                    "success",
                ),
            }
        )
        # A traveller who needs it travels only with a valid fit decision.
        from awda.cases import readiness

        from .readiness import collect

        readiness.register("health", collect, order=40)
        # Medical events and reads are shown on the timeline to those who may see medical
        # records; fitness decisions to those who see the fitness decision.
        from awda.cases import restricted

        restricted.register(action_prefix="health.", permission="health.view", parts=("medical",))
        restricted.register(
            action_prefix="health.fitness.",
            permission="fitness.view",
            parts=("health", "fitness"),
            models=("health.FitnessToTravel",),
        )
