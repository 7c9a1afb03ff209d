import pytest


@pytest.fixture(autouse=True)
def french_default(settings):
    settings.LANGUAGE_CODE = "fr"  # production default (the test settings use English)


@pytest.mark.django_db
def test_ui_is_french_by_default_even_when_the_browser_asks_for_english(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "fr"
    assert '<html lang="fr"' in page.content.decode()


@pytest.mark.django_db
def test_language_switch_to_english_sticks(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/")
    assert page["Content-Language"] == "en"
    assert '<html lang="en"' in page.content.decode()


@pytest.mark.django_db
def test_api_follows_accept_language(client):
    response = client.get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "en"
    response = client.get("/api/v1/cases/", HTTP_ACCEPT_LANGUAGE="fr")
    assert response["Content-Language"] == "fr"
