"""Web pages of the duplicates review (namespace "duplicates")."""

from django.urls import path

from . import views

app_name = "duplicates"

urlpatterns = [
    path("duplicates/", views.queue, name="queue"),
    path("duplicates/pairs/<int:pk>/", views.pair_detail, name="pair_detail"),
    path("duplicates/pairs/<int:pk>/reject/", views.pair_reject, name="pair_reject"),
    path("duplicates/pairs/<int:pk>/merge/", views.pair_merge, name="pair_merge"),
    path("duplicates/merges/", views.merge_list, name="merge_list"),
    path("duplicates/merges/<int:pk>/", views.merge_detail, name="merge_detail"),
    path("duplicates/merges/<int:pk>/undo/", views.merge_undo, name="merge_undo"),
    path("duplicates/runs/", views.run_start, name="run_start"),
    path("duplicates/runs/<int:pk>/", views.run_detail, name="run_detail"),
]
