from django.urls import path

from . import api

urlpatterns = [
    path(
        "cases/<int:case_pk>/surveys/",
        api.CaseSurveyListView.as_view(),
        name="api-case-surveys",
    ),
    path(
        "cases/<int:case_pk>/surveys/series/",
        api.CaseSurveySeriesView.as_view(),
        name="api-case-surveys-series",
    ),
    path(
        "reintegration/surveys/<int:survey_pk>/void/",
        api.SurveyVoidView.as_view(),
        name="api-reintegration-survey-void",
    ),
    path(
        "reintegration/instruments/",
        api.InstrumentListView.as_view(),
        name="api-reintegration-instruments",
    ),
    path(
        "reintegration/instruments/<int:instrument_pk>/",
        api.InstrumentDetailView.as_view(),
        name="api-reintegration-instrument",
    ),
    path(
        "reintegration/sustainability/cohorts/",
        api.CohortView.as_view(),
        name="api-reintegration-cohorts",
    ),
]
