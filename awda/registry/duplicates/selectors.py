"""Scoped reads of the duplicates review: the queue, a pair side by side, the merges, the runs.

Everything is scoped to the missions where the user may review (policies.may_view); "not yours"
and "does not exist" are the same NotFound."""

import datetime
from collections import defaultdict

from django.apps import apps
from django.db.models import Count, Prefetch, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from awda.cases.models import CaseMember
from awda.core import countries
from awda.core.errors import NotFound
from awda.registry import matching
from awda.registry.choices import LANGUAGES, Sex
from awda.registry.models import IdentityDocument, Person
from awda.registry.reasons import reasons_payload

from . import policies
from .choices import ItemAction, PairStatus
from .merging import FILL_FIELDS, survivor_fill
from .models import DetectionRun, DuplicatePair, PersonMerge


def _missions(user, mission=None) -> set[int]:
    missions = policies.missions_with(user, "duplicates.view")
    if mission not in (None, ""):
        try:
            missions &= {int(getattr(mission, "pk", mission))}
        except (TypeError, ValueError):
            return set()
    return missions


def score_band_q(band: str | None) -> Q:
    if band == "likely":
        return Q(score__gte=matching.LIKELY_THRESHOLD)
    if band == "possible":
        return Q(score__lt=matching.LIKELY_THRESHOLD)
    return Q()


def pair_queryset_for(user, *, mission=None):
    return DuplicatePair.objects.filter(mission_id__in=_missions(user, mission))


def pair_list_for(user, *, status=PairStatus.OPEN, band=None, source=None, mission=None):
    """The queue: pairs of the user's missions, highest score first."""
    qs = pair_queryset_for(user, mission=mission)
    if status:
        qs = qs.filter(status=status)
    if source:
        qs = qs.filter(source=source)
    qs = qs.filter(score_band_q(band))
    return qs.select_related(
        "person_a", "person_b", "person_a__registered_by_office", "person_b__registered_by_office"
    ).order_by("-score", "-id")


def pair_counts_for(user, *, band=None, source=None, mission=None) -> dict[str, int]:
    """{status: number of pairs} with the other filters applied (one query)."""
    qs = pair_queryset_for(user, mission=mission).filter(score_band_q(band))
    if source:
        qs = qs.filter(source=source)
    rows = dict(qs.values_list("status").annotate(n=Count("id")).order_by())
    return {s: rows.get(s, 0) for s in PairStatus.values}


def pair_get_for(user, pk) -> DuplicatePair:
    try:
        return (
            pair_queryset_for(user)
            .select_related("person_a", "person_b", "mission", "decided_by", "run")
            .get(pk=pk)
        )
    except (DuplicatePair.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def pair_match(pair: DuplicatePair) -> matching.Match:
    reasons = tuple(
        matching.Reason(
            code=r.get("code", ""), params=dict(r.get("params") or {}), weight=r.get("weight", 0.0)
        )
        for r in pair.reasons or []
    )
    return matching.Match(score=pair.score, reasons=reasons)


def pair_reasons(pair: DuplicatePair) -> list[dict]:
    """[{code, params, text, weight}], strongest first, translated in the active language."""
    return reasons_payload(pair_match(pair))


def persons_side_by_side(pair: DuplicatePair, user) -> list[Person]:
    """The pair's two persons (a, then b) with their identity documents and the cases they are
    a member of that `user` may see (policies.case_scope: number, status, office,
    relationship), as `memberships`; `hidden_cases`: how many other cases they are members of
    (another mission's, which a merge by this user is refused for). Four queries."""
    scope = policies.case_scope(user, pair.mission_id)
    memberships = (
        CaseMember.objects.filter(case__in=scope)
        .select_related("case", "case__office")
        .order_by("-case__registered_on", "-case_id")
    )
    persons = {
        p.pk: p
        for p in Person.objects.filter(pk__in=[pair.person_a_id, pair.person_b_id])
        .select_related("registered_by_office", "merged_into")
        .prefetch_related(
            Prefetch("documents", queryset=IdentityDocument.objects.order_by("doc_type", "pk")),
            Prefetch("case_memberships", queryset=memberships, to_attr="memberships"),
        )
    }
    hidden: dict[int, int] = defaultdict(int)
    for person_id, _n in (
        CaseMember.objects.filter(person_id__in=list(persons))
        .exclude(case__in=scope)
        .values_list("person_id", "case_id")
        .distinct()
    ):
        hidden[person_id] += 1
    for person in persons.values():
        person.hidden_cases = hidden[person.pk]
    return [persons[pair.person_a_id], persons[pair.person_b_id]]


def shared_cases(persons: list[Person]) -> list:
    """Cases both persons are members of (a merge is refused then)."""
    a, b = persons
    b_cases = {m.case_id for m in b.memberships}
    return [m.case for m in a.memberships if m.case_id in b_cases]


def pair_merge(pair: DuplicatePair):
    """The merge made from this pair that is not undone, if any."""
    return pair.merges.filter(undone_at__isnull=True).order_by("-pk").first()


# ---- merges -------------------------------------------------------------------------------------


def merge_list_for(user, *, mission=None, undone=None):
    qs = PersonMerge.objects.filter(mission_id__in=_missions(user, mission))
    if undone is True:
        qs = qs.filter(undone_at__isnull=False)
    elif undone is False:
        qs = qs.filter(undone_at__isnull=True)
    return (
        qs.select_related("survivor", "merged", "merged_by", "undone_by", "pair")
        .annotate(item_count=Count("items"))
        .order_by("-merged_at", "-id")
    )


def merge_get_for(user, pk) -> PersonMerge:
    try:
        return (
            PersonMerge.objects.filter(mission_id__in=_missions(user))
            .select_related("survivor", "merged", "merged_by", "undone_by", "pair", "mission")
            .get(pk=pk)
        )
    except (PersonMerge.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def merge_item_groups(merge: PersonMerge, user) -> list[dict]:
    """The rows a merge changed, grouped by kind of record: [{label, verbose_name, field,
    action, removed, restricted, count, pks}] (one query). The rows of a restricted category
    `user` may not see (policies.label_visibility) are one last neutral group ("Restricted
    records": no label, no kind, no primary key, only how many)."""
    visible = policies.label_visibility(user, merge.mission_id)
    groups: dict[tuple, list[str]] = defaultdict(list)
    hidden = 0
    for label, field, action, pk in merge.items.values_list(
        "model_label", "field_name", "action", "object_pk"
    ).order_by("model_label", "field_name", "id"):
        if visible(label):
            groups[(label, field, action)].append(pk)
        else:
            hidden += 1
    out = []
    for (label, field, action), pks in groups.items():
        try:
            model = apps.get_model(label)
            name = str(model._meta.verbose_name_plural)
            if model._meta.auto_created:  # a many-to-many link: name it after its owner
                owner = [
                    f for f in model._meta.concrete_fields if f.name != field and f.is_relation
                ]
                if owner:
                    name = str(owner[0].related_model._meta.verbose_name_plural)
        except LookupError:
            name = label
        out.append(
            {
                "label": label,
                "verbose_name": name,
                "field": field,
                "action": action,
                "removed": action == ItemAction.REMOVED,
                "restricted": False,
                "count": len(pks),
                "pks": pks,
            }
        )
    if hidden:
        out.append(
            {
                "label": "",
                "verbose_name": _("Restricted records"),
                "field": "",
                "action": "",
                "removed": False,
                "restricted": True,
                "count": hidden,
                "pks": [],
            }
        )
    return out


def merge_items_for(merge: PersonMerge, user) -> tuple[list, int]:
    """(the MergedItems of the merge `user` may see as what they are, how many others: records
    of a restricted category, policies.label_visibility). Uses a prefetch of `items` if any."""
    visible = policies.label_visibility(user, merge.mission_id)
    shown, hidden = [], 0
    for item in merge.items.all():
        if visible(item.model_label):
            shown.append(item)
        else:
            hidden += 1
    return shown, hidden


def _fill_text(field: str, value) -> str:
    if field == "date_of_birth":
        if isinstance(value, str):
            value = datetime.date.fromisoformat(value)
        return date_format(value, "SHORT_DATE_FORMAT")
    if field == "sex":
        return str(Sex(value).label) if value in Sex.values else str(value)
    if field == "nationality":
        return countries.name(value) or value
    if field == "languages":
        labels = dict(LANGUAGES)
        return ", ".join(str(labels.get(code, code)) for code in value or [])
    return str(value)


def filled_rows(values: dict) -> list[dict]:
    """What a merge fills on the survivor (merging.survivor_fill, or a merge's
    `survivor_filled`), for display in the order of FILL_FIELDS: [{field, label, text}]."""
    return [
        {
            "field": field,
            "label": str(Person._meta.get_field(field).verbose_name),
            "text": _fill_text(field, values[field]),
        }
        for field in FILL_FIELDS
        if field in (values or {})
    ]


def merge_fills(persons: list[Person]) -> list[dict]:
    """For each choice of the record kept (a, then b): {survivor, merged, filled}, `filled` being
    what the merge would fill on the record kept from the other one (merging.survivor_fill, the
    function the merge uses)."""
    a, b = persons
    return [
        {"survivor": keep, "merged": gone, "filled": survivor_fill(keep, gone)}
        for keep, gone in ((a, b), (b, a))
    ]


def merge_fill_previews(persons: list[Person]) -> list[dict]:
    """For each choice of the record kept (a, then b): {survivor, merged, rows}, the rows being
    what the merge would fill on the record kept from the other one (the same function as the
    merge, so the preview and the merge agree)."""
    return [{**fill, "rows": filled_rows(fill["filled"])} for fill in merge_fills(persons)]


# ---- runs ---------------------------------------------------------------------------------------


def run_list_for(user, *, mission=None):
    return (
        DetectionRun.objects.filter(mission_id__in=_missions(user, mission))
        .select_related("mission", "requested_by")
        .order_by("-created_at", "-id")
    )


def run_get_for(user, pk) -> DetectionRun:
    try:
        return run_list_for(user).get(pk=pk)
    except (DetectionRun.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def missions_for(user, action: str = "duplicates.view"):
    from awda.accounts.models import Mission

    return Mission.objects.filter(pk__in=policies.missions_with(user, action)).order_by("name")
