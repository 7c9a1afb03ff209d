from django.urls import path

from . import views

urlpatterns = [
    path("duplicates/pairs/", views.PairListView.as_view(), name="api-duplicates-pair-list"),
    path(
        "duplicates/pairs/<int:pair_pk>/",
        views.PairDetailView.as_view(),
        name="api-duplicates-pair-detail",
    ),
    path(
        "duplicates/pairs/<int:pair_pk>/reject/",
        views.PairRejectView.as_view(),
        name="api-duplicates-pair-reject",
    ),
    path(
        "duplicates/pairs/<int:pair_pk>/merge/",
        views.PairMergeView.as_view(),
        name="api-duplicates-pair-merge",
    ),
    path("duplicates/merges/", views.MergeListView.as_view(), name="api-duplicates-merge-list"),
    path(
        "duplicates/merges/<int:merge_pk>/",
        views.MergeDetailView.as_view(),
        name="api-duplicates-merge-detail",
    ),
    path(
        "duplicates/merges/<int:merge_pk>/undo/",
        views.MergeUndoView.as_view(),
        name="api-duplicates-merge-undo",
    ),
    path("duplicates/runs/", views.RunListView.as_view(), name="api-duplicates-run-list"),
    path(
        "duplicates/runs/<int:run_pk>/",
        views.RunDetailView.as_view(),
        name="api-duplicates-run-detail",
    ),
]
