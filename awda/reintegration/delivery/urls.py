"""Web actions of the Delivery tab (namespace "reintegration")."""

from django.urls import path

from . import views

P = "cases/<int:pk>/delivery/purchases/<int:purchase_pk>/"
T = "cases/<int:pk>/delivery/tranches/<int:tranche_pk>/"

urlpatterns = [
    path("cases/<int:pk>/delivery/purchases/", views.purchase_create, name="purchase_create"),
    path(P + "deliver/", views.purchase_deliver, name="purchase_deliver"),
    path(P + "acknowledge/", views.purchase_acknowledge, name="purchase_acknowledge"),
    path(P + "cancel/", views.purchase_cancel, name="purchase_cancel"),
    path(P + "documents/", views.purchase_document_attach, name="purchase_document_attach"),
    path(
        P + "documents/<int:document_pk>/",
        views.delivery_document_download,
        name="delivery_document_download",
    ),
    path(
        P + "acknowledgement.pdf",
        views.purchase_acknowledgement_pdf,
        name="purchase_acknowledgement_pdf",
    ),
    path("cases/<int:pk>/delivery/tranches/", views.tranche_plan, name="tranche_plan"),
    path(T + "pay/", views.tranche_pay, name="tranche_pay"),
    path(T + "cancel/", views.tranche_cancel, name="tranche_cancel"),
    path("cases/<int:pk>/delivery/referrals/", views.referral_create, name="referral_create"),
    path(
        "cases/<int:pk>/delivery/referrals/<int:referral_pk>/",
        views.referral_update,
        name="referral_update",
    ),
]
