import pytest
from rest_framework import exceptions

from awda.core.api.errors import flatten_errors
from awda.core.api.testing import api_client, error_of


def test_unknown_api_url_answers_404_in_the_error_shape(caseworker):
    response = api_client(caseworker).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert error_of(response)["code"] == "not_found"


def test_malformed_json_is_a_parse_error(caseworker, case):
    response = api_client(caseworker).post(
        f"/api/v1/cases/{case.pk}/notes/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert error_of(response)["code"] == "parse_error"


def test_unsupported_media_type(caseworker, case):
    response = api_client(caseworker).post(
        f"/api/v1/cases/{case.pk}/attachments/", {"kind": "other"}, format="json"
    )
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_method_not_allowed(caseworker, case):
    response = api_client(caseworker).delete(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    "detail, expected",
    [
        ({"a": ["bad"]}, {"a": ["bad"]}),
        (["bad"], {"non_field_errors": ["bad"]}),
        ({"principal": {"given_name": ["req"]}}, {"principal.given_name": ["req"]}),
        ({"members": [{}, {"relationship": ["x"]}]}, {"members.1.relationship": ["x"]}),
        ({"status": {0: ["nope"]}}, {"status.0": ["nope"]}),
    ],
)
def test_flatten_errors_uses_dotted_paths(detail, expected):
    assert flatten_errors(exceptions.ValidationError(detail).detail) == expected


def test_unexpected_error_answers_500_in_the_error_shape(caseworker, case, monkeypatch):
    from awda.cases import services

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(services, "note_add", boom)
    response = api_client(caseworker).post(f"/api/v1/cases/{case.pk}/notes/", {"body": "x"})
    assert response.status_code == 500
    assert error_of(response)["code"] == "server_error"


def test_every_error_code_is_documented():
    from pathlib import Path

    from django.conf import settings

    from awda.core.api.errors import ERROR_CODES

    docs = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text()
    missing = [code for code in ERROR_CODES if f"`{code}`" not in docs]
    assert not missing


# ---- oversized request bodies -------------------------------------------------------------------


@pytest.fixture
def small_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    settings.AWDA_MAX_UPLOAD_MB = 1
    return settings


def test_oversized_form_body_is_413_in_the_error_shape(caseworker, case, small_limit):
    """Django's RequestDataTooBig (a form field past DATA_UPLOAD_MAX_MEMORY_SIZE) was a 500."""
    response = api_client(caseworker).post(
        f"/api/v1/cases/{case.pk}/attachments/",
        {"kind": "other", "description": "x" * 20_000},
        format="multipart",
    )
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "request_too_large"
    assert "too large" in error["message"]


def test_oversized_json_body_is_413_before_it_is_parsed(caseworker, case, small_limit):
    response = api_client(caseworker).post(
        f"/api/v1/cases/{case.pk}/notes/", {"body": "x" * 20_000}, format="json"
    )
    assert response.status_code == 413
    assert error_of(response)["code"] == "request_too_large"
    assert not case.notes.exists()


def test_an_upload_within_the_file_limit_is_not_refused_by_the_body_limit(
    caseworker, case, small_limit
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = b"%PDF-1.4 " + b"0" * 50_000  # past the form-field limit, within the file limit
    response = api_client(caseworker).post(
        f"/api/v1/cases/{case.pk}/attachments/",
        {"kind": "other", "file": SimpleUploadedFile("a.pdf", body, "application/pdf")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
