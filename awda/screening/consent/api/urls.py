from django.urls import path

from . import views

urlpatterns = [
    path(
        "cases/<int:case_pk>/consents/",
        views.CaseConsentListView.as_view(),
        name="api-case-consent-list",
    ),
    path(
        "cases/<int:case_pk>/consents/<int:consent_pk>/withdraw/",
        views.CaseConsentWithdrawView.as_view(),
        name="api-case-consent-withdraw",
    ),
    path(
        "cases/<int:case_pk>/transfers/",
        views.CaseTransferListView.as_view(),
        name="api-case-transfer-list",
    ),
]
