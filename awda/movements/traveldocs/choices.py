"""The closed lists of travel documents, exit authorisations and batch requests."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PASSPORT = "passport", _("Passport")
    LAISSEZ_PASSER = "laissez_passer", _("Laissez-passer")
    EMERGENCY = "emergency_travel_document", _("Emergency travel document")


class DocumentStatus(models.TextChoices):
    """A passport the person holds is simply "issued"; a laissez-passer goes requested -> issued
    (or refused) as the consulate answers. A cancelled document no longer counts."""

    REQUESTED = "requested", _("Requested")
    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")
    CANCELLED = "cancelled", _("Cancelled")


class ExitStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


class BatchKind(models.TextChoices):
    CONSULATE = "consulate", _("Consulate list (laissez-passer)")
    AUTHORITY = "authority", _("Authorities list (exit authorisation)")


class BatchStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ANSWERED = "answered", _("Answered")


class DocumentOutcome(models.TextChoices):
    """The consulate's answer to a request."""

    ISSUED = "issued", _("Issued")
    REFUSED = "refused", _("Refused")


class ExitOutcome(models.TextChoices):
    """The authorities' answer to a request."""

    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")


# The kind of partner organisation (registry.OrganisationKind) each batch goes to.
RECIPIENT_KINDS = {BatchKind.CONSULATE: "consulate", BatchKind.AUTHORITY: "authority"}
# Case statuses whose travellers may be put on a batch list.
BATCH_CASE_STATUSES = ("eligible", "pre_departure", "ready_to_travel")
# Document kinds requested from a consulate.
CONSULAR_KINDS = (DocumentKind.LAISSEZ_PASSER, DocumentKind.EMERGENCY)
