from django.urls import path

from . import api

P = "reintegration/purchases/<int:purchase_pk>/"
T = "reintegration/tranches/<int:tranche_pk>/"

urlpatterns = [
    path(
        "cases/<int:case_pk>/purchases/",
        api.CasePurchaseListView.as_view(),
        name="api-case-purchases",
    ),
    path(
        "cases/<int:case_pk>/tranches/", api.CaseTrancheListView.as_view(), name="api-case-tranches"
    ),
    path(
        "cases/<int:case_pk>/referrals/",
        api.CaseReferralListView.as_view(),
        name="api-case-referrals",
    ),
    path(
        "cases/<int:case_pk>/delivery/totals/",
        api.CaseDeliveryTotalsView.as_view(),
        name="api-case-delivery-totals",
    ),
    path(P, api.PurchaseDetailView.as_view(), name="api-reintegration-purchase"),
    path(
        P + "deliver/", api.PurchaseDeliverView.as_view(), name="api-reintegration-purchase-deliver"
    ),
    path(
        P + "acknowledge/",
        api.PurchaseAcknowledgeView.as_view(),
        name="api-reintegration-purchase-acknowledge",
    ),
    path(P + "cancel/", api.PurchaseCancelView.as_view(), name="api-reintegration-purchase-cancel"),
    path(
        P + "acknowledgement/",
        api.PurchaseAcknowledgementView.as_view(),
        name="api-reintegration-purchase-acknowledgement",
    ),
    path(
        P + "documents/",
        api.PurchaseDocumentsView.as_view(),
        name="api-reintegration-purchase-documents",
    ),
    path(
        P + "documents/<int:document_pk>/",
        api.PurchaseDocumentDownloadView.as_view(),
        name="api-reintegration-document-download",
    ),
    path(T + "pay/", api.TranchePayView.as_view(), name="api-reintegration-tranche-pay"),
    path(T + "cancel/", api.TrancheCancelView.as_view(), name="api-reintegration-tranche-cancel"),
    path(
        "reintegration/referrals/<int:referral_pk>/",
        api.ReferralDetailView.as_view(),
        name="api-reintegration-referral",
    ),
]
