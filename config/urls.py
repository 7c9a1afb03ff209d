from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog, set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from awda.core.views import healthz

# An oversized form gets a 413 that says so (awda.core.views.bad_request), not a bare 400.
handler400 = "awda.core.views.bad_request"

admin.site.site_header = "Awda"
admin.site.site_title = "Awda"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
    path("accounts/", include("awda.accounts.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("", include("awda.screening.urls")),
    path("", include("awda.screening.consent.urls")),
    path("", include("awda.screening.children.urls")),
    path("", include("awda.screening.trafficking.urls")),
    path("", include("awda.screening.health.urls")),
    path("", include("awda.assistance.urls")),
    path("", include("awda.movements.traveldocs.urls")),
    path("", include("awda.movements.board_urls")),
    path("", include("awda.movements.urls")),
    path("", include("awda.reintegration.urls")),
    path("", include("awda.imports.urls")),
    path("", include("awda.reports.urls")),
    path("", include("awda.finance.urls")),
    path("", include("awda.registry.duplicates.urls")),
    path("", include("awda.cases.urls")),
]

if settings.DEBUG:  # pragma: no cover
    pass
