from django.db import transaction

from .services import audit_record, diff, snapshot


def _audited_fields(obj) -> list[str]:
    """Concrete fields worth auditing: not secrets, not automatic timestamps."""
    return [
        f.name
        for f in obj._meta.concrete_fields
        if f.name not in ("password", "last_login")
        and not getattr(f, "auto_now", False)
        and not getattr(f, "auto_now_add", False)
    ]


def _m2m_ids(obj, names) -> dict:
    if obj.pk is None:
        return {n: [] for n in names}
    return {n: sorted(getattr(obj, n).values_list("pk", flat=True)) for n in names}


class AuditedModelAdmin:
    """Mixin for reference-data admins: every save and delete writes an audit event in the same
    transaction (Django admin wraps changes in a transaction)."""

    def save_model(self, request, obj, form, change):
        fields = _audited_fields(obj)
        before = {}
        if change and obj.pk:
            old = type(obj).objects.filter(pk=obj.pk).first()
            before = snapshot(old, fields) if old else {}
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            after = snapshot(obj, fields)
            audit_record(
                request.user,
                action=f"{obj._meta.label_lower}.{'updated' if change else 'created'}",
                obj=obj,
                changes=diff(before, after) if change else after,
            )

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(request.user, action=f"{obj._meta.label_lower}.deleted", obj=obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for obj in queryset:
                audit_record(request.user, action=f"{obj._meta.label_lower}.deleted", obj=obj)
            super().delete_queryset(request, queryset)

    def save_related(self, request, form, formsets, change):
        """Many-to-many fields (e.g. a project's eligible offices, a user's groups) are saved
        after the object; their changes get their own event."""
        obj = form.instance
        names = [f.name for f in obj._meta.many_to_many]
        before = _m2m_ids(obj, names)
        with transaction.atomic():
            super().save_related(request, form, formsets, change)
            changes = diff(before, _m2m_ids(obj, names))
            if changes:
                audit_record(
                    request.user,
                    action=f"{obj._meta.label_lower}.updated",
                    obj=obj,
                    changes=changes,
                )

    def save_formset(self, request, form, formset, change):
        with transaction.atomic():
            instances = formset.save(commit=False)
            for obj in formset.deleted_objects:
                audit_record(request.user, action=f"{obj._meta.label_lower}.deleted", obj=obj)
                obj.delete()
            for obj in instances:
                created = obj.pk is None
                obj.save()
                fields = _audited_fields(obj)
                audit_record(
                    request.user,
                    action=f"{obj._meta.label_lower}.{'created' if created else 'updated'}",
                    obj=obj,
                    changes=snapshot(obj, fields),
                )
            formset.save_m2m()
