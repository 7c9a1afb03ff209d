"""Abstract bases only: core holds no domain models."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(models.Model):
    """Optimistic locking: writers send the version they read; a stale version is refused."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True
