"""The health part of the readiness checklist (cases.readiness, the `travel_safeguards` gate of
mark_ready and book): a traveller who needs a fitness-to-travel decision travels only with a fit
(or fit with escort) decision valid on the day.

The check is not restricted: its label and detail say nothing medical ("no decision", "pending",
"unfit", "expired on ...", "valid until ...")."""

import datetime

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from awda.cases.readiness import Check

from . import selectors
from .choices import FIT_OUTCOMES, UNRESOLVED_NEED_STATUSES, FitnessOutcome

# Rapid screening factors that call for a fitness-to-travel decision.
HEALTH_FACTORS = ("health_needs", "pregnancy", "disability")


def fitness_required(screening, *, has_unresolved_need: bool, has_decision: bool) -> bool:
    """Does a traveller need a fitness-to-travel decision? Yes when their current rapid screening
    found health needs, pregnancy or a disability, when a medical need of theirs is not resolved,
    or when a decision was ever made for them (an unfit or pending one must not be forgotten).
    Pure: `screening` is the current screening or None."""
    if has_unresolved_need or has_decision:
        return True
    return screening is not None and any(getattr(screening, f, False) for f in HEALTH_FACTORS)


def _day(value: datetime.date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def fitness_check(status, on_date: datetime.date) -> Check:
    """The check for one traveller from their current decision (selectors.FitnessStatus or None)."""
    label = _("Fitness to travel")
    if status is None:
        return Check("health.fitness", label, False, _("no decision"))
    if status.outcome == FitnessOutcome.PENDING:
        return Check("health.fitness", label, False, _("pending"))
    if status.outcome not in FIT_OUTCOMES:
        return Check("health.fitness", label, False, _("unfit"))
    if on_date > status.valid_until:
        expired = status.valid_until + datetime.timedelta(days=1)
        return Check(
            "health.fitness", label, False, _("expired on %(date)s") % {"date": _day(expired)}
        )
    if on_date < status.decided_on:
        return Check(
            "health.fitness",
            label,
            False,
            _("valid from %(date)s") % {"date": _day(status.decided_on)},
        )
    detail = _("valid until %(date)s") % {"date": _day(status.valid_until)}
    if status.outcome == FitnessOutcome.FIT_WITH_ESCORT:
        detail = _("%(detail)s, with escort") % {"detail": detail}
    return Check("health.fitness", label, True, detail)


def collect(case, travellers, on_date):
    """Three queries whatever the number of travellers: current screenings, unresolved needs,
    current fitness decisions (collect_many for this one case)."""
    return collect_many([(case, travellers)], on_date)


def collect_many(items, on_date):
    """The fitness checks of many (case, travellers) pairs at once: three queries for every case
    together (current screenings, unresolved needs, current fitness decisions)."""
    from awda.screening.models import VulnerabilityScreening

    from .models import FitnessToTravel, MedicalNeed

    cases = [case for case, _members in items]
    person_ids = {m.person_id for _case, members in items for m in members}
    screenings: dict = {}
    for s in VulnerabilityScreening.objects.filter(
        case__in=cases, person_id__in=person_ids
    ).order_by("-created_at", "-id"):
        screenings.setdefault((s.case_id, s.person_id), s)
    unresolved = set(
        MedicalNeed.objects.filter(
            case__in=cases, person_id__in=person_ids, status__in=UNRESOLVED_NEED_STATUSES
        ).values_list("case_id", "person_id")
    )
    current: dict = {}
    for d in FitnessToTravel.objects.filter(case__in=cases, person_id__in=person_ids).order_by(
        "-created_at", "-id"
    ):
        current.setdefault((d.case_id, d.person_id), d)
    out = {}
    for case, members in items:
        for m in members:
            key = (case.pk, m.person_id)
            d = current.get(key)
            status = selectors.FitnessStatus.of(d, on_date) if d is not None else None
            if fitness_required(
                screenings.get(key),
                has_unresolved_need=key in unresolved,
                has_decision=status is not None,
            ):
                out[m.pk] = [fitness_check(status, on_date)]
    return out
