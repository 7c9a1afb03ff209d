"""Helpers for the API test suites."""

from rest_framework.test import APIClient


def api_client(user=None) -> APIClient:
    """An API client, logged in as `user` (a fresh user object is loaded on each request, as in
    production, so per-request caches such as the user's scope start empty)."""
    client = APIClient()
    if user is not None:
        client.force_login(user)
    return client


def error_of(response) -> dict:
    """The body of an error answer, asserting it has the API's one error shape."""
    body = response.json()
    assert set(body) == {"error"}, body
    assert {"code", "message"} <= set(body["error"]), body
    assert set(body["error"]) <= {"code", "message", "fields", "details"}, body
    return body["error"]
