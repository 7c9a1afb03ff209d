from django.urls import path

from . import api

urlpatterns = [
    path("cases/<int:case_pk>/plans/", api.CasePlansView.as_view(), name="api-case-plans"),
    path(
        "reintegration/plans/<int:plan_pk>/",
        api.PlanDetailView.as_view(),
        name="api-reintegration-plan",
    ),
    path(
        "reintegration/plans/<int:plan_pk>/submit/",
        api.PlanSubmitView.as_view(),
        name="api-reintegration-plan-submit",
    ),
    path(
        "reintegration/plans/<int:plan_pk>/approve/",
        api.PlanApproveView.as_view(),
        name="api-reintegration-plan-approve",
    ),
    path(
        "reintegration/plans/<int:plan_pk>/return/",
        api.PlanReturnView.as_view(),
        name="api-reintegration-plan-return",
    ),
    path(
        "reintegration/plans/<int:plan_pk>/override/",
        api.PlanOverrideView.as_view(),
        name="api-reintegration-plan-override",
    ),
    path(
        "reintegration/plans/<int:plan_pk>/revise/",
        api.PlanReviseView.as_view(),
        name="api-reintegration-plan-revise",
    ),
    path(
        "reintegration/plans/<int:plan_pk>/discard/",
        api.PlanDiscardView.as_view(),
        name="api-reintegration-plan-discard",
    ),
    path(
        "reintegration/collective-projects/",
        api.CollectiveListView.as_view(),
        name="api-reintegration-collective-list",
    ),
    path(
        "reintegration/collective-projects/<int:collective_pk>/",
        api.CollectiveDetailView.as_view(),
        name="api-reintegration-collective",
    ),
]
