"""An oversized form (past DATA_UPLOAD_MAX_MEMORY_SIZE) gets a clear 413 page, not a bare 400."""

from django.urls import reverse


def test_oversized_form_gets_a_413_page_that_says_why(client, caseworker, case, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    client.force_login(caseworker)
    response = client.post(
        reverse("cases:note_add", args=[case.pk]),
        {"body": "x" * 20_000},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 413
    body = response.content.decode()
    assert "too large" in body and "<html" in body
    assert not case.notes.exists()
