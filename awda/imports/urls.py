"""Web pages of imports (namespace "imports")."""

from django.urls import path

from . import views

app_name = "imports"
urlpatterns = [
    path("imports/", views.import_list, name="list"),
    path("imports/new/", views.import_new, name="new"),
    path("imports/<int:pk>/", views.import_detail, name="detail"),
    path("imports/<int:pk>/mapping/", views.import_mapping, name="mapping"),
    path("imports/<int:pk>/start/", views.import_start, name="start"),
    path("imports/<int:pk>/rejected/", views.import_rejected, name="rejected"),
    path("imports/sources/kobo/new/", views.kobo_source_form, name="kobo_source_new"),
    path("imports/sources/<int:pk>/kobo/", views.kobo_source_form, name="kobo_source_edit"),
    path("imports/sources/<int:pk>/pull/", views.kobo_pull, name="kobo_pull"),
    path("imports/sources/<int:pk>/delete/", views.source_delete, name="source_delete"),
]
