from django.urls import path

from . import views

urlpatterns = [
    path(
        "cases/<int:case_pk>/screenings/",
        views.CaseScreeningListView.as_view(),
        name="api-case-screening-list",
    ),
]
