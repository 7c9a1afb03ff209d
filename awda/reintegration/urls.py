"""Web pages of the reintegration app, one module per area."""

from django.urls import include, path

app_name = "reintegration"

urlpatterns = [
    path("", include("awda.reintegration.files.urls")),
    path("", include("awda.reintegration.surveys.urls")),
    path("", include("awda.reintegration.plans.urls")),
    path("", include("awda.reintegration.delivery.urls")),
]
