from django.utils import timezone

from .models import Project


def project_list_for(user, *, mission_ids=None, active_only=False):
    """Projects are reference data, visible to any staff member of the project's mission."""
    from awda.accounts.selectors import user_scope

    scope = user_scope(user)
    ids = scope.mission_ids if mission_ids is None else set(mission_ids) & scope.mission_ids
    qs = Project.objects.filter(mission_id__in=ids).prefetch_related("donors", "eligible_offices")
    if active_only:
        today = timezone.localdate()
        qs = qs.filter(is_active=True, end_date__gte=today)
    return qs.order_by("-start_date", "code")


def project_rule_failures(
    project: Project, *, office_id: int, nationalities: list[str], on_date
) -> list[str]:
    """Reasons why a case with these facts does not meet the project's rules ([] when it does).

    With on_date=None only the case facts (office, nationalities) are checked, not whether the
    project is open: used when re-checking a case already approved under the project."""
    from django.utils.translation import gettext as _

    from awda.core import countries

    failures = []
    if on_date is not None and not project.is_active:
        failures.append(_("Project %(code)s is not active.") % {"code": project.code})
    if on_date is not None and not (project.start_date <= on_date <= project.end_date):
        failures.append(
            _("Project %(code)s runs from %(start)s to %(end)s.")
            % {"code": project.code, "start": project.start_date, "end": project.end_date}
        )
    office_ids = {o.id for o in project.eligible_offices.all()}
    if office_ids and office_id not in office_ids:
        failures.append(
            _("Project %(code)s does not fund cases of this office.") % {"code": project.code}
        )
    allowed = set(project.eligible_nationalities or [])
    if allowed:
        for nat in nationalities:
            if nat not in allowed:
                failures.append(
                    _("Project %(code)s does not fund returns of nationality %(nat)s.")
                    % {"code": project.code, "nat": countries.name(nat) or nat or "?"}
                )
    return failures
