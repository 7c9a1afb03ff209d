"""On PostgreSQL, a trigram index makes the accent-blind substring search over persons fast at a
million rows (LIKE '%word%' uses it). SQLite scans."""

from django.db import migrations

from awda.core.migration_ops import postgres_only

FORWARD = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS person_search_trgm ON registry_person USING gin (search_text gin_trgm_ops);
"""
BACKWARD = """
DROP INDEX IF EXISTS person_search_trgm;
"""


class Migration(migrations.Migration):
    dependencies = [("registry", "0001_initial")]
    operations = [postgres_only(FORWARD, BACKWARD)]
