from django.urls import path

from . import views

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="api-project-list"),
    path(
        "projects/<int:project_pk>/", views.ProjectDetailView.as_view(), name="api-project-detail"
    ),
]
