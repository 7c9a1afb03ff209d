from django.urls import path

from . import views

D = "movements/departures/<int:departure_pk>"
B = "cases/<int:case_pk>/bookings/<int:booking_pk>"

urlpatterns = [
    path("movements/departures/", views.DepartureListView.as_view(), name="api-departure-list"),
    path(f"{D}/", views.DepartureDetailView.as_view(), name="api-departure-detail"),
    path(f"{D}/cancel/", views.DepartureCancelView.as_view(), name="api-departure-cancel"),
    path(f"{D}/escorts/", views.DepartureEscortListView.as_view(), name="api-departure-escorts"),
    path(
        f"{D}/escorts/<int:escort_pk>/",
        views.DepartureEscortDetailView.as_view(),
        name="api-departure-escort-detail",
    ),
    path(f"{D}/cases/", views.DepartureCasesView.as_view(), name="api-departure-cases"),
    path(
        f"{D}/cases/<int:case_pk>/remove/",
        views.DepartureCaseRemoveView.as_view(),
        name="api-departure-case-remove",
    ),
    path(f"{D}/manifest/", views.DepartureManifestView.as_view(), name="api-departure-manifest"),
    path(
        f"{D}/manifest.pdf",
        views.DepartureManifestPdfView.as_view(),
        name="api-departure-manifest-pdf",
    ),
    path(
        f"{D}/manifest.xlsx",
        views.DepartureManifestXlsxView.as_view(),
        name="api-departure-manifest-xlsx",
    ),
    path(
        f"{D}/confirm-departure/",
        views.DepartureConfirmView.as_view(),
        name="api-departure-confirm-departure",
    ),
    path(
        "cases/<int:case_pk>/bookings/",
        views.CaseBookingListView.as_view(),
        name="api-case-booking-list",
    ),
    path(f"{B}/", views.CaseBookingDetailView.as_view(), name="api-case-booking-detail"),
    path(f"{B}/confirm/", views.CaseBookingConfirmView.as_view(), name="api-case-booking-confirm"),
    path(f"{B}/cancel/", views.CaseBookingCancelView.as_view(), name="api-case-booking-cancel"),
    path(f"{B}/no-show/", views.CaseBookingNoShowView.as_view(), name="api-case-booking-no-show"),
    path(
        f"{B}/confirm-departure/",
        views.CaseBookingDepartView.as_view(),
        name="api-case-booking-confirm-departure",
    ),
    path(
        f"{B}/confirm-arrival/",
        views.CaseBookingArriveView.as_view(),
        name="api-case-booking-confirm-arrival",
    ),
    path(
        f"{B}/pocket-money/",
        views.CasePocketMoneyView.as_view(),
        name="api-case-booking-pocket-money",
    ),
    path(
        f"{B}/pocket-money/receipt/",
        views.CasePocketMoneyReceiptView.as_view(),
        name="api-case-booking-pocket-money-receipt",
    ),
    path(
        f"{B}/pocket-money/receipt/download/",
        views.CasePocketMoneyReceiptDownloadView.as_view(),
        name="api-case-booking-pocket-money-receipt-download",
    ),
    path("cases/<int:case_pk>/rebook/", views.CaseRebookView.as_view(), name="api-case-rebook"),
    path("movements/arrivals/", views.ArrivalListView.as_view(), name="api-arrival-list"),
    path(
        "movements/arrivals/confirm/",
        views.ArrivalConfirmView.as_view(),
        name="api-arrival-confirm",
    ),
]
