"""API of the indicator pack (included under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("reports/indicators/", api.IndicatorListView.as_view(), name="api-report-indicators"),
    path(
        "reports/indicators/<slug:code>/",
        api.IndicatorDetailView.as_view(),
        name="api-report-indicator",
    ),
]
