"""Web pages of exports (namespace "reports")."""

from django.urls import path

from . import views

urlpatterns = [
    path("reports/exports/", views.export_list, name="export_list"),
    path("reports/exports/new/", views.export_new, name="export_new"),
    path("reports/exports/<int:pk>/", views.export_detail, name="export_detail"),
    path("reports/exports/<int:pk>/download/", views.export_download, name="export_download"),
]
