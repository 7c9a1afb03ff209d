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
    project: Project,
    *,
    office_id: int,
    nationalities: list[str],
    on_date,
    flags=None,
    principal=None,
) -> list[str]:
    """Reasons why a case with these facts does not meet the project's rules ([] when it does).

    With on_date=None only the case facts (office, nationalities, vulnerabilities) are checked,
    not whether the project is open: used when re-checking a case already approved under the
    project. `flags`: the screening flags of the case's members (their current screenings; a
    case qualifies when one of them has one of the project's eligible vulnerabilities); None
    leaves the vulnerability rule unchecked. `principal`: the principal applicant (a Person),
    whose age on `on_date` (today when None) must be within the project's minimum and maximum;
    None leaves the age rules unchecked."""
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
    wanted = list(project.eligible_vulnerabilities or [])
    if wanted and flags is not None and not set(wanted) & set(flags):
        failures.append(
            _(
                "Project %(code)s funds only cases where a member has one of these "
                "vulnerabilities at screening: %(flags)s."
            )
            % {"code": project.code, "flags": ", ".join(_flag_labels(wanted))}
        )
    if principal is not None and (project.min_age is not None or project.max_age is not None):
        day = on_date or timezone.localdate()
        age = principal.age_on(day)
        low, high = project.min_age, project.max_age
        if low is not None and high is not None:
            ages = _("from %(min)s to %(max)s years old") % {"min": low, "max": high}
        elif low is not None:
            ages = _("%(min)s years old or more") % {"min": low}
        else:
            ages = _("%(max)s years old or less") % {"max": high}
        if age is None:
            failures.append(
                _(
                    "Project %(code)s funds principal applicants %(ages)s: the principal "
                    "applicant's age is unknown (record the date or year of birth)."
                )
                % {"code": project.code, "ages": ages}
            )
        elif (low is not None and age < low) or (high is not None and age > high):
            failures.append(
                _(
                    "Project %(code)s funds principal applicants %(ages)s; the principal "
                    "applicant is %(age)s on %(day)s."
                )
                % {"code": project.code, "ages": ages, "age": age, "day": day.isoformat()}
            )
    return failures


def _flag_labels(codes) -> list[str]:
    """Screening flags by their label; a restricted one (trafficking) only as a protection
    category: the message is seen by every role on the case."""
    from awda.screening.factors import RESTRICTED_FLAGS, Flag

    labels = []
    for code in codes:
        if code in RESTRICTED_FLAGS:
            label = str(Flag.PROTECTION_REFERRAL.label)
        else:
            label = str(Flag(code).label) if code in Flag.values else code
        if label not in labels:
            labels.append(label)
    return labels
