"""`manage.py demo_logins`: where to open Awda and which demo accounts exist (demo mode only)."""

import os

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from awda.accounts.choices import Role
from awda.accounts.models import User
from awda.demo.reference import demo_logins


class Command(BaseCommand):
    help = _("Print the URL and the demo accounts with their password (demo mode only).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default="",
            help=_("Address to print (default http://$HOST:$PORT/, i.e. http://127.0.0.1:8000/)."),
        )

    def handle(self, *args, url, **options):
        if not settings.AWDA_DEMO_MODE:
            raise CommandError(_("Demo accounts exist only in demo mode (AWDA_DEMO_MODE=1)."))
        password = settings.AWDA_DEMO_PASSWORD
        if not password:
            raise CommandError(_("Set AWDA_DEMO_PASSWORD: the demo users' password."))
        url = url or "http://{}:{}/".format(
            os.environ.get("HOST", "127.0.0.1"), os.environ.get("PORT", "8000")
        )
        logins = demo_logins()
        existing = set(
            User.objects.filter(
                username__in=[d.username for d in logins], is_active=True
            ).values_list("username", flat=True)
        )
        logins = [d for d in logins if d.username in existing]
        write = self.stdout.write
        write("")
        write(_("Awda demo: open %(url)s") % {"url": url})
        if not logins:
            write(_("No demo accounts yet: run `manage.py seed_demo`."))
            return
        write(_("Password of every demo account: %(pw)s") % {"pw": password})
        write(_("(set by AWDA_DEMO_PASSWORD; `make run` generates one and keeps it in var/)"))
        write(
            _("Start with %(cw)s (register a case) and %(mgr)s (approve eligibility).")
            % {"cw": "caseworker.rabat", "mgr": "manager.rabat"}
        )
        write("")
        roles = dict(Role.choices)
        width = max(len(d.username) for d in logins) + 2
        office_w = max([len(str(_("Office")))] + [len(d.office_name) for d in logins]) + 2
        role_w = max([len(str(_("Role")))] + [len(str(roles[d.role])) for d in logins]) + 2
        header = f"  {_('Office'):<{office_w}}{_('Role'):<{role_w}}{_('Username'):<{width}}"
        write(header)
        write("  " + "-" * (len(header) - 2))
        previous = None
        for d in logins:
            office = d.office_name if d.office_name != previous else ""
            previous = d.office_name
            write(f"  {office:<{office_w}}{str(roles[d.role]):<{role_w}}{d.username:<{width}}")
        write("")
        write(
            _(
                "Administrators (admin.*) manage reference data in /admin/ and see no cases; "
                "M&E officers (me.*) see aggregates only."
            )
        )
