"""On PostgreSQL, a trigram index on phone digits (search by phone uses LIKE '%digits%')."""

from django.db import migrations

from awda.core.migration_ops import postgres_only

FORWARD = """
CREATE INDEX IF NOT EXISTS person_phone_trgm ON registry_person USING gin (phone_digits gin_trgm_ops);
"""
BACKWARD = """
DROP INDEX IF EXISTS person_phone_trgm;
"""


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_search_trigram")]
    operations = [postgres_only(FORWARD, BACKWARD)]
