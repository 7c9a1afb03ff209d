from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Read-only: indicators, dashboards, exports (XLSX, CSV, PDF, HXL, IATI). Writes only its
    own export jobs; every figure comes from one selector per indicator."""

    name = "awda.reports"
    label = "reports"
    verbose_name = _("Reports")
