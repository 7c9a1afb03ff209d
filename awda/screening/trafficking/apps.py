from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TraffickingConfig(AppConfig):
    name = "awda.screening.trafficking"
    label = "trafficking"
    verbose_name = _("Trafficking (restricted)")

    def ready(self):
        # Cases does not import the apps that build on it: the tab, the readiness checks and the
        # timeline labels are registered from here. Everything a user without the protection
        # role may see is neutral ("Protection (restricted)"): the tab is hidden from them, the
        # readiness checks carry action="trafficking.view" (cases.readiness shows them as
        # "Restricted protection safeguard") and the timeline labels do not name the category.
        from awda.cases import readiness
        from awda.cases.views import timeline
        from awda.cases.views.detail import register_tab

        from . import services
        from .readiness import collect
        from .views import tab_protection

        register_tab(
            "protection",
            _("Protection (restricted)"),
            "bi-lock",
            builder=tab_protection,
            template="trafficking/tab.html",
            action="trafficking.view",
            before="timeline",
            # asking for the tab without the role is an attempt like any other: audited
            on_refused=lambda user, case: services.access_refused(
                user, case=case, part="tab", method="GET"
            ),
        )
        readiness.register("trafficking", collect, order=30)
        neutral = (_("Restricted protection record"), "bi-lock", "secondary")
        timeline.register_actions(
            {
                **{action: neutral for action in services.WRITE_ACTIONS},
                services.ACCESS_REFUSED: (
                    _("Restricted protection record: access refused"),
                    "bi-lock",
                    "warning",
                ),
            }
        )
        # The timeline API shows these events and reads, codes and all, only to protection
        # officers; others get them redacted.
        from awda.cases import restricted

        restricted.register(
            action_prefix="trafficking.",
            permission="trafficking.view",
            parts=("protection", "trafficking"),
        )
