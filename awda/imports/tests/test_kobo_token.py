"""The Kobo API token is only sent to the source's server: redirects are not followed, http:// is
refused (unless AWDA_KOBO_ALLOW_HTTP), a new server address takes the token again, and only
the users who may manage a Kobo source may list its account's forms with the saved token."""

import http.server
import threading

import pytest
from django.urls import reverse

from awda.core.errors import ValidationFailed
from awda.imports import kobo, services
from awda.imports.choices import SourceKind
from awda.imports.kobo import KoboClient, KoboError

pytestmark = pytest.mark.django_db


class _Server:
    """A local HTTP server answering every GET with `answer(handler)`, recording the requests'
    headers."""

    def __init__(self, answer):
        self.requests = []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                outer.requests.append((self.path, dict(self.headers)))
                answer(self)

            def log_message(self, *args):
                pass

        self.httpd = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def _reply(handler, status, body=b"{}", headers=()):
    handler.send_response(status)
    for name, value in headers:
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def test_a_redirect_is_not_followed_and_the_token_not_sent_on(settings):
    settings.AWDA_KOBO_ALLOW_HTTP = True
    with _Server(lambda h: _reply(h, 200, b'{"results": []}')) as elsewhere:
        target = elsewhere.url + "/steal"
        with _Server(lambda h: _reply(h, 302, b"", [("Location", target)])) as kobo_server:
            status, _body = kobo.urllib_transport(
                kobo_server.url + "/api/v2/assets/", {"Authorization": "Token s3cr3t"}, 5
            )
            assert status == 302
            with pytest.raises(KoboError) as exc:
                KoboClient(kobo_server.url, "s3cr3t").assets()
        assert exc.value.code == "kobo_bad_server" and exc.value.status == 400
        assert "302" in str(exc.value.message)
        assert len(kobo_server.requests) == 2
        assert elsewhere.requests == []  # never reached, with or without the token


def test_a_response_is_read_up_to_the_pull_limit_only(settings):
    settings.AWDA_KOBO_ALLOW_HTTP = True
    settings.AWDA_IMPORT_MAX_UPLOAD_MB = 1
    big = b"[" + b"0," * 1_048_576 + b"0]"
    with _Server(lambda h: _reply(h, 200, big)) as server:
        status, body = kobo.urllib_transport(server.url + "/", {}, 5)
        assert status == 200 and len(body) == 1_048_576 + 1
        with pytest.raises(KoboError) as exc:
            KoboClient(server.url, "t").assets()
    assert exc.value.code == "kobo_too_large" and "AWDA_IMPORT_MAX_UPLOAD_MB" in str(
        exc.value.message
    )


def test_http_servers_are_refused_unless_allowed(settings, manager, rabat):
    with pytest.raises(KoboError) as exc:
        KoboClient("http://kobo.mission.lan", "t")
    assert exc.value.code == "kobo_bad_server"
    with pytest.raises(ValidationFailed) as refused:
        services.source_create(
            manager,
            office=rabat,
            name="Kobo LAN",
            kind=SourceKind.KOBO_API,
            kobo_url="http://kobo.mission.lan",
            kobo_token="t",
        )
    assert "https://" in str(refused.value.fields["kobo_url"][0])

    settings.AWDA_KOBO_ALLOW_HTTP = True
    assert KoboClient("http://kobo.mission.lan", "t").server == "http://kobo.mission.lan"
    source = services.source_create(
        manager,
        office=rabat,
        name="Kobo LAN",
        kind=SourceKind.KOBO_API,
        kobo_url="http://kobo.mission.lan",
        kobo_token="t",
    )
    assert source.kobo_url == "http://kobo.mission.lan"


def test_private_addresses_are_allowed():
    assert KoboClient("https://10.0.0.5", "t").server == "https://10.0.0.5"
    assert KoboClient("https://kobo.internal:8443", "t").server == "https://kobo.internal:8443"


def test_a_new_server_address_needs_the_token_again(manager, kobo_source):
    with pytest.raises(ValidationFailed) as exc:
        services.source_update(
            manager, source=kobo_source, data={"kobo_url": "https://kobo.other.org"}
        )
    assert "kobo_token" in exc.value.fields
    with pytest.raises(ValidationFailed):
        services.source_update(
            manager,
            source=kobo_source,
            data={"kobo_url": "https://kobo.other.org", "kobo_token": "  "},
        )
    kobo_source.refresh_from_db()
    assert kobo_source.kobo_url == "https://kf.kobotoolbox.org"

    # The same address (as the form posts it back), or a new one with a token: saved.
    services.source_update(
        manager, source=kobo_source, data={"kobo_url": "https://kf.kobotoolbox.org/", "name": "K"}
    )
    services.source_update(
        manager,
        source=kobo_source,
        data={"kobo_url": "https://kobo.other.org", "kobo_token": "n3w"},
    )
    kobo_source.refresh_from_db()
    assert kobo_source.kobo_url == "https://kobo.other.org"


def test_the_web_form_refuses_a_new_address_without_the_token(client, manager, rabat, kobo_source):
    client.force_login(manager)
    response = client.post(
        reverse("imports:kobo_source_edit", args=[kobo_source.pk]),
        {
            "name": kobo_source.name,
            "office": rabat.pk,
            "kobo_url": "https://kobo.other.org",
            "kobo_asset_uid": kobo_source.kobo_asset_uid,
            "kobo_token": "",
        },
    )
    assert response.status_code == 400
    assert "enter the API token again" in response.content.decode()
    kobo_source.refresh_from_db()
    assert kobo_source.kobo_url == "https://kf.kobotoolbox.org"


def test_listing_the_forms_is_for_those_who_manage_the_source(
    client, caseworker, manager, kobo_source, monkeypatch
):
    calls = []

    class Stub:
        def assets(self):
            calls.append(1)
            return [{"uid": "u1", "name": "Form one", "submissions": 2}]

    monkeypatch.setattr(services, "kobo_client_for", lambda source, **kw: Stub())
    url = reverse("imports:kobo_source_edit", args=[kobo_source.pk])

    client.force_login(caseworker)
    assert client.get(url + "?assets=1").status_code == 403
    page = client.get(url)
    assert page.status_code == 200 and b"?assets=1" not in page.content
    assert calls == []

    client.force_login(manager)
    page = client.get(url)
    assert b"?assets=1" in page.content
    page = client.get(url + "?assets=1")
    assert page.status_code == 200 and b"Form one" in page.content and calls == [1]
