"""Web pages of imports: the list (jobs and saved sources), upload, the mapping editor (columns,
household members group, value mapping), the job page (preview with its errors, the start form,
the progress bar polled with htmx, the result), the rejected-rows download, and the Kobo server
sources (form, fetch submissions).

Thin views: the policies answer 403/404 first, the services do the work and raise domain errors
shown as form errors or messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from awda.accounts.models import Office
from awda.core.errors import ApplicationError, NotFound, PermissionDenied
from awda.core.htmx import apply_error, render_page_or_fragment

from . import policies, selectors, services
from .choices import EDITABLE_STATUSES, ImportMode, JobStatus, SourceKind
from .forms import VALUES_SHOWN, KoboSourceForm, StartForm, UploadForm, mapping_from_post

JOBS_PER_PAGE = 25
ERRORS_PER_PAGE = 50


def _require_importer(user):
    if not policies.may_import(user):
        raise DjangoPermissionDenied()


def _job_or_404(request, pk):
    try:
        return selectors.import_job_get_for(request.user, pk)
    except NotFound:
        raise Http404() from None


def _source_or_404(request, pk):
    try:
        return selectors.import_source_get_for(request.user, pk)
    except NotFound:
        raise Http404() from None


def _offices(user):
    return Office.objects.filter(pk__in=policies.import_offices(user)).select_related("mission")


@login_required
@require_GET
def import_list(request):
    """Imports of my offices, newest first, and the saved sources of my missions."""
    _require_importer(request.user)
    page_obj = Paginator(selectors.import_job_list_for(request.user), JOBS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    sources = list(selectors.import_source_list_for(request.user))
    return render(
        request,
        "imports/list.html",
        {
            "page_obj": page_obj,
            "jobs": page_obj.object_list,
            "sources": sources,
            "manages_kobo": any(
                policies.may_manage_kobo_sources(request.user, m)
                for m in policies.import_missions(request.user)
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request):
    """Upload a file; then the mapping editor."""
    user = request.user
    _require_importer(user)
    offices = list(_offices(user))
    sources = list(selectors.import_source_list_for(user))
    status = 200
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, offices=offices, sources=sources)
        if form.is_valid():
            d = form.cleaned_data
            office = next(o for o in offices if str(o.pk) == d["office"])
            try:
                job = services.import_upload(
                    user,
                    office=office,
                    file=d["file"],
                    source=int(d["source"]) if d["source"] else None,
                )
            except PermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from None
            except ApplicationError as exc:
                apply_error(form, exc)
                status = 400
            else:
                return redirect("imports:mapping", job.pk)
        else:
            status = 400
    else:
        initial = {}
        if request.GET.get("source"):
            initial["source"] = request.GET["source"]
        form = UploadForm(offices=offices, sources=sources, initial=initial)
    return render(request, "imports/new.html", {"form": form}, status=status)


def _mapping_context(job, mapping=None, errors=None):
    from .mapping import mapping_from_json, mapping_problems, target_choices
    from .services._common import load_table
    from .values import CHOICE_TARGETS, choices_for, distinct_values

    table = load_table(job)
    mapping = mapping or mapping_from_json(job.mapping)
    member_columns = (
        table.child_columns.get(mapping.member_group, []) if mapping.member_group else []
    )
    rows = []
    for target, label in target_choices():
        is_member = target.startswith("member.")
        rows.append(
            {
                "target": target,
                "label": label,
                "group": target.split(".")[0],
                "column": mapping.columns.get(target, ""),
                "columns": member_columns if is_member else table.columns,
                "default": mapping.defaults.get(target, ""),
            }
        )
    value_editors = []
    for target, label in target_choices():
        if target not in CHOICE_TARGETS or not mapping.columns.get(target):
            continue
        if CHOICE_TARGETS[target] == "languages":
            continue  # languages are read word by word; their values are not mapped one by one
        distinct = distinct_values(table, mapping, target)
        options = [
            ("true" if v is True else "false" if v is False else v, lbl)
            for v, lbl in choices_for(target)
        ]
        value_editors.append(
            {
                "target": target,
                "label": label,
                "values": [
                    {
                        "value": d.value,
                        "count": d.count,
                        "auto": d.auto,
                        "mapped": (
                            "true"
                            if d.mapped is True
                            else "false"
                            if d.mapped is False
                            else d.mapped
                        )
                        or "",
                        "result": d.result,
                    }
                    for d in distinct[:VALUES_SHOWN]
                ],
                "more": max(0, len(distinct) - VALUES_SHOWN),
                "options": options,
                "labels": dict(options),
            }
        )
    return {
        "job": job,
        "table": table,
        "mapping": mapping,
        "rows": rows,
        "groups": list(table.child_columns),
        "value_editors": value_editors,
        "problems": errors if errors is not None else mapping_problems(table, mapping),
    }


@login_required
@require_http_methods(["GET", "POST"])
def import_mapping(request, pk):
    """The mapping editor. POST saves the mapping (and, if asked, to the source) and checks every
    row: then the job page shows the preview. With "refresh" it only redraws the editor (after a
    change of the members group)."""
    job = _job_or_404(request, pk)
    user = request.user
    if not policies.may_import_in(user, job.office_id):
        raise DjangoPermissionDenied()
    if job.status not in EDITABLE_STATUSES:
        return redirect("imports:detail", job.pk)
    from .contract import ALL_TARGETS
    from .mapping import mapping_from_json

    status = 200
    mapping = None
    errors = None
    if request.method == "POST":
        mapping, save_to_source, source_name = mapping_from_post(
            request.POST, ALL_TARGETS, mapping_from_json(job.mapping)
        )
        if "refresh" not in request.POST:
            try:
                job = services.import_mapping_save(
                    user,
                    job=job,
                    mapping=mapping,
                    save_to_source=save_to_source,
                    source_name=source_name,
                )
                services.import_preview(user, job=job)
            except PermissionDenied:
                raise DjangoPermissionDenied() from None
            except ApplicationError as exc:
                errors = [str(exc.message)] + [
                    f"{k}: {m}" if k not in ("mapping", "__all__") else str(m)
                    for k, msgs in exc.fields.items()
                    for m in msgs
                ]
                status = 400
                job.refresh_from_db()
            else:
                return redirect("imports:detail", job.pk)
    context = _mapping_context(job, mapping, errors)
    return render_page_or_fragment(
        request, "imports/mapping.html", "imports/_mapping_form.html", context, status=status
    )


@login_required
@require_GET
def import_detail(request, pk):
    """The job: its preview (counts, first rows, errors page by page, the start form), its
    progress while it runs (htmx polls the fragment), its result."""
    job = _job_or_404(request, pk)
    services.fail_if_stalled(job)
    if job.status == JobStatus.UPLOADED:
        return redirect("imports:mapping", job.pk)
    try:
        page = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page = 1
    errors, error_count = [], job.error_count
    if job.status in (JobStatus.PREVIEWED, JobStatus.FAILED) and job.error_count:
        errors, error_count = services.import_errors(
            request.user, job=job, offset=(page - 1) * ERRORS_PER_PAGE, limit=ERRORS_PER_PAGE
        )
    pages = max(1, -(-error_count // ERRORS_PER_PAGE))
    from .selectors import import_job_cases

    context = {
        "job": job,
        "errors": errors,
        "error_page": page,
        "error_pages": pages,
        "start_form": StartForm(
            initial={"mode": ImportMode.VALID_ONLY if job.invalid else ImportMode.ALL_OR_NOTHING}
        ),
        "created_cases": list(import_job_cases(job)[:20]) if job.status == JobStatus.DONE else [],
    }
    fragment = "imports/_progress.html"
    if request.GET.get("errors"):
        fragment = "imports/_errors.html"
    return render_page_or_fragment(request, "imports/detail.html", fragment, context)


@login_required
@require_POST
def import_start(request, pk):
    job = _job_or_404(request, pk)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose how to import."))
        return redirect("imports:detail", job.pk)
    try:
        services.import_request(request.user, job=job, mode=form.cleaned_data["mode"])
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect("imports:detail", job.pk)


@login_required
@require_GET
def import_rejected(request, pk):
    job = _job_or_404(request, pk)
    try:
        handle = services.import_open_rejected(request.user, job=job)
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("imports:detail", job.pk)
    from .services.files import rejected_content_type

    return FileResponse(
        handle,
        as_attachment=True,
        filename=services.rejected_download_name(job),
        content_type=rejected_content_type(job),
    )


# ---- Kobo server sources ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def kobo_source_form(request, pk=None):
    """Create (managers) or edit a Kobo server source."""
    user = request.user
    _require_importer(user)
    source = _source_or_404(request, pk) if pk else None
    offices = list(_offices(user))
    status = 200
    if request.method == "POST":
        form = KoboSourceForm(request.POST, offices=offices)
        if form.is_valid():
            d = form.cleaned_data
            office = next(o for o in offices if str(o.pk) == d["office"])
            try:
                if source is None:
                    source = services.source_create(
                        user,
                        office=office,
                        name=d["name"],
                        kind=SourceKind.KOBO_API,
                        kobo_url=d["kobo_url"],
                        kobo_asset_uid=d["kobo_asset_uid"],
                        kobo_token=d["kobo_token"],
                    )
                else:
                    services.source_update(
                        user,
                        source=source,
                        data={
                            "name": d["name"],
                            "office": office,
                            "kobo_url": d["kobo_url"],
                            "kobo_asset_uid": d["kobo_asset_uid"],
                            "kobo_token": d["kobo_token"],
                        },
                    )
            except PermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from None
            except ApplicationError as exc:
                apply_error(form, exc)
                status = 400
            else:
                messages.success(request, _("Source saved."))
                return redirect("imports:list")
        else:
            status = 400
    else:
        initial = {}
        if source is not None:
            initial = {
                "name": source.name,
                "office": source.office_id,
                "kobo_url": source.kobo_url,
                "kobo_asset_uid": source.kobo_asset_uid,
            }
        form = KoboSourceForm(offices=offices, initial=initial)
    # Listing the account's forms calls the server with the saved token: for the users who may
    # manage the source (office managers), as changing it is.
    manages = source is not None and policies.may_manage_kobo_sources(user, source.mission_id)
    assets = None
    if source is not None and request.GET.get("assets"):
        if not manages:
            raise DjangoPermissionDenied()
        if source.has_token:
            try:
                assets = services.kobo_client_for(source).assets()
            except ApplicationError as exc:
                messages.error(request, str(exc.message))
    return render(
        request,
        "imports/kobo_source.html",
        {"form": form, "source": source, "assets": assets, "manages": manages},
        status=status,
    )


@login_required
@require_POST
def kobo_pull(request, pk):
    """Fetch the submissions of a Kobo server source into a new import (then its mapping)."""
    source = _source_or_404(request, pk)
    try:
        job = services.import_pull(request.user, source=source)
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
        return redirect("imports:list")
    return redirect("imports:mapping", job.pk)


@login_required
@require_POST
def source_delete(request, pk):
    source = _source_or_404(request, pk)
    try:
        services.source_delete(request.user, source=source)
    except PermissionDenied:
        raise DjangoPermissionDenied() from None
    messages.success(request, _("Source deleted."))
    return redirect("imports:list")
