"""Who may export what. A case list carries names, so only roles that may list cases export it
(the M&E role sees aggregates only); an export that leaves the organisation is a disclosure, so it
also needs the right to record data transfers (awda.cases.policies "transfer.record")."""

from awda.cases.policies import can


def may_export_case_list(user) -> bool:
    return can(user, "case.view")


def may_send_outside(user) -> bool:
    return may_export_case_list(user) and can(user, "transfer.record")
