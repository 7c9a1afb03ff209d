"""Who may download a project's financial reports (the IATI activity file, the donor report): the
holders of `finance.view` on the project (awda.finance.policies: finance officers, managers and
M&E officers of the project's mission).

A project outside the user's missions answers as if it did not exist (404); a project of one of
the user's missions read by another role (a caseworker, who sees projects as reference data) is a
403."""

from awda.core.errors import NotFound, PermissionDenied


def may_report_on(user, project) -> bool:
    """True when `user` may download the reports of `project`."""
    from awda.finance import policies

    return policies.may_view(user, project)


def project_for_report(user, project_id):
    """The project `project_id` for a report by `user`: NotFound when it does not exist or is
    not in one of the user's missions, PermissionDenied without `finance.view` on it."""
    from awda.accounts.selectors import user_scope
    from awda.finance.models import Project

    project = (
        Project.objects.select_related("mission")
        .filter(pk=project_id, mission_id__in=user_scope(user).mission_ids)
        .first()
    )
    if project is None:
        raise NotFound()
    if not may_report_on(user, project):
        raise PermissionDenied()
    return project
