from django.urls import path

from . import views

urlpatterns = [
    path("organisations/", views.OrganisationListView.as_view(), name="api-organisation-list"),
    path(
        "organisations/<int:organisation_pk>/",
        views.OrganisationDetailView.as_view(),
        name="api-organisation-detail",
    ),
]
