"""REST API of the reintegration app, one module per area."""

from django.urls import include, path

urlpatterns = [
    path("", include("awda.reintegration.files.api_urls")),
    path("", include("awda.reintegration.surveys.api_urls")),
    path("", include("awda.reintegration.plans.api_urls")),
    path("", include("awda.reintegration.delivery.api_urls")),
]
