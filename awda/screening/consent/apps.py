from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsentConfig(AppConfig):
    name = "awda.screening.consent"
    label = "consent"
    verbose_name = _("Consent and data sharing")

    def ready(self):
        # The case page shows a "Consent" tab; cases does not import this app (dependencies
        # point one way), so it registers its tab here.
        from awda.cases.views.detail import register_tab

        from .views import tab_consent

        register_tab(
            "consent",
            _("Consent"),
            "bi-file-earmark-check",
            builder=tab_consent,
            template="consent/tab.html",
            action="consent.view",
            before="timeline",
        )
        # The case timeline shows consent events with labels, not codes.
        from awda.cases.views.timeline import register_actions, register_value_labels
        from awda.registry.choices import LANGUAGES

        from .choices import DataCategory, Purpose

        purposes = dict(Purpose.choices)
        categories = dict(DataCategory.choices)
        register_value_labels("purpose", _("purpose"), lambda c: purposes.get(c, c))
        register_value_labels("categories", _("data disclosed"), lambda c: categories.get(c, c))
        register_value_labels(
            "restricted_category",
            _("restricted category"),
            lambda v: _("yes") if v else _("no"),
        )
        languages = dict(LANGUAGES)
        register_value_labels("language", _("language"), lambda c: languages.get(c, c))
        register_actions(
            {
                "consent.consent.recorded": (
                    _("Consent recorded"),
                    "bi-file-earmark-check",
                    "success",
                ),
                "consent.consent.withdrawn": (
                    _("Consent withdrawn"),
                    "bi-file-earmark-x",
                    "warning",
                ),
                "consent.transfer.recorded": (_("Data disclosed"), "bi-send", "primary"),
            }
        )
        # Consent and transfer events are shown to the roles that see the Consent tab only.
        from awda.cases import restricted

        restricted.register(action_prefix="consent.", permission="consent.view", parts=("consent",))
        restricted.register(
            action_prefix="consent.transfer.",
            permission="transfer.view",
            parts=("transfers",),
            models=(
                "consent.DataTransfer",
                "consent.DataTransfer_persons",
                "consent.DataTransfer_consents",
            ),
        )
