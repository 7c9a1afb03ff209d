"""Scoped reads of export jobs: a job is seen by the user who requested it, and by nobody else
("not yours" and "does not exist" are the same 404). The file may hold names the requester's
colleagues may not see, and a protected export's password is known to its requester only."""

from awda.core.errors import NotFound

from ..models import ExportJob


def export_list_for(user):
    if not getattr(user, "is_authenticated", False):
        return ExportJob.objects.none()
    return (
        ExportJob.objects.filter(created_by=user)
        .select_related("transfer")
        .order_by("-created_at", "-id")
    )


def export_get_for(user, pk) -> ExportJob:
    try:
        return export_list_for(user).get(pk=pk)
    except (ExportJob.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None
