from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementsConfig(AppConfig):
    name = "awda.movements"
    label = "movements"
    verbose_name = _("Movements")

    def ready(self):
        # Registrations only (cases does not import the apps that build on it).
        from awda.cases.views.detail import register_tab
        from awda.cases.views.timeline import register_actions

        from . import charges, gates
        from .timeline import ACTIONS
        from .views.case_tab import tab_travel

        # The booked / departed / arrived gates, the travel date the readiness checklist checks
        # documents and fitness for, and the seats released when a case is withdrawn or held.
        gates.register()
        # Tickets' and pocket money's charges, for the rebuild of the finance ledger.
        charges.register()
        # The case page's "Travel" tab: the case's bookings, legs, no-show, confirmations.
        register_tab(
            "travel",
            _("Travel"),
            "bi-airplane",
            builder=tab_travel,
            template="movements/tab.html",
            action="movement.view",
            before="timeline",
        )
        # A traveller whose fitness decision asks for an escort travels with one.
        from awda.cases import readiness

        from .readiness import collect

        readiness.register("movements", collect, order=60)
        # Timeline labels of the movements audit events.
        register_actions(ACTIONS)
        # The case page's "Handover" tab and its timeline label (movements.handover).
        from .handover import register as register_handover

        register_handover()
