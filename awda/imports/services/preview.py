"""The preview: every row validated before anything is written. It counts the valid rows, the
invalid ones (with every error: row, field, source column, value, message), the rows imported
before (skipped, not errors) and the repeats of a key within the file, keeps the first errors and
the first rows as they will be imported on the job, and audits nothing personal (counts only)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awda.audit.services import audit_record
from awda.core.errors import PermissionDenied, ValidationFailed

from .. import policies
from ..choices import EDITABLE_STATUSES, JobStatus
from ..contract import CaseRecord
from ..models import ImportJob
from ._common import checked, error_dict, existing_keys, job_mapping, load_table, record_key
from .commit import ImportConflict, fail_if_stalled

ERRORS_KEPT = 1000  # errors stored on the job; further pages are derived again from the file
SAMPLE_ROWS = 10
SKIPPED_KEPT = 200
IMPORT_PREVIEWED = "imports.job.previewed"


def mapping_errors(table, mapping) -> dict:
    """The mapping's problems (awda.imports.mapping.mapping_problems) as field errors."""
    from ..mapping import mapping_problems

    problems = mapping_problems(table, mapping)
    return {"mapping": [str(p) for p in problems]} if problems else {}


def _sample(record: CaseRecord) -> dict:
    p = record.principal
    doc = record.documents[0] if record.documents else {}
    return {
        "row": record.row,
        "given_name": p.get("given_name") or "",
        "family_name": p.get("family_name") or "",
        "sex": p.get("sex") or "",
        "date_of_birth": p["date_of_birth"].isoformat() if p.get("date_of_birth") else "",
        "birth_year": p.get("birth_year") or "",
        "nationality": p.get("nationality") or "",
        "document": f"{doc.get('doc_type', '')} {doc.get('number', '')}".strip(),
        "members": len(record.members),
        "country_of_return": record.country_of_return or p.get("nationality") or "",
        "registered_on": record.registered_on.isoformat() if record.registered_on else "",
    }


def import_preview(user, *, job: ImportJob) -> ImportJob:
    """Validate every row of the job with its mapping and store the result on the job (status
    previewed). ValidationFailed when the mapping itself is unusable (e.g. no column for the
    family name): nothing is counted then."""
    if not policies.may_import_in(user, job.office_id):
        raise PermissionDenied()
    fail_if_stalled(job)
    if job.status not in EDITABLE_STATUSES:
        raise ImportConflict(_("This import has already been started."))
    table = load_table(job)
    mapping = job_mapping(job)
    problems = mapping_errors(table, mapping)
    if problems:
        raise ValidationFailed(
            _("The mapping is not complete: correct it before checking the rows."),
            fields=problems,
        )
    today = timezone.localdate()
    # One pass keeps a compact line per row (key, row number, errors or None) and the first
    # valid records; the keys imported before are then looked up in batches.
    lines: list[tuple] = []
    first_records: dict[int, CaseRecord] = {}
    for row, result in checked(table, mapping, today):
        if isinstance(result, CaseRecord):
            if len(first_records) < SAMPLE_ROWS * 3:
                first_records[row.number] = result
            lines.append((record_key(row, result), row.number, None))
        else:
            lines.append((record_key(row, result), row.number, result))
    before = existing_keys(job.mission_id, [line[0] for line in lines])
    total = valid = invalid = already = repeats = error_count = 0
    errors: list[dict] = []
    sample: list[dict] = []
    already_rows: list[int] = []
    repeat_rows: list[list[int]] = []
    first_row_of: dict[str, int] = {}
    for key, number, problems in lines:
        total += 1
        if key in before:
            already += 1
            if problems is None:
                valid += 1
            if len(already_rows) < SKIPPED_KEPT:
                already_rows.append(number)
            continue
        if problems is not None:
            invalid += 1
            error_count += len(problems)
            if len(errors) < ERRORS_KEPT:
                errors.extend(error_dict(e) for e in problems[: ERRORS_KEPT - len(errors)])
            continue
        valid += 1
        if key in first_row_of:
            repeats += 1
            if len(repeat_rows) < SKIPPED_KEPT:
                repeat_rows.append([number, first_row_of[key]])
            continue
        first_row_of[key] = number
        if len(sample) < SAMPLE_ROWS and number in first_records:
            sample.append(_sample(first_records[number]))
    del lines
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.PREVIEWED,
            total=total,
            valid=valid,
            invalid=invalid,
            already_imported=already + repeats,
            error_count=error_count,
            errors=errors,
            summary={
                "sample": sample,
                "already_rows": already_rows,
                "already_count": already,
                "repeat_rows": repeat_rows,
                "repeat_count": repeats,
            },
            previewed_at=timezone.now(),
            error="",
        )
        audit_record(
            user,
            action=IMPORT_PREVIEWED,
            obj=job,
            office_id=job.office_id,
            changes={
                "rows": total,
                "valid": valid,
                "invalid": invalid,
                "already_imported": already,
                "repeats": repeats,
            },
        )
    job.refresh_from_db()
    return job


def import_errors(user, *, job: ImportJob, offset: int = 0, limit: int = 50) -> tuple[list, int]:
    """A page of the preview's errors (dicts: row, field, column, message, value) and their
    number. The first ERRORS_KEPT are stored on the job; later pages are derived again."""
    if not policies.may_import_in(user, job.office_id):
        raise PermissionDenied()
    offset, limit = max(0, int(offset)), max(1, min(500, int(limit)))
    if offset + limit <= len(job.errors) or job.error_count <= len(job.errors):
        return job.errors[offset : offset + limit], job.error_count
    table = load_table(job)
    mapping = job_mapping(job)
    today = timezone.localdate()
    found: list[dict] = []
    seen = 0
    invalid = [
        (row, result)
        for row, result in checked(table, mapping, today)
        if not isinstance(result, CaseRecord)
    ]
    before = existing_keys(job.mission_id, [record_key(r, res) for r, res in invalid])
    for row, result in invalid:
        if record_key(row, result) in before:
            continue
        for e in result:
            if seen >= offset:
                found.append(error_dict(e))
                if len(found) >= limit:
                    return found, job.error_count
            seen += 1
    return found, job.error_count
