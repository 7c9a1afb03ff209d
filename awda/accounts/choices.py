from django.db import models
from django.utils.translation import gettext_lazy as _


class MissionKind(models.TextChoices):
    HOST = "host", _("Host mission")
    ORIGIN = "origin", _("Origin mission")


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("Caseworker")
    MANAGER = "manager", _("Office manager")
    PROTECTION = "protection", _("Protection officer")
    MEDICAL = "medical", _("Medical officer")
    MOVEMENT = "movement", _("Movement officer")
    REINTEGRATION = "reintegration", _("Reintegration officer")
    FINANCE = "finance", _("Finance officer")
    ME = "me", _("M&E officer")
    ADMIN = "admin", _("Administrator")
