from django.urls import path

from . import views

app_name = "assistance"
urlpatterns = [
    path("cases/<int:pk>/assistance/", views.line_record, name="line_record"),
    path(
        "cases/<int:pk>/assistance/<int:line_pk>/cancel/",
        views.line_cancel,
        name="line_cancel",
    ),
    path(
        "cases/<int:pk>/assistance/<int:line_pk>/receipt.pdf",
        views.line_receipt,
        name="line_receipt",
    ),
    path(
        "cases/<int:pk>/assistance/<int:line_pk>/signed/",
        views.line_receipt_upload,
        name="line_receipt_upload",
    ),
    path(
        "cases/<int:pk>/assistance/persons/<int:person_pk>/receipt.pdf",
        views.person_receipt,
        name="person_receipt",
    ),
    path(
        "cases/<int:pk>/assistance/persons/<int:person_pk>/signed/",
        views.person_receipt_upload,
        name="person_receipt_upload",
    ),
    path(
        "cases/<int:pk>/assistance/receipts/<int:receipt_pk>/download/",
        views.receipt_download,
        name="receipt_download",
    ),
    path("assistance/distributions/", views.distribution_list, name="distribution_list"),
    path("assistance/distributions/new/", views.distribution_new, name="distribution_new"),
    path(
        "assistance/distributions/candidates/",
        views.distribution_candidates,
        name="distribution_candidates",
    ),
    path(
        "assistance/distributions/<int:pk>/",
        views.distribution_detail,
        name="distribution_detail",
    ),
    path(
        "assistance/distributions/<int:pk>/sheet.pdf",
        views.distribution_sheet,
        name="distribution_sheet",
    ),
]
