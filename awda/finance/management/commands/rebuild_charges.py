"""Post every recorded cost on the finance ledger again, from the records themselves:

    .venv/bin/python manage.py rebuild_charges [--source ticket --source purchase ...]

Fills the ledger after an upgrade (costs recorded before budgets existed) and repairs it. Each
app recording costs registers its source (assistance lines, tickets, pocket money, purchases,
cash tranches, paid referrals), which gives the stages each record went through, oldest first
(committed, then spent or released): posted in turn, they give the ledger the services built
as the costs were recorded. The budget rules only flag (over budget), never refuse: the costs
have happened. Idempotent; one transaction (all or nothing). Prints the postings per source,
also written to one audit event (finance.charges.rebuilt, by "system")."""

from django.core.management.base import BaseCommand, CommandError

from awda.finance.services.charges import SOURCES, charges_rebuild


class Command(BaseCommand):
    help = "Post every recorded cost on the finance ledger again from the records (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            action="append",
            dest="sources",
            metavar="SOURCE",
            help="Only this source (repeatable): " + ", ".join(sorted(SOURCES)) + ".",
        )

    def handle(self, *args, sources=None, **options):
        unknown = sorted(set(sources or ()) - set(SOURCES))
        if unknown:
            raise CommandError(
                f"Unknown source(s): {', '.join(unknown)}. Known: {', '.join(sorted(SOURCES))}."
            )
        counts = charges_rebuild(sources=sorted(set(sources)) if sources else None)
        for source, n in counts.items():
            self.stdout.write(f"{source}: {n} posting(s)")
        self.stdout.write(self.style.SUCCESS(f"Ledger rebuilt: {sum(counts.values())} posting(s)."))
