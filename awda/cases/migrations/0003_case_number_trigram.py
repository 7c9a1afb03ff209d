"""On PostgreSQL, a trigram index for the case-number part of the search (number__icontains is
UPPER(number) LIKE UPPER('%q%'))."""

from django.db import migrations

from awda.core.migration_ops import postgres_only

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS case_number_trgm ON cases_case USING gin (UPPER(number) gin_trgm_ops);
"""
BACKWARD = """
DROP INDEX IF EXISTS case_number_trgm;
"""


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_task_version")]
    operations = [postgres_only(FORWARD, BACKWARD)]
