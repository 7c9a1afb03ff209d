import pytest
from django.test import RequestFactory

from awda.core.middleware import client_ip


@pytest.mark.parametrize(
    ("proxies", "xff", "expected"),
    [
        (0, "203.0.113.9", "10.0.0.2"),  # no trusted proxy: the header is ignored
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client wrote itself is ignored
        (2, "203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (1, "", "10.0.0.2"),
        (1, "not-an-ip", "10.0.0.2"),
    ],
)
def test_client_ip_honours_only_trusted_proxies(settings, proxies, xff, expected):
    settings.AWDA_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=xff)
    assert client_ip(request) == expected


def test_audit_records_the_forwarded_client_address(client, caseworker, settings):
    from awda.audit.models import AuditEvent

    settings.AWDA_TRUSTED_PROXIES = 1
    client.force_login(caseworker)
    client.get("/cases/", HTTP_X_FORWARDED_FOR="198.51.100.7")
    response = client.post("/accounts/logout/", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="accounts.user.logged_out").latest("id")
    assert event.ip == "198.51.100.7"
