"""Serving a project's IATI activity file: the permission check, the file, and its audit event
(`reports.iati.exported`), written in one transaction with the read."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from awda.audit.services import audit_record

from .builder import activity_data, render_activity_xml
from .policies import project_for_report

EXPORTED = "reports.iati.exported"


@dataclass(frozen=True)
class IatiFile:
    data: bytes
    filename: str
    transactions: int
    awaiting_rate: int


def iati_activity_export(
    user, *, project_id: int, generated_at: datetime.datetime | None = None
) -> IatiFile:
    """The IATI activity XML of project `project_id` for `user` (finance, manager or M&E officer
    of its mission: else NotFound / PermissionDenied), audited as `reports.iati.exported`."""
    project = project_for_report(user, project_id)
    generated_at = generated_at or timezone.now()
    with transaction.atomic():
        data = activity_data(project, today=timezone.localdate(generated_at))
        xml = render_activity_xml(data, generated_at=generated_at)
        audit_record(
            user,
            action=EXPORTED,
            obj=project,
            changes={
                "project": project.pk,
                "format": "xml",
                "transactions": len(data.transactions),
                "awaiting_rate": data.awaiting_rate,
            },
        )
    return IatiFile(
        data=xml,
        filename=f"iati-activity-{project.code}.xml",
        transactions=len(data.transactions),
        awaiting_rate=data.awaiting_rate,
    )
