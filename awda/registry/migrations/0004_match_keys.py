"""Duplicate check while registering: the persons' blocking keys (PersonMatchKey) and the mark of a
person merged into another by the duplicates review (Person.merged_into).

The keys of the persons already registered are built here, in chunks, with the engine of this
release (existing databases are small: a few thousand persons take seconds). A later change of the
engine's keys is applied with `manage.py rebuild_match_keys`, not by a migration.
"""

import django.db.models.deletion
from django.db import migrations, models


def build_keys(apps, schema_editor):
    from awda.registry.match_keys import rebuild_all

    Person = apps.get_model("registry", "Person")
    if not Person.objects.exists():
        return
    rebuild_all(
        person_model=Person,
        document_model=apps.get_model("registry", "IdentityDocument"),
        key_model=apps.get_model("registry", "PersonMatchKey"),
    )


class Migration(migrations.Migration):
    dependencies = [("registry", "0003_phone_trigram")]

    operations = [
        migrations.AddField(
            model_name="person",
            name="merged_into",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="registry.person",
                verbose_name="merged into",
            ),
        ),
        migrations.CreateModel(
            name="PersonMatchKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("key", models.CharField(max_length=120)),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="match_keys",
                        to="registry.person",
                    ),
                ),
            ],
            options={
                "verbose_name": "duplicate-check key",
                "verbose_name_plural": "duplicate-check keys",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("key", "person"), name="person_match_key_unique"
                    )
                ],
            },
        ),
        migrations.RunPython(build_keys, migrations.RunPython.noop, elidable=True),
    ]
