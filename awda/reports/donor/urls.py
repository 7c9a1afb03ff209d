"""Web routes of the donor report (namespace "reports")."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/donor/", views.donor_index, name="donor_index"),
    path(
        "reports/donor/projects/<int:project_pk>/",
        views.donor_report_page,
        name="donor_report",
    ),
    path(
        "reports/donor/projects/<int:project_pk>/report.pdf",
        views.donor_report_download,
        {"fmt": "pdf"},
        name="donor_report_pdf",
    ),
    path(
        "reports/donor/projects/<int:project_pk>/report.xlsx",
        views.donor_report_download,
        {"fmt": "xlsx"},
        name="donor_report_xlsx",
    ),
]
