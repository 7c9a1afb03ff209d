"""REST API v1: each app contributes its routes from its api/urls.py."""

from django.urls import include, path

urlpatterns = [
    path("", include("awda.accounts.api.urls")),
    path("", include("awda.registry.api.urls")),
    path("", include("awda.finance.api.urls")),
    path("", include("awda.cases.api.urls")),
]
