"""API of the origin office's file (included under /api/v1/)."""

from django.urls import path

from . import api

urlpatterns = [
    path(
        "cases/<int:case_pk>/reintegration/",
        api.ReintegrationFileView.as_view(),
        name="api-case-reintegration",
    ),
    path(
        "cases/<int:case_pk>/reintegration/accept/",
        api.ReintegrationAcceptView.as_view(),
        name="api-case-reintegration-accept",
    ),
    path(
        "cases/<int:case_pk>/reintegration/assign/",
        api.ReintegrationAssignView.as_view(),
        name="api-case-reintegration-assign",
    ),
    path("cases/<int:case_pk>/reception/", api.ReceptionView.as_view(), name="api-case-reception"),
    path(
        "cases/<int:case_pk>/assessments/",
        api.AssessmentListView.as_view(),
        name="api-case-assessments",
    ),
    path(
        "reintegration/assessments/<int:assessment_pk>/",
        api.AssessmentDetailView.as_view(),
        name="api-reintegration-assessment",
    ),
    path("cases/<int:case_pk>/visits/", api.VisitListView.as_view(), name="api-case-visits"),
    path(
        "reintegration/visits/<int:visit_pk>/record/",
        api.VisitRecordView.as_view(),
        name="api-reintegration-visit-record",
    ),
    path(
        "reintegration/visits/<int:visit_pk>/reschedule/",
        api.VisitRescheduleView.as_view(),
        name="api-reintegration-visit-reschedule",
    ),
    path(
        "reintegration/visits/<int:visit_pk>/cancel/",
        api.VisitCancelView.as_view(),
        name="api-reintegration-visit-cancel",
    ),
    path(
        "reintegration/workspace/",
        api.WorkspaceView.as_view(),
        name="api-reintegration-workspace",
    ),
]
