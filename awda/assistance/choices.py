"""The closed lists of the pre-departure assistance ledger."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from awda.cases.choices import Status


class AssistanceKind(models.TextChoices):
    MEDICAL = "medical", _("Medical care")
    ACCOMMODATION = "accommodation", _("Emergency accommodation")
    FOOD = "food", _("Food")
    NON_FOOD = "non_food", _("Non-food items")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    ADMINISTRATIVE = "administrative", _("Administrative help")
    CASH = "cash", _("Cash allowance")
    TRANSPORT = "transport", _("Local transport")


class LineStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    CANCELLED = "cancelled", _("Cancelled")


# The unit a line is counted in when none is given (free text: "night", "meal", "kit", ...).
DEFAULT_UNITS = {
    AssistanceKind.MEDICAL: "service",
    AssistanceKind.ACCOMMODATION: "night",
    AssistanceKind.FOOD: "meal",
    AssistanceKind.NON_FOOD: "kit",
    AssistanceKind.PSYCHOSOCIAL: "session",
    AssistanceKind.ADMINISTRATIVE: "service",
    AssistanceKind.CASH: "allowance",
    AssistanceKind.TRANSPORT: "trip",
}
# Suggestions offered by the forms for the unit (any short text is accepted).
UNIT_SUGGESTIONS = (
    "night",
    "meal",
    "food basket",
    "kit",
    "item",
    "session",
    "consultation",
    "service",
    "prescription",
    "allowance",
    "trip",
    "ticket",
    "day",
    "month",
)

# A case accepts new assistance lines from registration up to departure (on hold and no-show
# included: the person is still in the host country). Not after departure, nor once withdrawn,
# not eligible or closed.
RECORDING_STATUSES = (
    Status.REGISTERED,
    Status.COUNSELLING,
    Status.SCREENING,
    Status.ELIGIBLE,
    Status.PRE_DEPARTURE,
    Status.READY_TO_TRAVEL,
    Status.BOOKED,
    Status.NO_SHOW,
    Status.ON_HOLD,
)
