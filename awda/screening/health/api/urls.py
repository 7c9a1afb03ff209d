from django.urls import path

from . import views

urlpatterns = [
    path(
        "cases/<int:case_pk>/fitness/",
        views.CaseFitnessListView.as_view(),
        name="api-case-fitness-list",
    ),
    path(
        "cases/<int:case_pk>/medical-needs/",
        views.CaseMedicalNeedListView.as_view(),
        name="api-case-medical-need-list",
    ),
    path(
        "cases/<int:case_pk>/medical-needs/<int:need_pk>/",
        views.CaseMedicalNeedDetailView.as_view(),
        name="api-case-medical-need-detail",
    ),
    path(
        "cases/<int:case_pk>/medical-referrals/",
        views.CaseMedicalReferralListView.as_view(),
        name="api-case-medical-referral-list",
    ),
    path(
        "cases/<int:case_pk>/medical-referrals/<int:referral_pk>/",
        views.CaseMedicalReferralDetailView.as_view(),
        name="api-case-medical-referral-detail",
    ),
    path(
        "cases/<int:case_pk>/medical-documents/",
        views.CaseMedicalDocumentListView.as_view(),
        name="api-case-medical-document-list",
    ),
    path(
        "cases/<int:case_pk>/medical-documents/<int:document_pk>/download/",
        views.CaseMedicalDocumentDownloadView.as_view(),
        name="api-case-medical-document-download",
    ),
]
