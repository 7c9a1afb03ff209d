"""The reintegration gates of the case workflow (added to the transition table by
ReintegrationConfig.ready): reintegration starts once an office of the receiving mission has
accepted the handover; monitoring starts once a reintegration plan is approved."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awda.cases.workflow import Gate

from .choices import PlanStatus


def _handover_accepted(case, ctx):
    from .models import ReintegrationFile

    if not ReintegrationFile.objects.filter(case_id=case.pk).exists():
        return [_("No office of the receiving mission has accepted the handover yet.")]
    return []


def _plan_approved(case, ctx):
    from .models import Plan

    if not Plan.objects.filter(case_id=case.pk, status=PlanStatus.APPROVED).exists():
        return [_("The reintegration plan has not been approved.")]
    return []


HANDOVER_ACCEPTED = Gate(
    "handover_accepted", gettext_lazy("Handover accepted by the origin office"), _handover_accepted
)
PLAN_APPROVED = Gate("plan_approved", gettext_lazy("Reintegration plan approved"), _plan_approved)
