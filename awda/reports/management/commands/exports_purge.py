"""Delete the files of expired exports and fail the jobs that will never finish (run it daily
from cron; docs/exports.md, "Retention")."""

from django.core.management.base import BaseCommand

from awda.reports.exports.services import export_purge_expired


class Command(BaseCommand):
    help = "Delete the files of expired exports; fail expired or stalled export jobs."

    def handle(self, *args, **options):
        deleted = export_purge_expired()
        self.stdout.write(f"{deleted} expired export file(s) deleted.")
