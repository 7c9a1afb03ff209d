from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:pk>/plan/new/", views.plan_create, name="plan_create"),
    path("plans/<int:plan_pk>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_pk>/discard/", views.plan_discard, name="plan_discard"),
    path("plans/<int:plan_pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_pk>/submit/", views.plan_submit, name="plan_submit"),
    path("plans/<int:plan_pk>/approve/", views.plan_approve, name="plan_approve"),
    path("plans/<int:plan_pk>/return/", views.plan_return, name="plan_return"),
    path("plans/<int:plan_pk>/override/", views.plan_override, name="plan_override"),
    path("plans/<int:plan_pk>/revise/", views.plan_revise, name="plan_revise"),
    path("collective/", views.collective_list, name="collective_list"),
    path("collective/new/", views.collective_new, name="collective_new"),
    path("collective/<int:collective_pk>/", views.collective_detail, name="collective_detail"),
]
