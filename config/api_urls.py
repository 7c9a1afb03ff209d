"""REST API v1: each app contributes its routes from its api/urls.py."""

from django.urls import include, path, re_path

from awda.core.api.errors import api_not_found

urlpatterns = [
    path("", include("awda.accounts.api.urls")),
    path("", include("awda.registry.api.urls")),
    path("", include("awda.registry.duplicates.api.urls")),
    path("", include("awda.finance.api.urls")),
    path("", include("awda.cases.api.urls")),
    path("", include("awda.screening.api.urls")),
    path("", include("awda.screening.consent.api.urls")),
    path("", include("awda.screening.children.api.urls")),
    path("", include("awda.screening.trafficking.api.urls")),
    path("", include("awda.screening.health.api.urls")),
    path("", include("awda.assistance.api.urls")),
    path("", include("awda.movements.traveldocs.api.urls")),
    path("", include("awda.movements.api.board_urls")),
    path("", include("awda.movements.api.urls")),
    path("", include("awda.reintegration.api.urls")),
    path("", include("awda.imports.api.urls")),
    path("", include("awda.reports.api_urls")),
    # Anything else under /api/v1/ answers 404 in the API's JSON error shape.
    re_path(r"^.*$", api_not_found, name="api-not-found"),
]
