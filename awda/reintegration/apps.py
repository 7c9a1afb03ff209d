from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReintegrationConfig(AppConfig):
    name = "awda.reintegration"
    label = "reintegration"
    verbose_name = _("Reintegration")

    def ready(self):
        from awda.cases import workflow

        from . import gates
        from .delivery import setup as delivery
        from .files import setup as files
        from .files.services import on_case_moved
        from .plans import setup as plans
        from .surveys import setup as surveys

        workflow.add_gate("start_reintegration", gates.HANDOVER_ACCEPTED)
        workflow.add_gate("start_monitoring", gates.PLAN_APPROVED)
        workflow.register_effect(on_case_moved)
        for area in (files, plans, delivery, surveys):
            area.register()
