"""Web routes of the IATI export (namespace "reports")."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "reports/iati/projects/<int:project_pk>.xml",
        views.project_activity_xml,
        name="iati_project_xml",
    ),
]
