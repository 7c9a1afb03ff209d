"""API of imports (included under /api/v1/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("imports/sources/", views.SourceListView.as_view(), name="api-import-source-list"),
    path(
        "imports/sources/<int:source_pk>/",
        views.SourceDetailView.as_view(),
        name="api-import-source-detail",
    ),
    path(
        "imports/sources/<int:source_pk>/pull/",
        views.SourcePullView.as_view(),
        name="api-import-source-pull",
    ),
    path("imports/", views.JobListView.as_view(), name="api-import-list"),
    path("imports/<int:import_pk>/", views.JobDetailView.as_view(), name="api-import-detail"),
    path(
        "imports/<int:import_pk>/mapping/",
        views.JobMappingView.as_view(),
        name="api-import-mapping",
    ),
    path(
        "imports/<int:import_pk>/preview/",
        views.JobPreviewView.as_view(),
        name="api-import-preview",
    ),
    path(
        "imports/<int:import_pk>/errors/", views.JobErrorsView.as_view(), name="api-import-errors"
    ),
    path("imports/<int:import_pk>/start/", views.JobStartView.as_view(), name="api-import-start"),
    path(
        "imports/<int:import_pk>/rejected/",
        views.JobRejectedView.as_view(),
        name="api-import-rejected",
    ),
]
