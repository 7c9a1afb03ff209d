from django.urls import path

from . import views

app_name = "consent"
urlpatterns = [
    path(
        "cases/<int:pk>/consent/<int:member_pk>/",
        views.consent_record,
        name="record",
    ),
    path(
        "cases/<int:pk>/consent/withdraw/<int:consent_pk>/",
        views.consent_withdraw,
        name="withdraw",
    ),
    path("cases/<int:pk>/transfers/", views.transfer_record, name="transfer"),
]
