"""What every record of a protection category (child protection, trafficking) has: the case,
the person it is about, who recorded it and when. Records are appended, never edited in place
unless they say so (versioned), so the history stays."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProtectionRecord(models.Model):
    case = models.ForeignKey(
        "cases.Case", on_delete=models.CASCADE, related_name="+", verbose_name=_("case")
    )
    person = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True, db_index=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]
