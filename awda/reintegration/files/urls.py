"""Web pages of the origin office's file (namespace "reintegration")."""

from django.urls import path

from . import views

urlpatterns = [
    path("reintegration/", views.workspace, name="workspace"),
    path("cases/<int:pk>/reintegration/accept/", views.accept, name="accept"),
    path("cases/<int:pk>/reintegration/assign/", views.assign, name="assign"),
    path("cases/<int:pk>/reintegration/reception/", views.reception, name="reception"),
    path("cases/<int:pk>/reintegration/assessments/", views.assessment_add, name="assessment_add"),
    path(
        "cases/<int:pk>/reintegration/assessments/<int:assessment_pk>/",
        views.assessment_edit,
        name="assessment_edit",
    ),
    path("cases/<int:pk>/visits/", views.visit_add, name="visit_add"),
    path("cases/<int:pk>/visits/<int:visit_pk>/record/", views.visit_record, name="visit_record"),
    path(
        "cases/<int:pk>/visits/<int:visit_pk>/reschedule/",
        views.visit_reschedule,
        name="visit_reschedule",
    ),
    path("cases/<int:pk>/visits/<int:visit_pk>/cancel/", views.visit_cancel, name="visit_cancel"),
]
