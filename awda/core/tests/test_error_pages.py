def test_missing_page_renders_awda_404(client, caseworker):
    client.force_login(caseworker)
    response = client.get("/cases/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and "Back to the dashboard" in body


def test_error_templates_exist_for_production():
    from django.template.loader import get_template

    for name in ("403.html", "404.html", "500.html"):
        assert get_template(name)
