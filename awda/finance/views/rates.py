"""The exchange rates page: the recorded rates, the pairs still awaiting a rate, and for finance
officers the forms to record a rate and to import a CSV file (errors listed per line)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from awda.cases.views.submit import call_service
from awda.core.errors import ApplicationError, PermissionDenied

from .. import budget_selectors as reads
from .. import policies, services
from ..forms import RateForm, RateImportForm
from ._common import PAGE_SIZE

# ---- exchange rates -----------------------------------------------------------------------------


def _rates_context(request, *, bound: dict) -> dict:
    currency = (request.GET.get("currency") or "").upper()[:3]
    page = Paginator(reads.rate_list_for(request.user, currency=currency or None), PAGE_SIZE)
    may_record = policies.may_record_rates(request.user)
    ctx = {
        "page_obj": page.get_page(request.GET.get("page")),
        "currency": currency,
        "awaiting": reads.awaiting_currencies_for(request.user),
        "may_record": may_record,
        "open_form": bound.get("open", ""),
        "import_errors": bound.get("import_errors", []),
    }
    ctx["rates"] = ctx["page_obj"].object_list
    if may_record:
        ctx["rate_form"] = bound.get("rate_form") or RateForm(prefix="rate")
        ctx["import_form"] = bound.get("import_form") or RateImportForm(prefix="import")
    return ctx


def _render_rates(request, *, bound=None, status=200):
    return render(
        request, "finance/rate_list.html", _rates_context(request, bound=bound or {}), status=status
    )


@login_required
@require_http_methods(["GET", "POST"])
def rate_list(request):
    """The recorded rates (finance.view in some mission) and, for finance officers, the form to
    record one; the pairs still awaiting a rate are listed first."""
    if not policies.may_view_rates(request.user):
        raise DjangoPermissionDenied()
    if request.method == "GET":
        return _render_rates(request)
    if not policies.may_record_rates(request.user):
        raise DjangoPermissionDenied()
    form = RateForm(request.POST, prefix="rate")
    if form.is_valid():
        d = form.cleaned_data
        rate, status = call_service(
            form,
            lambda: services.rate_record(
                request.user,
                currency=d["currency"],
                to_currency=d["to_currency"],
                rate=d["rate"],
                valid_from=d["valid_from"],
                source=d["source"],
                replace=d["replace"],
            ),
        )
        if status is None:
            if rate.outcome == "unchanged":
                messages.info(request, _("This rate was already recorded: nothing changed."))
            else:
                messages.success(request, _("The rate is recorded."))
            if rate.converted:
                messages.info(
                    request,
                    ngettext(
                        "%(n)s charge awaiting a rate is now converted.",
                        "%(n)s charges awaiting a rate are now converted.",
                        rate.converted,
                    )
                    % {"n": rate.converted},
                )
            return redirect("finance:rate_list")
    else:
        status = 400
    return _render_rates(request, bound={"rate_form": form, "open": "rate"}, status=status)


@login_required
@require_POST
def rate_import(request):
    if not policies.may_record_rates(request.user):
        raise DjangoPermissionDenied()
    form = RateImportForm(request.POST, request.FILES, prefix="import")
    import_errors = []
    if form.is_valid():
        try:
            result = services.rates_import_csv(
                request.user, file=form.cleaned_data["file"], replace=form.cleaned_data["replace"]
            )
        except PermissionDenied:
            raise DjangoPermissionDenied() from None
        except ApplicationError as exc:
            import_errors = (exc.details or {}).get("errors", [])
            if import_errors:
                form.add_error(None, str(exc.message))
            else:
                for msgs in (exc.fields or {}).values():
                    for m in msgs:
                        form.add_error("file", str(m))
                if not exc.fields:
                    form.add_error(None, str(exc.message))
            status = 400
        else:
            messages.success(
                request,
                _(
                    "Import done: %(created)s new rates, %(replaced)s replaced, %(unchanged)s "
                    "already recorded; %(converted)s charges converted."
                )
                % result.__dict__,
            )
            return redirect("finance:rate_list")
    else:
        status = 400
    return _render_rates(
        request,
        bound={"import_form": form, "open": "import", "import_errors": import_errors},
        status=status,
    )
