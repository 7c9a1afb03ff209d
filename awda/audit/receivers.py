"""Security events from Django's authentication signals: sign-ins, sign-outs and failed attempts.

These only record what happened (no domain logic), so a signal is the right hook: it also covers
the API token endpoint and the admin login, which authenticate through the same functions."""

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .services import audit_record


@receiver(user_logged_in, dispatch_uid="awda_audit_logged_in")
def _logged_in(sender, request, user, **kwargs):
    audit_record(user, action="accounts.user.logged_in", obj=user)


@receiver(user_logged_out, dispatch_uid="awda_audit_logged_out")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit_record(user, action="accounts.user.logged_out", obj=user)


@receiver(user_login_failed, dispatch_uid="awda_audit_login_failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    username = str((credentials or {}).get("username", ""))[:150]
    audit_record(
        None, action="accounts.user.login_failed", object_type="accounts.user", object_repr=username
    )
