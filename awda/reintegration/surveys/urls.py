from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:pk>/surveys/new/", views.survey_record, name="survey_record"),
    path("cases/<int:pk>/surveys/<int:survey_pk>/void/", views.survey_void, name="survey_void"),
    path("reintegration/sustainability/", views.sustainability, name="sustainability"),
]
