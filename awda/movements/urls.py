from django.urls import path

from .views import arrivals, case_tab, departures

app_name = "movements"

B = "cases/<int:pk>/travel/bookings/<int:booking_pk>"
D = "movements/departures/<int:pk>"

urlpatterns = [
    # the case's Travel tab
    path("cases/<int:pk>/travel/bookings/", case_tab.booking_create, name="booking_create"),
    path(f"{B}/confirm/", case_tab.booking_confirm, name="booking_confirm"),
    path(f"{B}/update/", case_tab.booking_update, name="booking_update"),
    path(f"{B}/cancel/", case_tab.booking_cancel, name="booking_cancel"),
    path(f"{B}/no-show/", case_tab.booking_no_show, name="booking_no_show"),
    path(f"{B}/depart/", case_tab.booking_depart, name="booking_depart"),
    path(f"{B}/arrive/", case_tab.booking_arrive, name="booking_arrive"),
    path(f"{B}/pocket-money/", case_tab.pocket_money_pay, name="pocket_money_pay"),
    path(f"{B}/pocket-money/receipt.pdf", case_tab.receipt_pdf, name="receipt_pdf"),
    path(f"{B}/pocket-money/receipt/", case_tab.receipt_upload, name="receipt_upload"),
    path(
        f"{B}/pocket-money/receipt/download/",
        case_tab.receipt_download,
        name="receipt_download",
    ),
    path("cases/<int:pk>/travel/rebook/", case_tab.rebook, name="rebook"),
    # group departures
    path("movements/departures/", departures.departure_list, name="departure_list"),
    path("movements/departures/new/", departures.departure_create, name="departure_create"),
    path(f"{D}/", departures.departure_detail, name="departure_detail"),
    path(f"{D}/edit/", departures.departure_edit, name="departure_edit"),
    path(f"{D}/cancel/", departures.departure_cancel, name="departure_cancel"),
    path(f"{D}/manifest.pdf", departures.manifest_pdf, name="manifest_pdf"),
    path(f"{D}/manifest.xlsx", departures.manifest_xlsx, name="manifest_xlsx"),
    path(f"{D}/escorts/", departures.escort_add, name="escort_add"),
    path(f"{D}/escorts/<int:escort_pk>/remove/", departures.escort_remove, name="escort_remove"),
    path(f"{D}/add/", departures.departure_add_cases, name="departure_add_cases"),
    path(f"{D}/confirm-departure/", departures.confirm_departure, name="confirm_departure"),
    path(f"{D}/bookings/<int:booking_pk>/no-show/", departures.no_show, name="no_show"),
    path(f"{D}/bookings/<int:booking_pk>/rebook/", departures.rebook, name="rebook_on"),
    path(f"{D}/bookings/<int:booking_pk>/withdraw/", departures.withdraw, name="withdraw"),
    path(
        f"{D}/bookings/<int:booking_pk>/pocket-money/",
        departures.pocket_money,
        name="departure_pocket_money",
    ),
    path(f"{D}/cases/<int:case_pk>/remove/", departures.remove_case, name="remove_case"),
    # the receiving mission
    path("movements/arrivals/", arrivals.expected_arrivals, name="arrivals"),
    path("movements/arrivals/confirm/", arrivals.confirm_arrivals, name="confirm_arrivals"),
]
