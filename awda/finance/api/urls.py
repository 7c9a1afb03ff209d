from django.urls import path

from . import costs, views

urlpatterns = [
    path("projects/", views.ProjectListView.as_view(), name="api-project-list"),
    path(
        "projects/<int:project_pk>/", views.ProjectDetailView.as_view(), name="api-project-detail"
    ),
    path(
        "finance/projects/",
        views.FinanceProjectListView.as_view(),
        name="api-finance-project-list",
    ),
    path(
        "finance/projects/<int:project_pk>/budget/",
        views.ProjectBudgetView.as_view(),
        name="api-finance-project-budget",
    ),
    path(
        "finance/projects/<int:project_pk>/lines/",
        views.BudgetLineListView.as_view(),
        name="api-finance-line-list",
    ),
    path(
        "finance/projects/<int:project_pk>/caps/",
        views.PersonCapListView.as_view(),
        name="api-finance-cap-list",
    ),
    path(
        "finance/projects/<int:project_pk>/contributions/",
        views.ContributionListView.as_view(),
        name="api-finance-contribution-list",
    ),
    path(
        "finance/projects/<int:project_pk>/charges/",
        views.ChargeListView.as_view(),
        name="api-finance-charge-list",
    ),
    path(
        "finance/lines/<int:line_pk>/",
        views.BudgetLineDetailView.as_view(),
        name="api-finance-line-detail",
    ),
    path(
        "finance/lines/<int:line_pk>/overrides/",
        views.OverrideListView.as_view(),
        name="api-finance-override-list",
    ),
    path(
        "finance/caps/<int:cap_pk>/",
        views.PersonCapDetailView.as_view(),
        name="api-finance-cap-detail",
    ),
    path(
        "finance/charges/<int:charge_pk>/reallocate/",
        views.ChargeReallocateView.as_view(),
        name="api-finance-charge-reallocate",
    ),
    path("finance/rates/", views.RateListView.as_view(), name="api-finance-rate-list"),
    path("finance/rates/import/", views.RateImportView.as_view(), name="api-finance-rate-import"),
    path("cases/<int:case_pk>/costs/", costs.CaseCostsView.as_view(), name="api-case-costs"),
]
