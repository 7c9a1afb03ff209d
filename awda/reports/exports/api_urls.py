"""API of exports (included under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path("reports/exports/", api.ExportListView.as_view(), name="api-report-export-list"),
    path(
        "reports/exports/<int:export_pk>/",
        api.ExportDetailView.as_view(),
        name="api-report-export-detail",
    ),
    path(
        "reports/exports/<int:export_pk>/download/",
        api.ExportDownloadView.as_view(),
        name="api-report-export-download",
    ),
]
