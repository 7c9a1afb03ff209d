from django.db.models import F

from .errors import StaleEdit


def save_versioned(instance, *, expected_version: int | None, fields: list[str]) -> None:
    """Save `fields` of a VersionedModel only if nobody saved it since `expected_version`.

    Uses a conditional UPDATE (compare-and-set), so two concurrent editors cannot both win.
    """
    model = type(instance)
    version = instance.version if expected_version is None else int(expected_version)
    values = {f: getattr(instance, f) for f in fields}
    for name in fields:
        field = model._meta.get_field(name)
        if getattr(field, "auto_now", False):
            values[name] = field.pre_save(instance, add=False)
    updated = model.objects.filter(pk=instance.pk, version=version).update(
        version=F("version") + 1, **values
    )
    if not updated:
        raise StaleEdit()
    instance.version = version + 1
