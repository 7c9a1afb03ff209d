"""`manage.py seed_demo --cases N --seed S [--if-empty]`: demo data, in demo mode only."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from awda.demo import reference
from awda.demo.seed import demo_data_exists, seed_demo


class Command(BaseCommand):
    help = _(
        "Create the demo missions, offices, users, projects and partner organisations, then N "
        "cases replayed through the services. Only in demo mode (AWDA_DEMO_MODE)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--cases", type=int, default=2500, help=_("Number of cases."))
        parser.add_argument("--seed", type=int, default=2026, help=_("Random seed."))
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help=_("Do nothing when missions already exist (first start only)."),
        )
        parser.add_argument(
            "--reference-date",
            type=datetime.date.fromisoformat,
            default=None,
            help=_(
                "The 'today' of the demo story (YYYY-MM-DD, default today): registrations spread "
                "over the three years before it. The same seed and date give the same data."
            ),
        )

    def handle(self, *args, cases, seed, if_empty, reference_date, **options):
        if not settings.AWDA_DEMO_MODE:
            raise CommandError(_("Demo data can only be created in demo mode (AWDA_DEMO_MODE=1)."))
        password = settings.AWDA_DEMO_PASSWORD
        if not password:
            raise CommandError(_("Set AWDA_DEMO_PASSWORD: the demo users' password."))
        if cases < 0:
            raise CommandError(_("--cases must be zero or more."))
        if if_empty and demo_data_exists():
            updated = reference.sync_demo_passwords(password)
            if updated:
                self.stdout.write(
                    _("Demo users' password updated from AWDA_DEMO_PASSWORD (%(n)s accounts).")
                    % {"n": updated}
                )
            self.stdout.write(_("Data already present: demo data not seeded again."))
            return
        self.stdout.write(
            _("Seeding demo data: %(n)s cases, seed %(seed)s ...") % {"n": cases, "seed": seed}
        )
        try:
            result = seed_demo(
                cases=cases,
                seed=seed,
                password=password,
                reference_date=reference_date,
                log=self.stdout.write if options["verbosity"] > 0 else lambda _m: None,
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{s} {n}" for s, n in sorted(result.by_status.items()))
        self.stdout.write(
            _("%(n)s cases created in %(s).1f s (%(summary)s).")
            % {"n": result.created_cases, "s": result.seconds, "summary": summary or "-"}
        )
        for problem in result.problems:
            self.stderr.write(_("Not replayed: %(problem)s") % {"problem": problem})
        if result.problems:
            raise CommandError(_("Some demo cases could not be replayed (see above)."))
