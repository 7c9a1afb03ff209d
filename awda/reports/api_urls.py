"""REST API routes of the reports app, one module per area."""

from django.urls import include, path

urlpatterns = [
    path("", include("awda.reports.indicators.api_urls")),
    path("", include("awda.reports.exports.api_urls")),
    path("", include("awda.reports.iati.api_urls")),
    path("", include("awda.reports.donor.api_urls")),
]
