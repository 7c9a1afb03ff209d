from django.urls import path

from . import views

app_name = "health"
urlpatterns = [
    path(
        "cases/<int:pk>/health/<int:member_pk>/fitness/",
        views.fitness_record,
        name="fitness_record",
    ),
    path("cases/<int:pk>/health/<int:member_pk>/needs/", views.need_record, name="need_record"),
    path("cases/<int:pk>/health/needs/<int:need_pk>/", views.need_update, name="need_update"),
    path(
        "cases/<int:pk>/health/<int:member_pk>/referrals/",
        views.referral_record,
        name="referral_record",
    ),
    path(
        "cases/<int:pk>/health/referrals/<int:referral_pk>/",
        views.referral_update,
        name="referral_update",
    ),
    path(
        "cases/<int:pk>/health/<int:member_pk>/documents/",
        views.document_add,
        name="document_add",
    ),
    path(
        "cases/<int:pk>/health/documents/<int:document_pk>/download/",
        views.document_download,
        name="document_download",
    ),
]
