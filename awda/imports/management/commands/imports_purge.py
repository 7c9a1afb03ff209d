"""Delete the stored files (uploads, rejected rows) of imports older than
AWDA_IMPORT_RETENTION_DAYS (run it daily from cron, or let celery beat run the task;
docs/imports.md). The jobs, their counts and their audit events stay."""

from django.core.management.base import BaseCommand

from awda.imports.services import import_purge


class Command(BaseCommand):
    help = "Delete the stored files of imports older than the retention."

    def handle(self, *args, **options):
        total = 0
        while count := import_purge():  # import_purge works through 500 jobs at a time
            total += count
        self.stdout.write(f"Files of {total} import(s) deleted.")
