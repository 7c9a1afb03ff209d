"""The rapid screening's part of the readiness checklist (cases.readiness): every traveller must
have been screened in this case, since the screening is what tells which safeguards apply."""

from django.utils.translation import gettext as _

from awda.cases.readiness import Check

from .models import VulnerabilityScreening


def collect(case, travellers, on_date):
    return collect_many([(case, travellers)], on_date)


def collect_many(items, on_date):
    """Whether each traveller of many (case, travellers) pairs was screened in that case (one
    query)."""
    cases = [case for case, _members in items]
    person_ids = {m.person_id for _case, members in items for m in members}
    screened = set(
        VulnerabilityScreening.objects.filter(case__in=cases, person_id__in=person_ids).values_list(
            "case_id", "person_id"
        )
    )
    label = _("Vulnerability screening")
    out = {}
    for case, members in items:
        for m in members:
            ok = (case.pk, m.person_id) in screened
            out[m.pk] = [Check("screening.done", label, ok, "" if ok else _("not screened yet"))]
    return out
