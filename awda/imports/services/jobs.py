"""Uploading a file (or pulling Kobo submissions) into a new import job, editing its mapping,
and the saved sources. The mapping of a job starts from its source's saved mapping (the
suggestion fills what it does not cover), or from the suggestion alone."""

import datetime
import json
from pathlib import PurePath

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awda.accounts.models import Office
from awda.audit.services import audit_record
from awda.core.errors import ApplicationError, NotFound, PermissionDenied, ValidationFailed

from .. import policies, sealing, storage
from ..choices import EDITABLE_STATUSES, JobStatus, SourceKind
from ..contract import Mapping
from ..models import ImportJob, ImportSource
from .commit import ImportConflict, fail_if_stalled

EXTENSIONS = ("csv", "xlsx", "json")
IMPORT_UPLOADED = "imports.job.uploaded"
IMPORT_MAPPING_SAVED = "imports.job.mapping_saved"
SOURCE_CREATED = "imports.source.created"
SOURCE_UPDATED = "imports.source.updated"
SOURCE_DELETED = "imports.source.deleted"
KOBO_PULLED = "imports.source.pulled"


def max_upload_bytes() -> int:
    return getattr(settings, "AWDA_IMPORT_MAX_UPLOAD_MB", 50) * 1_048_576


def _mapping_json(mapping: Mapping) -> dict:
    from ..mapping import mapping_to_json

    return mapping_to_json(mapping)


def _from_json(data) -> Mapping:
    from ..mapping import mapping_from_json

    return mapping_from_json(data or {})


def _mapping_target_errors(mapping: Mapping) -> dict:
    from ..mapping import validate_mapping_targets

    return validate_mapping_targets(mapping)


def _initial_mapping(table, source: ImportSource | None) -> Mapping:
    """The source's saved mapping, completed by the suggestion for the targets it leaves out
    (and whose suggested column it does not use already)."""
    from ..mapping import suggest_mapping

    suggested = suggest_mapping(table)
    if source is None or not source.column_mapping:
        return suggested
    saved = _from_json(source.mapping_json())
    used = set(saved.columns.values())
    for target, column in suggested.columns.items():
        if target not in saved.columns and column not in used:
            saved.columns[target] = column
    if not saved.member_group:
        saved.member_group = suggested.member_group
    for target, values in (suggested.values or {}).items():
        saved.values.setdefault(target, values)
    for target, value in (suggested.defaults or {}).items():
        saved.defaults.setdefault(target, value)
    return saved


def _source_for(user, source, office: Office) -> ImportSource | None:
    if source is None:
        return None
    if not isinstance(source, ImportSource):
        source = ImportSource.objects.filter(pk=source).first()
    if source is None or source.mission_id not in policies.import_missions(user):
        raise ValidationFailed(fields={"source": [_("Choose one of your mission's sources.")]})
    if source.mission_id != office.mission_id:
        raise ValidationFailed(
            fields={"source": [_("This source belongs to another mission than the office.")]}
        )
    return source


def _parse_or_refuse(name: str, file_name: str):
    from ..sources import read

    try:
        with open(storage.path_of(name), "rb") as handle:
            return read(handle, file_name)
    except ApplicationError as exc:
        storage.delete(name)
        raise ValidationFailed(fields={"file": [str(exc.message)]}, code=exc.code) from None
    except Exception:
        storage.delete(name)
        raise ValidationFailed(
            fields={"file": [_("This file could not be read: upload a CSV, XLSX or Kobo file.")]}
        ) from None


def _create_job(user, *, office, source, name, file_name, size, sha256, table) -> ImportJob:
    from ._common import remember_table

    remember_table(name, sha256, table)
    mapping = _initial_mapping(table, source)
    with transaction.atomic():
        job = ImportJob.objects.create(
            mission=office.mission,
            office=office,
            source=source,
            file_path=name,
            file_name=file_name[:255],
            file_size=size,
            sha256=sha256,
            mapping=_mapping_json(mapping),
            language=translation.get_language() or settings.LANGUAGE_CODE,
            total=len(table.rows),
            requested_by=user,
        )
        if source is not None:
            ImportSource.objects.filter(pk=source.pk).update(last_used_at=timezone.now())
        audit_record(
            user,
            action=IMPORT_UPLOADED,
            obj=job,
            office_id=office.pk,
            changes={
                "file": job.file_name,
                "sha256": sha256,
                "size": size,
                "rows": len(table.rows),
                "source": source.pk if source else None,
            },
        )
    return job


def import_upload(user, *, office: Office, file, source=None, file_name: str = "") -> ImportJob:
    """A new import job from an uploaded file (CSV, XLSX, or a Kobo export: XLSX/CSV/JSON),
    stored privately with its SHA-256, parsed at once (an unreadable file is refused), its
    mapping taken from `source` (an ImportSource or its id) or suggested."""
    if office is None or not policies.may_import_in(user, office.pk):
        raise PermissionDenied(_("You may not register cases in this office."))
    if file is None:
        raise ValidationFailed(fields={"file": [_("Choose a file.")]})
    file_name = PurePath(file_name or getattr(file, "name", "") or "").name
    extension = file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in EXTENSIONS:
        raise ValidationFailed(
            fields={"file": [_("Upload a CSV, XLSX or Kobo JSON file (.csv, .xlsx, .json).")]}
        )
    source = _source_for(user, source, office)
    try:
        name, size, sha256 = storage.store(file, extension, max_bytes=max_upload_bytes())
    except ValueError:
        raise ValidationFailed(
            fields={
                "file": [
                    _("The file is larger than %(n)s MB.")
                    % {"n": getattr(settings, "AWDA_IMPORT_MAX_UPLOAD_MB", 50)}
                ]
            }
        ) from None
    if size == 0:
        storage.delete(name)
        raise ValidationFailed(fields={"file": [_("The file is empty.")]})
    table = _parse_or_refuse(name, file_name)
    if not table.rows:
        storage.delete(name)
        raise ValidationFailed(fields={"file": [_("The file has no rows to import.")]})
    try:
        return _create_job(
            user,
            office=office,
            source=source,
            name=name,
            file_name=file_name,
            size=size,
            sha256=sha256,
            table=table,
        )
    except BaseException:
        storage.delete(name)
        raise


def _editable(user, job: ImportJob) -> None:
    if not policies.may_import_in(user, job.office_id):
        raise PermissionDenied()
    fail_if_stalled(job)
    if job.status not in EDITABLE_STATUSES:
        raise ImportConflict(_("This import has already been started: its mapping is fixed."))


def import_mapping_save(
    user,
    *,
    job: ImportJob,
    mapping,
    save_to_source: bool = True,
    source_name: str = "",
) -> ImportJob:
    """Set the job's mapping (a contract.Mapping or its JSON). The rows must then be checked
    again. With `save_to_source`, the mapping is also saved to the job's source, or, for a job
    without one, to a new file source named `source_name` (when given), for the next files."""
    _editable(user, job)
    if not isinstance(mapping, Mapping):
        mapping = _from_json(mapping)
    problems = _mapping_target_errors(mapping)
    if problems:
        raise ValidationFailed(fields=problems)
    data = _mapping_json(mapping)
    source_name = (source_name or "").strip()
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            mapping=data, status=JobStatus.UPLOADED, previewed_at=None
        )
        audit_record(
            user,
            action=IMPORT_MAPPING_SAVED,
            obj=job,
            office_id=job.office_id,
            changes={"columns": len(mapping.columns), "member_group": mapping.member_group},
        )
        if save_to_source and job.source_id:
            source = ImportSource.objects.select_for_update().get(pk=job.source_id)
            _store_mapping(user, source, data)
        elif save_to_source and source_name:
            source = source_create(
                user,
                office=job.office,
                name=source_name,
                kind=SourceKind.FILE,
                mapping=data,
            )
            ImportJob.objects.filter(pk=job.pk).update(source=source)
    job.refresh_from_db()
    return job


def _store_mapping(user, source: ImportSource, data: dict) -> None:
    fields = source.set_mapping(data)
    source.save(update_fields=[*fields, "updated_at"])
    audit_record(
        user,
        action=SOURCE_UPDATED,
        obj=source,
        changes={"mapping": True, "columns": len(source.column_mapping)},
    )


# ---- sources ------------------------------------------------------------------------------------


def _clean_source(user, data: dict, *, kind: str, mission_id: int, instance=None) -> dict:
    errors: dict[str, list] = {}
    out: dict = {}
    if "name" in data or instance is None:
        name = (data.get("name") or "").strip()
        if not name:
            errors["name"] = [_("This field is required.")]
        elif len(name) > 120:
            errors["name"] = [_("At most 120 characters.")]
        out["name"] = name
    if kind == SourceKind.KOBO_API:
        from ..kobo import server_error

        moved = False
        if "kobo_url" in data or instance is None:
            url = (data.get("kobo_url") or "").strip().rstrip("/")
            if not url.startswith(("https://", "http://")):
                errors["kobo_url"] = [_("Enter the address of the Kobo server (https://...).")]
            elif problem := server_error(url):
                errors["kobo_url"] = [problem]
            out["kobo_url"] = url
            moved = instance is not None and url != (instance.kobo_url or "").rstrip("/")
        if "kobo_asset_uid" in data:
            out["kobo_asset_uid"] = (data.get("kobo_asset_uid") or "").strip()[:100]
        token = str(data.get("kobo_token") or "").strip()
        if token:
            out["kobo_token"] = sealing.seal(token)
        elif moved:
            # The saved token is for the old server: it is not sent to a new address that
            # someone else may have typed.
            errors["kobo_token"] = [
                _("The server address changed: enter the API token again for the new server.")
            ]
        elif instance is None or not instance.kobo_token:
            errors["kobo_token"] = [_("Enter the API token of the Kobo account.")]
    if errors:
        raise ValidationFailed(fields=errors)
    return out


def source_create(
    user, *, office: Office, name: str, kind: str = SourceKind.FILE, mapping=None, **kobo
) -> ImportSource:
    """A saved source of the office's mission, registering into `office` by default. A Kobo
    server source (kind kobo_api: kobo_url, kobo_asset_uid, kobo_token) is for office managers."""
    if office is None or not policies.may_import_in(user, office.pk):
        raise PermissionDenied()
    if kind not in SourceKind.values:
        raise ValidationFailed(fields={"kind": [_("Choose a valid type.")]})
    if kind == SourceKind.KOBO_API and not policies.may_manage_kobo_sources(
        user, office.mission_id
    ):
        raise PermissionDenied(_("Only office managers may save a Kobo server and its token."))
    cleaned = _clean_source(user, {"name": name, **kobo}, kind=kind, mission_id=office.mission_id)
    data = mapping if isinstance(mapping, dict) else (_mapping_json(mapping) if mapping else {})
    try:
        with transaction.atomic():
            source = ImportSource(
                mission_id=office.mission_id,
                office=office,
                kind=kind,
                created_by=user,
                **cleaned,
            )
            source.set_mapping(data)
            source.save()
            audit_record(
                user,
                action=SOURCE_CREATED,
                obj=source,
                office_id=office.pk,
                changes={
                    "name": source.name,
                    "kind": kind,
                    "kobo_url": source.kobo_url,
                    "kobo_asset_uid": source.kobo_asset_uid,
                    "token": bool(source.kobo_token),
                },
            )
    except IntegrityError:
        raise ValidationFailed(
            fields={"name": [_("A source of your mission already has this name.")]}
        ) from None
    return source


def _manage(user, source: ImportSource) -> None:
    if source.mission_id not in policies.import_missions(user):
        raise NotFound()
    if source.kind == SourceKind.KOBO_API and not policies.may_manage_kobo_sources(
        user, source.mission_id
    ):
        raise PermissionDenied(_("Only office managers may change a Kobo server source."))


def source_update(user, *, source: ImportSource, data: dict) -> ImportSource:
    """Rename a source, change its office, its Kobo server, form or token (a new token replaces
    the old one; an empty one keeps it), or its mapping ("mapping": JSON)."""
    _manage(user, source)
    cleaned = _clean_source(
        user, data, kind=source.kind, mission_id=source.mission_id, instance=source
    )
    if "office" in data and data["office"] is not None:
        office = data["office"]
        if not isinstance(office, Office):
            office = Office.objects.filter(pk=office).first()
        if (
            office is None
            or office.mission_id != source.mission_id
            or not policies.may_import_in(user, office.pk)
        ):
            raise ValidationFailed(fields={"office": [_("Choose one of your offices.")]})
        cleaned["office_id"] = office.pk
    if "mapping" in data and data["mapping"] is not None:
        mapping = data["mapping"]
        mapping = mapping if isinstance(mapping, Mapping) else _from_json(mapping)
        problems = _mapping_target_errors(mapping)
        if problems:
            raise ValidationFailed(fields=problems)
        probe = ImportSource()
        probe.set_mapping(_mapping_json(mapping))
        for field in ("column_mapping", "value_mapping", "member_group", "mapping_options"):
            cleaned[field] = getattr(probe, field)
    try:
        with transaction.atomic():
            for key, value in cleaned.items():
                setattr(source, key, value)
            source.save(update_fields=[*cleaned.keys(), "updated_at"])
            audit_record(
                user,
                action=SOURCE_UPDATED,
                obj=source,
                changes={
                    k: (True if k == "kobo_token" else v)
                    for k, v in cleaned.items()
                    if k not in ("column_mapping", "value_mapping", "mapping_options")
                },
            )
    except IntegrityError:
        raise ValidationFailed(
            fields={"name": [_("A source of your mission already has this name.")]}
        ) from None
    return source


def source_delete(user, *, source: ImportSource) -> None:
    """Delete a saved source (its jobs stay, without a source)."""
    _manage(user, source)
    with transaction.atomic():
        audit_record(user, action=SOURCE_DELETED, obj=source, changes={"name": source.name})
        source.delete()


# ---- Kobo server --------------------------------------------------------------------------------


def kobo_client_for(source: ImportSource, *, transport=None):
    from ..kobo import KoboClient

    try:
        token = sealing.unseal(source.kobo_token)
    except sealing.InvalidToken:
        raise ValidationFailed(
            fields={
                "kobo_token": [
                    _("The saved token can no longer be read: enter the API token again.")
                ]
            }
        ) from None
    return KoboClient(source.kobo_url, token, transport=transport)


def import_pull(user, *, source: ImportSource, office: Office | None = None, transport=None):
    """A new import job with the submissions of the source's Kobo form, fetched now through the
    Kobo API (awda.imports.kobo) and stored as their JSON; then the same mapping, preview and
    import as a file. The submissions imported before are skipped at import (their uuid)."""
    if source.mission_id not in policies.import_missions(user):
        raise NotFound()
    office = office or source.office
    if not policies.may_import_in(user, office.pk):
        raise PermissionDenied(_("You may not register cases in this office."))
    if source.kind != SourceKind.KOBO_API:
        raise ValidationFailed(_("This source is not a Kobo server."), code="not_kobo")
    if not source.kobo_asset_uid:
        raise ValidationFailed(fields={"kobo_asset_uid": [_("Choose the form to import.")]})
    client = kobo_client_for(source, transport=transport)
    submissions = client.submissions(source.kobo_asset_uid)
    data = json.dumps(submissions, ensure_ascii=False, default=str).encode()
    stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%d-%H%M")
    file_name = f"kobo-{source.kobo_asset_uid}-{stamp}.json"
    name, size, sha256 = storage.store_bytes(data, "json")
    table = _parse_or_refuse(name, file_name)
    audit_record(
        user,
        action=KOBO_PULLED,
        obj=source,
        office_id=office.pk,
        changes={"asset": source.kobo_asset_uid, "submissions": len(table.rows)},
    )
    if not table.rows:
        storage.delete(name)
        raise ValidationFailed(_("The form has no submissions to import."), code="no_submissions")
    try:
        return _create_job(
            user,
            office=office,
            source=source,
            name=name,
            file_name=file_name,
            size=size,
            sha256=sha256,
            table=table,
        )
    except BaseException:
        storage.delete(name)
        raise
