from django.urls import path

from . import views

PREFIX = "cases/<int:case_pk>/trafficking/"
urlpatterns = [
    path(PREFIX, views.CaseTraffickingView.as_view(), name="api-case-trafficking"),
    path(
        PREFIX + "interviews/",
        views.InterviewCreateView.as_view(),
        name="api-case-trafficking-interviews",
    ),
    path(
        PREFIX + "determinations/",
        views.DeterminationCreateView.as_view(),
        name="api-case-trafficking-determinations",
    ),
    path(
        PREFIX + "risk-assessments/",
        views.RiskAssessmentCreateView.as_view(),
        name="api-case-trafficking-risk-assessments",
    ),
    path(
        PREFIX + "risk-assessments/<int:assessment_pk>/",
        views.RiskAssessmentDetailView.as_view(),
        name="api-case-trafficking-risk-assessment",
    ),
    path(
        PREFIX + "risk-assessments/<int:assessment_pk>/complete/",
        views.RiskAssessmentCompleteView.as_view(),
        name="api-case-trafficking-risk-assessment-complete",
    ),
    path(
        PREFIX + "acceptances/",
        views.AcceptanceCreateView.as_view(),
        name="api-case-trafficking-acceptances",
    ),
]
