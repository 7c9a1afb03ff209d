from django.urls import path

from . import views

BASE = "cases/<int:case_pk>/child-protection/"

urlpatterns = [
    path(BASE, views.CaseChildProtectionView.as_view(), name="api-case-child-protection"),
    path(
        BASE + "identifications/",
        views.IdentificationCreateView.as_view(),
        name="api-child-identifications",
    ),
    path(BASE + "assessments/", views.AssessmentCreateView.as_view(), name="api-child-assessments"),
    path(BASE + "tracing/", views.TracingCreateView.as_view(), name="api-child-tracing"),
    path(
        BASE + "tracing/<int:tracing_pk>/",
        views.TracingOutcomeView.as_view(),
        name="api-child-tracing-detail",
    ),
    path(
        BASE + "caregiver-assessments/",
        views.CaregiverCreateView.as_view(),
        name="api-child-caregiver-assessments",
    ),
    path(
        BASE + "determinations/",
        views.DeterminationCreateView.as_view(),
        name="api-child-determinations",
    ),
    path(
        BASE + "determinations/<int:determination_pk>/reopen/",
        views.DeterminationReopenView.as_view(),
        name="api-child-determination-reopen",
    ),
    path(BASE + "escort-plans/", views.EscortCreateView.as_view(), name="api-child-escort-plans"),
    path(BASE + "reception/", views.ReceptionCreateView.as_view(), name="api-child-reception"),
    path(
        BASE + "guardian-consent/",
        views.GuardianConsentCreateView.as_view(),
        name="api-child-guardian-consent",
    ),
]
