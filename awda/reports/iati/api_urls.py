from django.urls import path

from . import api

urlpatterns = [
    path(
        "reports/iati/projects/<int:project_pk>/",
        api.ProjectActivityXmlView.as_view(),
        name="api-reports-iati-project",
    ),
]
