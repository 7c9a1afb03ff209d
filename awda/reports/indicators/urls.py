"""Pages of the indicator pack (included at "" in the site URLconf, namespace "reports")."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path(
        "reports/indicators/<slug:code>/download/<slug:fmt>/",
        views.indicator_download,
        name="indicator_download",
    ),
]
