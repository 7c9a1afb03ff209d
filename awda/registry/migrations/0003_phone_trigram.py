"""On PostgreSQL, a trigram index on phone digits (search by phone uses LIKE '%digits%')."""

from django.db import migrations


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS person_phone_trgm ON registry_person "
            "USING gin (phone_digits gin_trgm_ops)"
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_phone_trgm")


class Migration(migrations.Migration):
    dependencies = [("registry", "0002_search_trigram")]
    operations = [migrations.RunPython(forward, backward)]
