"""Web pages of the reports app, one module per area."""

from django.urls import include, path

app_name = "reports"

urlpatterns = [
    path("", include("awda.reports.indicators.urls")),
    path("", include("awda.reports.exports.urls")),
    path("", include("awda.reports.iati.urls")),
    path("", include("awda.reports.donor.urls")),
]
