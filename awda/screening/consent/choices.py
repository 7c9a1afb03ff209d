from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    """What a person consents to: processing for the return, and each kind of disclosure."""

    AVRR = "avrr", _("Processing for assisted voluntary return")
    CONSULATE = "consulate", _("Sharing with the consulate (travel documents)")
    AUTHORITIES = "authorities", _("Sharing with the host-country authorities (exit authorisation)")
    UNHCR = "unhcr", _("Sharing with UNHCR")
    ORIGIN_MISSION = "origin_mission", _("Sharing with the mission in the country of origin")
    SERVICE_PROVIDERS = "service_providers", _("Sharing with service providers")
    DONORS = "donors", _("Sharing with donors")
    HEALTH_DATA = "health_data", _("Processing and sharing of health data")


class DataCategory(models.TextChoices):
    """The categories of personal data a disclosure contains."""

    IDENTITY = "identity", _("Identity")
    CONTACT = "contact", _("Contact details")
    CASE = "case", _("Case information")
    DOCUMENTS = "documents", _("Documents")
    HEALTH = "health", _("Health")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    TRAFFICKING = "trafficking", _("Trafficking")


# Categories whose mere mention says too much (that a person was identified as a possible victim
# of trafficking, that their medical data went to a provider): in the transfer log, the API and
# the audit trail they are shown only to users with the permission of the category; others see
# "restricted category". category -> permission.
RESTRICTED_CATEGORIES = {
    DataCategory.TRAFFICKING: "trafficking.view",
    DataCategory.HEALTH: "health.view",
}
