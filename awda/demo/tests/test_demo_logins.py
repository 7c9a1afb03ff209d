from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def logins(**options):
    out = StringIO()
    call_command("demo_logins", stdout=out, **options)
    return out.getvalue()


def test_lists_demo_accounts_by_office_and_role_with_the_password():
    call_command("seed_demo", cases=0, stdout=StringIO())
    text = logins(url="http://127.0.0.1:8765/")
    assert "http://127.0.0.1:8765/" in text
    assert "demo-pass-2026" in text
    for name in ("caseworker.rabat", "manager.rabat", "admin.oujda", "reintegration.conakry",
                 "me.ouagadougou"):  # fmt: skip
        assert name in text


def test_says_so_when_no_demo_account_exists():
    assert "seed_demo" in logins()


def test_refuses_outside_demo_mode(settings):
    settings.AWDA_DEMO_MODE = False
    with pytest.raises(CommandError):
        logins()
