"""Serving a donor report: the permission check (finance.view on the project: finance officers,
managers and M&E officers of its mission), the period check, the document, and its audit event
(`reports.donor_report.exported`) in one transaction. The report is built synchronously: a
handful of grouped queries whatever the size of the project."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.core.errors import ValidationFailed
from awda.reports.iati.policies import project_for_report

from .documents import donor_report_pdf, donor_report_xlsx
from .report import DonorReport, donor_report

EXPORTED = "reports.donor_report.exported"
FORMATS = ("pdf", "xlsx")
MAX_DAYS = 3 * 366


@dataclass(frozen=True)
class DonorFile:
    data: bytes
    filename: str
    content_type: str
    report: DonorReport


def check_period(date_from: datetime.date | None, date_to: datetime.date | None) -> None:
    errors = {}
    if date_from is None:
        errors["date_from"] = [_("Enter the first day of the period.")]
    if date_to is None:
        errors["date_to"] = [_("Enter the last day of the period.")]
    if not errors and date_to < date_from:
        errors["date_to"] = [_("The period ends before it starts.")]
    if not errors and (date_to - date_from).days > MAX_DAYS:
        errors["date_to"] = [_("A report covers at most three years.")]
    if errors:
        raise ValidationFailed(fields=errors)


def default_period(project, today: datetime.date | None = None):
    """From the project's start to today (or its end, when it has ended)."""
    today = today or timezone.localdate()
    end = min(today, project.end_date)
    if end < project.start_date:
        end = project.end_date
    return project.start_date, end


def donor_report_preview(user, *, project_id: int, date_from, date_to) -> DonorReport:
    """The report's figures for the page (not a download: not audited, nothing leaves)."""
    project = project_for_report(user, project_id)
    check_period(date_from, date_to)
    return donor_report(user, project, date_from=date_from, date_to=date_to)


def donor_report_export(
    user, *, project_id: int, date_from, date_to, fmt: str = "pdf"
) -> DonorFile:
    """The donor report of project `project_id` over the period as PDF or XLSX (`fmt`), for a
    holder of finance.view on it (else NotFound / PermissionDenied), audited."""
    project = project_for_report(user, project_id)
    if fmt not in FORMATS:
        raise ValidationFailed(fields={"format": [_("Choose PDF or XLSX.")]})
    check_period(date_from, date_to)
    with transaction.atomic():
        report = donor_report(user, project, date_from=date_from, date_to=date_to)
        if fmt == "pdf":
            data, content_type = donor_report_pdf(report), "application/pdf"
        else:
            data = donor_report_xlsx(report)
            content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        audit_record(
            user,
            action=EXPORTED,
            obj=project,
            changes={
                "project": project.pk,
                "format": fmt,
                "date_from": date_from,
                "date_to": date_to,
                "min_cell": report.min_cell,
            },
        )
    filename = f"donor-report-{project.code}-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{fmt}"
    return DonorFile(data=data, filename=filename, content_type=content_type, report=report)
