"""On PostgreSQL, a trigram index for the case-number part of the search (number__icontains is
UPPER(number) LIKE UPPER('%q%'))."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS case_number_trgm ON cases_case "
            "USING gin (UPPER(number) gin_trgm_ops)"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS case_number_trgm")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_task_version")]
    operations = [migrations.RunPython(forward, backward)]
