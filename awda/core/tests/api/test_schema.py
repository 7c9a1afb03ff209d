import re
from pathlib import Path

from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver
from openapi_spec_validator import validate

from awda.core.api.testing import api_client

HTTP_METHODS = {"get", "post", "put", "patch", "delete"}


def _api_routes():
    """(path template, DRF view class) of every route under /api/v1/."""

    def walk(patterns, prefix):
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, route)
            elif isinstance(p, URLPattern):
                yield route, p.callback

    for route, callback in walk(get_resolver().url_patterns, "/"):
        if route.startswith("/api/v1/") and hasattr(callback, "cls"):
            yield re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route), callback.cls


def _schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_schema_is_valid_openapi(caseworker):
    schema = _schema(api_client(caseworker))
    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_every_api_route_and_method_is_in_the_schema(caseworker):
    paths = _schema(api_client(caseworker))["paths"]
    routes = list(_api_routes())
    assert len(routes) >= 20
    for template, view in routes:
        assert template in paths, f"{template} ({view.__name__}) is missing from the schema"
        methods = {m for m in HTTP_METHODS if hasattr(view, m)}
        assert methods == set(paths[template]) & HTTP_METHODS, template


def test_every_operation_documents_its_error_shape(caseworker):
    schema = _schema(api_client(caseworker))
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            errors = [c for c in op["responses"] if c.startswith(("4", "5"))]
            assert errors, f"{method} {path} documents no error response"
            for code in errors:
                ref = op["responses"][code]["content"]["application/json"]["schema"]["$ref"]
                assert ref == "#/components/schemas/Error"


def test_swagger_ui_is_served_from_local_static_files(caseworker):
    response = api_client(caseworker).get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    folder = Path(settings.BASE_DIR) / "static" / "vendor" / "swagger-ui"
    for name in (
        "swagger-ui.css",
        "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js",
        "favicon-32x32.png",
        "LICENSE",
    ):
        assert (folder / name).is_file(), name


def test_schema_and_docs_need_a_signed_in_user(db):
    assert api_client().get("/api/schema/").status_code in (401, 403)
    assert api_client().get("/api/docs/").status_code in (401, 403)
