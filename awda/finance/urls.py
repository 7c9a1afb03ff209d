"""Web pages of the finance app."""

from django.urls import path

from . import views

app_name = "finance"

urlpatterns = [
    path("finance/projects/", views.project_list, name="project_list"),
    path("finance/projects/<int:pk>/", views.project_budget, name="project_budget"),
    path("finance/projects/<int:pk>/lines/new/", views.line_create, name="line_create"),
    path("finance/projects/<int:pk>/charges/", views.project_charges, name="project_charges"),
    path("finance/projects/<int:pk>/caps/", views.cap_set, name="cap_set"),
    path(
        "finance/projects/<int:pk>/contributions/",
        views.contribution_record,
        name="contribution_record",
    ),
    path("finance/lines/<int:line_pk>/", views.line_edit, name="line_edit"),
    path("finance/lines/<int:line_pk>/delete/", views.line_delete, name="line_delete"),
    path("finance/lines/<int:line_pk>/override/", views.override_grant, name="override_grant"),
    path("finance/caps/<int:cap_pk>/remove/", views.cap_remove, name="cap_remove"),
    path(
        "finance/charges/<int:charge_pk>/reallocate/",
        views.charge_reallocate,
        name="charge_reallocate",
    ),
    path("finance/rates/", views.rate_list, name="rate_list"),
    path("finance/rates/import/", views.rate_import, name="rate_import"),
]
