from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data (`seed_demo`) and the demo logins (`demo_logins`); no models."""

    name = "awda.demo"
    label = "demo"
    verbose_name = _("Demo data")
