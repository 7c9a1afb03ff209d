"""Every database gets the placeholder sustainability survey instrument (equal weights, our own
wording; surveys/instruments/placeholder.json), so surveys can be recorded before an
organisation loads its official instrument with `manage.py load_instrument`."""

from django.db import migrations


def load_placeholder(apps, schema_editor):
    from awda.reintegration.surveys.instrument import PLACEHOLDER_PATH, label, normalise, read_file

    Instrument = apps.get_model("reintegration", "Instrument")
    definition, stored, digest = normalise(read_file(PLACEHOLDER_PATH))
    if Instrument.objects.filter(code=definition.code, version=definition.version).exists():
        return
    Instrument.objects.create(
        code=definition.code,
        version=definition.version,
        name=label(definition.name, "en")[:200],
        is_placeholder=True,
        is_active=True,
        definition=stored,
        checksum=digest,
        source="awda/reintegration/surveys/instruments/placeholder.json",
    )


def remove_placeholder(apps, schema_editor):
    Instrument = apps.get_model("reintegration", "Instrument")
    Instrument.objects.filter(code="rss", version="placeholder-1", surveys__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("reintegration", "0001_initial")]

    operations = [migrations.RunPython(load_placeholder, remove_placeholder)]
