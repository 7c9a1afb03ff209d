from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScreeningConfig(AppConfig):
    name = "awda.screening"
    verbose_name = _("Screening and protection")

    def ready(self):
        # The case page shows a "Screening" tab; cases does not import screening (dependencies
        # point one way), so screening registers its tab here.
        from awda.cases.views.detail import register_tab

        from .views import tab_screening

        register_tab(
            "screening",
            _("Screening"),
            "bi-shield-check",
            builder=tab_screening,
            template="screening/tab.html",
            action="screening.view",
            before="timeline",
        )
        # The case timeline shows screening events with labels, not codes.
        from awda.cases.views.timeline import register_value_labels

        from .factors import FACTORS, REQUIREMENTS

        factor_labels = {f.code: f.label for f in FACTORS}
        register_value_labels("factors", _("factors"), lambda c: factor_labels.get(c, c))
        register_value_labels(
            "requirements",
            _("required assessments"),
            lambda c: REQUIREMENTS[c].title if c in REQUIREMENTS else c,
        )
        register_value_labels("restricted_factors", _("restricted answer"), str)
        # Every traveller screened: the first item of the readiness checklist.
        from awda.cases import readiness

        from .readiness import collect

        readiness.register("screening", collect, order=10)
