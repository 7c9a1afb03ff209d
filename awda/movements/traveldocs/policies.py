"""Who may see and record travel documents, exit authorisations and batch lists.

Per case: "traveldocs.view" (every case role but finance) and "traveldocs.record" (caseworkers,
managers, movement officers of the case's office; a host-side act, see cases.policies). A batch
list belongs to an office: it is seen by those who hold traveldocs.view in that office, and made,
sent and answered by those who hold traveldocs.record there."""

from awda.cases.policies import can, offices_where


def may_view(user, case) -> bool:
    return can(user, "traveldocs.view", case)


def may_record(user, case) -> bool:
    return can(user, "traveldocs.record", case)


def batch_view_offices(user) -> set[int]:
    return offices_where(user, "traveldocs.view")


def batch_record_offices(user) -> set[int]:
    return offices_where(user, "traveldocs.record")


def may_record_batches(user) -> bool:
    return bool(batch_record_offices(user))


def may_record_batch(user, batch) -> bool:
    return batch.office_id in batch_record_offices(user)
