from django.urls import path

from . import batch_views, views

app_name = "travel_documents"
urlpatterns = [
    path(
        "cases/<int:pk>/travel-documents/<int:member_pk>/passport/",
        views.passport_record,
        name="passport_record",
    ),
    path(
        "cases/<int:pk>/travel-documents/<int:member_pk>/identity/",
        views.identity_use,
        name="identity_use",
    ),
    path(
        "cases/<int:pk>/travel-documents/<int:member_pk>/request/",
        views.document_request,
        name="document_request",
    ),
    path(
        "cases/<int:pk>/travel-documents/documents/<int:doc_pk>/answer/",
        views.document_answer,
        name="document_answer",
    ),
    path(
        "cases/<int:pk>/travel-documents/documents/<int:doc_pk>/cancel/",
        views.document_cancel,
        name="document_cancel",
    ),
    path(
        "cases/<int:pk>/travel-documents/<int:member_pk>/exit/",
        views.exit_request,
        name="exit_request",
    ),
    path(
        "cases/<int:pk>/travel-documents/exits/<int:exit_pk>/answer/",
        views.exit_answer,
        name="exit_answer",
    ),
    path("travel-documents/batches/", batch_views.batch_list, name="batch_list"),
    path("travel-documents/batches/new/", batch_views.batch_new, name="batch_new"),
    path("travel-documents/batches/<int:pk>/", batch_views.batch_detail, name="batch_detail"),
    path("travel-documents/batches/<int:pk>/send/", batch_views.batch_send, name="batch_send"),
    path(
        "travel-documents/batches/<int:pk>/discard/",
        batch_views.batch_discard,
        name="batch_discard",
    ),
    path(
        "travel-documents/batches/<int:pk>/items/<int:item_pk>/answer/",
        batch_views.batch_answer,
        name="batch_answer",
    ),
    path("travel-documents/batches/<int:pk>/pdf/", batch_views.batch_pdf, name="batch_pdf"),
    path("travel-documents/batches/<int:pk>/xlsx/", batch_views.batch_xlsx, name="batch_xlsx"),
]
