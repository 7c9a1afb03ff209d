from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import MissionKind, Role


class Mission(models.Model):
    """A country programme: the host mission (e.g. Morocco) or an origin mission (e.g. Guinea)."""

    code = models.CharField(_("code"), max_length=2, unique=True, help_text=_("ISO 3166 alpha-2"))
    name = models.CharField(_("name"), max_length=100)
    country_alpha3 = models.CharField(_("country (alpha-3)"), max_length=3)
    kind = models.CharField(_("kind"), max_length=10, choices=MissionKind.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("mission")
        verbose_name_plural = _("missions")

    def __str__(self):
        return self.name


class Office(models.Model):
    mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="offices", verbose_name=_("mission")
    )
    code = models.CharField(
        _("code"), max_length=3, help_text=_("Three letters, used in case numbers")
    )
    name = models.CharField(_("name"), max_length=100)
    city = models.CharField(_("city"), max_length=100, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["mission__name", "name"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")
        constraints = [
            models.UniqueConstraint(
                fields=["mission", "code"], name="office_code_unique_per_mission"
            )
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    preferred_language = models.CharField(_("preferred language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.get_full_name() or self.username


class Membership(models.Model):
    """A role held by a user in one office. A user may hold several."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("office")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "office", "role"], name="membership_unique")
        ]

    def __str__(self):
        return f"{self.user} - {self.get_role_display()} - {self.office}"
