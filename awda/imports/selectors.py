"""Scoped reads of imports: jobs of the offices the user may import into, sources of their
missions. "Not yours" and "does not exist" are the same 404."""

from awda.core.errors import NotFound

from . import policies
from .models import ImportedRecord, ImportJob, ImportSource


def import_job_list_for(user):
    offices = policies.import_offices(user)
    if not offices:
        return ImportJob.objects.none()
    return (
        ImportJob.objects.filter(office_id__in=offices)
        .select_related("office", "source", "requested_by")
        .order_by("-created_at", "-id")
    )


def import_job_get_for(user, pk) -> ImportJob:
    try:
        return import_job_list_for(user).select_related("office__mission").get(pk=pk)
    except (ImportJob.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def import_source_list_for(user):
    missions = policies.import_missions(user)
    if not missions:
        return ImportSource.objects.none()
    return ImportSource.objects.filter(mission_id__in=missions).select_related("office")


def import_source_get_for(user, pk) -> ImportSource:
    try:
        return import_source_list_for(user).get(pk=pk)
    except (ImportSource.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def import_job_cases(job: ImportJob):
    """The cases created by an import (ids), in row order."""
    return ImportedRecord.objects.filter(job=job).order_by("row").values_list("case_id", flat=True)


def import_of_case(case_id: int):
    """The import that created a case (None for a case registered by hand)."""
    record = ImportedRecord.objects.filter(case_id=case_id).select_related("job").first()
    return record.job if record else None
