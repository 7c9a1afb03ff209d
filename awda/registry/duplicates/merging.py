"""Merging two records of the same person, and undoing it.

`persons_merge` moves every reference to the merged person to the survivor, generically: each
foreign key to Person in any app (cases and their principal, case memberships, screenings,
consents and the persons of data transfers, child protection, trafficking, health, travel
documents, assistance, bookings, reintegration, cost charges, identity documents, attachments,
and whatever app adds one later) is found from Person's relations, and each row moved is recorded
(MergedItem: model, primary key, field). Not moved: the audit trail (its person ids are history:
the merge is recorded there instead), the engine's match keys (derived: rebuilt for both
persons), the review's own pairs and merges, and the `merged_into` marks of persons merged earlier
(they follow the chain).

Refused (ValidationFailed with a code) when the pair is not open (`pair_not_open`), when either
person was already merged (`person_already_merged`), when both are members of one case
(`same_case`: members of one household are different people, such as siblings or twins), when
the survivor is not one of the pair (`invalid_survivor`), or when moving a row would break a
unique rule of its table (`merge_conflict`, naming the record, or "a restricted record" when
the user may not see its category), or when either person belongs to a case the user may not
see (`cases_out_of_scope`: a case of another mission, policies.case_scope); a stale version is
StaleEdit. A many-to-many link the survivor already has (both persons named in one data transfer) is
removed from the merged person instead and recorded, so the undo puts it back.

The survivor's empty details (sex, date or year of birth, nationality, phone, Arabic name,
address, city, languages) are filled from the merged person (`survivor_fill`, a pure function the
merge page's preview uses too), never overwriting a value the survivor has; the merge records
what it filled (`PersonMerge.survivor_filled`) and what was there before.

`merge_undo` moves exactly the recorded rows back, puts back the removed links, removes the
aliases the merge added, empties the details it filled that are still as filled (one changed
since is left and listed in the audit), clears `merged_into` and reopens the pair (and the pairs
the merge closed). A recorded row deleted since, or pointed elsewhere since, is left as it is
and listed in the audit (the undo never overwrites a later change); a unique rule that moving
back would break refuses the undo (`undo_conflict`), as does a survivor merged into someone else
since (`survivor_merged`: undo that merge first), and a case to move back that the user may not
see (`cases_out_of_scope`).

Records of a restricted category (trafficking, child protection, health, consent:
awda.cases.restricted) move like the others, but the audit events (shown on the timeline of
every case of the survivor, to every role) only count them together (`restricted`); MergedItem
keeps their detail."""

from collections import defaultdict

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from awda.audit.services import audit_record, snapshot
from awda.cases.models import Case, CaseMember
from awda.cases.restricted import model_permission
from awda.core.errors import PermissionDenied, StaleEdit, ValidationFailed
from awda.core.text import fold
from awda.registry.choices import Sex
from awda.registry.match_keys import match_keys_refresh
from awda.registry.models import Person
from awda.registry.services import PERSON_FIELDS, person_update

from . import policies
from .choices import ClosedReason, ItemAction, PairStatus
from .models import DuplicatePair, MergedItem, PersonMerge

MERGED = "duplicates.person.merged"
MERGED_INTO = "duplicates.person.merged_into"
MERGE_UNDONE = "duplicates.person.merge_undone"
CASE_PERSON_MERGED = "duplicates.case.person_merged"
CASE_MERGE_UNDONE = "duplicates.case.merge_undone"

# Relations to Person that a merge never moves (see the module docstring).
SKIPPED_APPS = frozenset({"duplicates", "audit"})
SKIPPED_RELATIONS = frozenset(
    {("registry.PersonMatchKey", "person"), ("registry.Person", "merged_into")}
)
OTHER_NAMES_MAX = Person._meta.get_field("other_names").max_length
# The survivor's details a merge fills from the merged person when the survivor has none. Not the
# names (they become aliases), not the registering office.
FILL_FIELDS = (
    "sex",
    "date_of_birth",
    "birth_year",
    "nationality",
    "phone",
    "name_arabic",
    "address",
    "city",
    "languages",
)
NOTE_MAX = 2000
BATCH = 500


# ---- relations ----------------------------------------------------------------------------------


def person_relations() -> list[tuple[type[models.Model], models.ForeignKey]]:
    """Every (model, foreign key) pointing to Person that a merge moves, in a fixed order.
    Many-to-many relations appear as the foreign key of their through model."""
    out = []
    for rel in Person._meta.get_fields(include_hidden=True):
        if not (rel.is_relation and rel.auto_created and not rel.concrete) or rel.many_to_many:
            continue
        model, field = rel.related_model, rel.field
        if model._meta.app_label in SKIPPED_APPS:
            continue
        if (model._meta.label, field.name) in SKIPPED_RELATIONS:
            continue
        out.append((model, field))
    return sorted(out, key=lambda mf: (mf[0]._meta.label, mf[1].name))


def _unique_sets(model, field):
    """(field names, condition) of the model's unique rules that include `field`."""
    sets = []
    if field.unique:
        sets.append(((field.name,), None))
    for together in model._meta.unique_together:
        if field.name in together:
            sets.append((tuple(together), None))
    for constraint in model._meta.constraints:
        fields = getattr(constraint, "fields", ())
        if isinstance(constraint, models.UniqueConstraint) and field.name in (fields or ()):
            sets.append((tuple(fields), constraint.condition))
    return sets


def _conflicts(model, field, *, source_id, target_id, pks=None) -> list[models.Model]:
    """Rows pointing to `source_id` (among `pks` when given) that would duplicate a row of
    `target_id` under one of the model's unique rules if moved."""
    found = {}
    for names, condition in _unique_sets(model, field):
        others = [model._meta.get_field(n) for n in names if n != field.name]
        rows = model._base_manager.filter(**{field.attname: source_id})
        if pks is not None:
            rows = rows.filter(pk__in=pks)
        if condition is not None:
            rows = rows.filter(condition)
        for row in rows:
            values = {f.attname: getattr(row, f.attname) for f in others}
            if any(v is None for v in values.values()):
                continue  # NULLs never collide
            twins = model._base_manager.filter(**{field.attname: target_id}, **values)
            if condition is not None:
                twins = twins.filter(condition)
            if twins.exists():
                found[row.pk] = row
    return list(found.values())


def _restricted(label: str) -> bool:
    """Is the model `label` in a restricted category (trafficking, child protection, health,
    consent: awda.cases.restricted)?"""
    return model_permission(label) is not None


def _describe(row, visible=None) -> str:
    """A record named in a refusal: "kind #pk (text)", or a neutral phrase for a record of a
    restricted category the user may not see (`visible`: policies.label_visibility)."""
    if visible is not None and not visible(row._meta.label):
        return _("a restricted record")
    try:
        text = str(row)
    except Exception:  # noqa: BLE001 - a __str__ needing relations that are gone
        text = ""
    return f"{row._meta.verbose_name} #{row.pk}" + (f" ({text})" if text else "")


def _touch_values(model) -> dict:
    """Extra values set on every moved row: a new version (a stale edit of the row is then
    refused) and the update time."""
    values = {}
    names = {f.name for f in model._meta.concrete_fields}
    if "version" in names:
        values["version"] = F("version") + 1
    if "updated_at" in names:
        values["updated_at"] = timezone.now()
    return values


def _move(model, field, pks, target_id) -> None:
    for i in range(0, len(pks), BATCH):
        model._base_manager.filter(pk__in=pks[i : i + BATCH]).update(
            **{field.attname: target_id}, **_touch_values(model)
        )


# ---- helpers ------------------------------------------------------------------------------------


def _split_names(value: str) -> list[str]:
    return [n.strip() for n in (value or "").split(",") if n.strip()]


def _aliases_for(survivor: Person, merged: Person, *, name_arabic: str = "") -> list[str]:
    """The merged person's names the survivor does not have yet, as aliases that fit.
    `name_arabic`: the survivor's Arabic name after the merge (when it is filled from the merged
    person, it is no alias)."""
    have = {fold(f"{survivor.given_name} {survivor.family_name}")}
    have |= {fold(n) for n in _split_names(survivor.other_names)}
    for arabic in (survivor.name_arabic, name_arabic):
        if arabic:
            have.add(arabic.strip())
    candidates = [f"{merged.given_name} {merged.family_name}".strip()]
    candidates += _split_names(merged.other_names)
    if merged.name_arabic:
        candidates.append(merged.name_arabic.strip())
    current = _split_names(survivor.other_names)
    added = []
    for name in candidates:
        key = fold(name) or name
        if not name or key in have:
            continue
        if len(", ".join([*current, *added, name])) > OTHER_NAMES_MAX:
            continue  # what does not fit stays in the merge's snapshot of the merged person
        added.append(name)
        have.add(key)
    return added


EMPTY = {"date_of_birth": None, "birth_year": None, "languages": []}


def _empty(field: str, value) -> bool:
    if field == "sex":
        return value in (None, "", Sex.UNKNOWN)
    return value is None or value == "" or value == []


def survivor_fill(survivor: Person, merged: Person) -> dict:
    """What a merge fills on `survivor` from `merged`: {field: the merged person's value} for
    each detail of FILL_FIELDS the survivor has empty and the merged person has (an unknown sex
    counts as empty). A copied date of birth brings its "estimated" flag (`dob_estimated`; the
    year of birth follows the date, as person_update computes it); the year of birth is copied
    only when the survivor has neither date nor year, as an estimate. Pure: reads the two
    persons and writes nothing, so the merge page's preview and the merge agree."""
    out = {}
    for field in FILL_FIELDS:
        if field == "birth_year":
            continue
        mine, theirs = getattr(survivor, field), getattr(merged, field)
        if _empty(field, mine) and not _empty(field, theirs):
            out[field] = list(theirs) if isinstance(theirs, list) else theirs
    if "date_of_birth" in out:
        out["dob_estimated"] = bool(merged.dob_estimated)
    elif survivor.date_of_birth is None and survivor.birth_year is None and merged.birth_year:
        out["birth_year"] = merged.birth_year
        out["dob_estimated"] = True
    return out


def _filled_columns(fill: dict) -> list[str]:
    """The survivor's columns a fill writes: its fields, and the year a copied date recomputes."""
    columns = list(fill)
    if "date_of_birth" in fill and "birth_year" not in columns:
        columns.append("birth_year")
    return columns


def _fill_back(keep: Person, filled: dict, before: dict) -> tuple[dict, list, list]:
    """What an undo writes to take back a merge's fill: (data for person_update, fields
    emptied, fields left because they changed since the merge)."""
    data, emptied, left = {}, [], []
    for field, value in filled.items():
        if snapshot(keep, [field])[field] != value:
            left.append(field)
            continue
        emptied.append(field)
        data[field] = before.get(field, EMPTY.get(field, ""))
        if field == "sex" and data[field] not in Sex.values:
            data[field] = Sex.UNKNOWN
        if field == "date_of_birth":
            # a person keeps a date or a year: the year of the date when there was none before
            data["birth_year"] = before.get("birth_year") or keep.birth_year
            data["dob_estimated"] = True
        elif field == "birth_year":
            data["dob_estimated"] = bool(before.get("dob_estimated", False))
    return data, emptied, left


def _same_cases(a_id: int, b_id: int) -> list[str]:
    shared = CaseMember.objects.filter(
        person_id=a_id, case_id__in=CaseMember.objects.filter(person_id=b_id).values("case_id")
    )
    return list(
        Case.objects.filter(pk__in=shared.values("case_id"))
        .order_by("number")
        .values_list("number", flat=True)
    )


def _lock_persons(*ids) -> dict[int, Person]:
    return {p.pk: p for p in Person.objects.select_for_update().filter(pk__in=ids).order_by("pk")}


def _merged_snapshot(person: Person) -> dict:
    data = snapshot(person, [*PERSON_FIELDS, "registered_by_office", "version"])
    data["id"] = person.pk
    data["documents"] = [
        {"type": t, "number": n}
        for t, n in person.documents.order_by("pk").values_list("doc_type", "number")
    ]
    data["cases"] = list(
        Case.objects.filter(members__person=person)
        .order_by("number")
        .values_list("number", flat=True)
    )
    return data


def _case_ids(items: list[MergedItem]) -> set[int]:
    """The cases touched by moved case memberships or principal applicants."""
    member_pks = [int(i.object_pk) for i in items if i.model_label == "cases.CaseMember"]
    ids = {int(i.object_pk) for i in items if i.model_label == "cases.Case"}
    if member_pks:
        ids |= set(CaseMember.objects.filter(pk__in=member_pks).values_list("case_id", flat=True))
    return ids


def _record_refs(rows, visible) -> list[list]:
    """[[model label, pk]] of records named in a refusal; ["restricted", None] for a record the
    user may not see as what it is."""
    return [[r._meta.label, r.pk] if visible(r._meta.label) else ["restricted", None] for r in rows]


def _out_of_scope(user, mission_id: int, case_ids) -> int:
    """How many of these cases are outside policies.case_scope (another mission's cases the user
    has no access to)."""
    ids = set(case_ids)
    if not ids:
        return 0
    return len(ids) - policies.case_scope(user, mission_id).filter(pk__in=ids).count()


def _refuse_out_of_scope(n: int) -> None:
    if n:
        raise ValidationFailed(
            ngettext(
                "These records cannot be changed: %(n)s case of these persons is outside what "
                "you may see, and the change would rewrite it. Ask the office that holds it.",
                "These records cannot be changed: %(n)s cases of these persons are outside what "
                "you may see, and the change would rewrite them. Ask the offices that hold them.",
                n,
            )
            % {"n": n},
            code="cases_out_of_scope",
            details={"cases": n},
        )


def _persons_case_ids(*person_ids) -> set[int]:
    """The cases the persons are members or principal applicant of."""
    rows = Case.objects.filter(
        models.Q(members__person_id__in=person_ids) | models.Q(principal_id__in=person_ids)
    )
    return set(rows.values_list("pk", flat=True))


def _counts(items) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for item in items:
        counts[f"{item.model_label}.{item.field_name}"] += 1
    return dict(sorted(counts.items()))


def _versions(expected_versions, a_id: int, b_id: int) -> dict[int, int]:
    out = {}
    for key, value in (expected_versions or {}).items():
        try:
            out[int(key)] = int(value)
        except (TypeError, ValueError):
            continue
    missing = [pid for pid in (a_id, b_id) if pid not in out]
    if missing:
        raise ValidationFailed(
            fields={"versions": [_("Send the version you read of both persons.")]}
        )
    return out


# ---- merge --------------------------------------------------------------------------------------


def persons_merge(
    user, *, pair: DuplicatePair, survivor, expected_versions: dict, note: str = ""
) -> PersonMerge:
    """Merge the pair's two persons into `survivor` (a Person or its id, one of the pair).
    `expected_versions`: {person id: version read} for both persons. See the module docstring
    for what moves and when it is refused."""
    if not policies.may_decide(user, pair.mission_id):
        raise PermissionDenied(_("Only office managers of the mission decide on duplicates."))
    survivor_id = getattr(survivor, "pk", survivor)
    try:
        survivor_id = int(survivor_id)
    except (TypeError, ValueError):
        survivor_id = None
    if survivor_id not in (pair.person_a_id, pair.person_b_id):
        raise ValidationFailed(
            fields={"survivor": [_("Choose one of the two persons of the pair.")]},
            code="invalid_survivor",
        )
    merged_id = pair.person_b_id if survivor_id == pair.person_a_id else pair.person_a_id
    versions = _versions(expected_versions, pair.person_a_id, pair.person_b_id)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed(fields={"note": [_("At most %(n)s characters.") % {"n": NOTE_MAX}]})

    with transaction.atomic():
        pair = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
        if pair.status != PairStatus.OPEN:
            raise ValidationFailed(
                _("This pair is no longer waiting for a decision (%(status)s).")
                % {"status": pair.get_status_display()},
                code="pair_not_open",
            )
        persons = _lock_persons(survivor_id, merged_id)
        keep, gone = persons[survivor_id], persons[merged_id]
        for person in (keep, gone):
            if person.merged_into_id:
                raise ValidationFailed(
                    _("%(name)s was already merged into another record.")
                    % {"name": person.full_name},
                    code="person_already_merged",
                )
            if versions[person.pk] != person.version:
                raise StaleEdit()
        # A merge rewrites every case of both persons: never one the user may not see.
        _refuse_out_of_scope(
            _out_of_scope(user, pair.mission_id, _persons_case_ids(keep.pk, gone.pk))
        )
        shared = _same_cases(keep.pk, gone.pk)
        if shared:
            raise ValidationFailed(
                _(
                    "%(a)s and %(b)s are both members of case %(cases)s: members of one case "
                    "are different people (for example siblings or twins), never duplicates."
                )
                % {"a": keep.full_name, "b": gone.full_name, "cases": ", ".join(shared)},
                code="same_case",
                details={"cases": shared},
            )
        relations = person_relations()
        visible = policies.label_visibility(user, pair.mission_id)
        blocked = []
        for model, field in relations:
            if model._meta.auto_created:
                continue  # a duplicate many-to-many link is removed, not refused
            blocked += _conflicts(model, field, source_id=gone.pk, target_id=keep.pk)
        if blocked:
            raise ValidationFailed(
                _(
                    "These records cannot be merged: %(records)s of %(merged)s would duplicate "
                    "one of %(survivor)s. Correct or remove it first."
                )
                % {
                    "records": "; ".join(_describe(r, visible) for r in blocked),
                    "merged": gone.full_name,
                    "survivor": keep.full_name,
                },
                code="merge_conflict",
                details={"records": _record_refs(blocked, visible)},
            )
        merged_snapshot = _merged_snapshot(gone)

        items: list[MergedItem] = []
        for model, field in relations:
            label = model._meta.label
            if model._meta.auto_created:  # a many-to-many link: drop the ones keep already has
                for row in _conflicts(model, field, source_id=gone.pk, target_id=keep.pk):
                    data = {f.attname: getattr(row, f.attname) for f in model._meta.concrete_fields}
                    data.pop(model._meta.pk.attname, None)
                    items.append(
                        MergedItem(
                            model_label=label,
                            object_pk=str(row.pk),
                            field_name=field.name,
                            action=ItemAction.REMOVED,
                            data=data,
                        )
                    )
                    row.delete()
            pks = list(
                model._base_manager.filter(**{field.attname: gone.pk})
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            if not pks:
                continue
            try:
                with transaction.atomic():
                    _move(model, field, pks, keep.pk)
            except IntegrityError:
                # A rule the check above cannot see (e.g. a unique index on an expression).
                raise ValidationFailed(
                    _(
                        "These records cannot be merged: moving the %(what)s of %(merged)s to "
                        "%(survivor)s breaks a rule of the database."
                    )
                    % {
                        "what": model._meta.verbose_name_plural
                        if visible(label)
                        else _("restricted records"),
                        "merged": gone.full_name,
                        "survivor": keep.full_name,
                    },
                    code="merge_conflict",
                    details={
                        "records": [[label, pk] for pk in pks]
                        if visible(label)
                        else [["restricted", None]] * len(pks)
                    },
                ) from None
            items += [
                MergedItem(model_label=label, object_pk=str(pk), field_name=field.name)
                for pk in pks
            ]

        # The survivor: the merged person's names become aliases (searching either spelling
        # finds the survivor), its empty details are filled from the merged person (the one
        # write path recomputes the derived columns: year of birth, phone digits, alpha-3,
        # search text, match keys); its search text now holds the moved documents' numbers.
        before = keep.other_names
        fill = survivor_fill(keep, gone)
        filled_before = snapshot(keep, _filled_columns(fill))
        aliases = _aliases_for(keep, gone, name_arabic=fill.get("name_arabic", ""))
        data = {"other_names": ", ".join([*_split_names(before), *aliases])} if aliases else {}
        person_update(user, person=keep, expected_version=keep.version, data={**data, **fill})
        filled = snapshot(keep, [f for f in fill if f != "dob_estimated"])
        match_keys_refresh(keep)
        # The merged person: kept (its history points to it), marked, out of every list.
        person_update(user, person=gone, expected_version=gone.version, data={})
        Person.objects.filter(pk=gone.pk).update(merged_into=keep, version=F("version") + 1)
        gone.merged_into_id = keep.pk
        gone.version += 1
        match_keys_refresh(gone)

        now = timezone.now()
        closed = list(
            DuplicatePair.objects.filter(status=PairStatus.OPEN)
            .filter(models.Q(person_a_id=gone.pk) | models.Q(person_b_id=gone.pk))
            .exclude(pk=pair.pk)
            .values_list("pk", flat=True)
        )
        if closed:
            DuplicatePair.objects.filter(pk__in=closed).update(
                status=PairStatus.CLOSED,
                closed_reason=ClosedReason.PERSON_MERGED,
                version=F("version") + 1,
            )
        DuplicatePair.objects.filter(pk=pair.pk).update(
            status=PairStatus.MERGED,
            decided_by=user,
            decided_at=now,
            decision_note=note,
            version=F("version") + 1,
        )
        merge = PersonMerge.objects.create(
            mission_id=pair.mission_id,
            pair=pair,
            survivor=keep,
            merged=gone,
            merged_by=user,
            merged_at=now,
            merged_snapshot=merged_snapshot,
            aliases_added=aliases,
            survivor_other_names_before=before,
            survivor_filled=filled,
            survivor_filled_before=filled_before,
            closed_pair_ids=closed,
        )
        for item in items:
            item.merge = merge
        MergedItem.objects.bulk_create(items, batch_size=BATCH)
        _audit_merge(user, merge, items, aliases=len(aliases), closed=closed, pair=pair)
    return merge


def _audit_merge(user, merge, items, *, aliases: int, closed: list, pair) -> None:
    """The merge's events. They are shown on the timeline of every case of the survivor, to
    every role of the case: records of a restricted category are only counted together
    (`restricted`), never named (their kind, id and field stay in MergedItem, which the undo
    uses)."""
    office_id = merge.survivor.registered_by_office_id
    hidden = [i for i in items if _restricted(i.model_label)]
    items = [i for i in items if not _restricted(i.model_label)]
    audit_record(
        user,
        action=MERGED,
        obj=merge,
        person_id=merge.survivor_id,
        office_id=office_id,
        changes={
            "survivor": merge.survivor_id,
            "merged": merge.merged_id,
            "pair": pair.pk,
            "score": round(pair.score, 3),
            "moved": _counts([i for i in items if i.action == ItemAction.MOVED]),
            "removed_links": _counts([i for i in items if i.action == ItemAction.REMOVED]),
            "items": [[i.model_label, i.object_pk, i.field_name, i.action] for i in items],
            "restricted": len(hidden),
            "aliases_added": aliases,
            "filled": sorted(merge.survivor_filled),
            "closed_pairs": closed,
        },
    )
    audit_record(
        user,
        action=MERGED_INTO,
        obj=merge,
        person_id=merge.merged_id,
        office_id=merge.merged.registered_by_office_id,
        changes={"survivor": merge.survivor_id, "merge": merge.pk},
    )
    for case_id in sorted(_case_ids(items)):
        audit_record(
            user,
            action=CASE_PERSON_MERGED,
            obj=merge,
            case_id=case_id,
            person_id=merge.survivor_id,
            changes={"survivor": merge.survivor_id, "merged": merge.merged_id},
        )


# ---- undo ---------------------------------------------------------------------------------------


def merge_undo(user, *, merge: PersonMerge, note: str = "") -> PersonMerge:
    """Undo a merge (see the module docstring). Returns the merge, now marked undone."""
    if not policies.may_decide(user, merge.mission_id):
        raise PermissionDenied(_("Only office managers of the mission decide on duplicates."))
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed(fields={"note": [_("At most %(n)s characters.") % {"n": NOTE_MAX}]})
    with transaction.atomic():
        merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
        if merge.undone_at is not None:
            raise ValidationFailed(_("This merge was already undone."), code="merge_undone")
        persons = _lock_persons(merge.survivor_id, merge.merged_id)
        keep, gone = persons[merge.survivor_id], persons[merge.merged_id]
        if keep.merged_into_id:
            later = (
                PersonMerge.objects.filter(merged=keep, undone_at__isnull=True)
                .order_by("-pk")
                .first()
            )
            raise ValidationFailed(
                _(
                    "%(name)s has since been merged into another record: undo that merge "
                    "(#%(later)s) first."
                )
                % {"name": keep.full_name, "later": later.pk if later else "?"},
                code="survivor_merged",
            )
        if gone.merged_into_id != keep.pk:
            raise ValidationFailed(
                _("The merged record no longer points to the surviving one: nothing to undo."),
                code="merge_changed",
            )

        moved: dict[tuple[str, str], list[int]] = defaultdict(list)
        removed = []
        recorded = list(merge.items.all())
        for item in recorded:
            if item.action == ItemAction.REMOVED:
                removed.append(item)
            else:
                moved[(item.model_label, item.field_name)].append(int(item.object_pk))
        # The cases whose memberships or principal go back: never one the user may not see.
        _refuse_out_of_scope(
            _out_of_scope(
                user,
                merge.mission_id,
                _case_ids([i for i in recorded if i.action != ItemAction.REMOVED]),
            )
        )
        visible = policies.label_visibility(user, merge.mission_id)

        back: list[MergedItem] = []
        skipped: list[list] = []
        plan = []
        for (label, name), pks in sorted(moved.items()):
            try:
                model = apps.get_model(label)
                field = model._meta.get_field(name)
            except (LookupError, FieldDoesNotExist):  # an app or field removed since
                skipped += [[label, str(pk), name, "model_gone"] for pk in pks]
                continue
            current = dict(model._base_manager.filter(pk__in=pks).values_list("pk", field.attname))
            still = [pk for pk in pks if current.get(pk) == keep.pk]
            skipped += [[label, str(pk), name, "deleted"] for pk in pks if pk not in current]
            skipped += [
                [label, str(pk), name, "changed"]
                for pk in pks
                if pk in current and current[pk] != keep.pk
            ]
            blocked = _conflicts(model, field, source_id=keep.pk, target_id=gone.pk, pks=still)
            if blocked:
                raise ValidationFailed(
                    _(
                        "The merge cannot be undone: %(records)s would duplicate a record of "
                        "%(merged)s."
                    )
                    % {
                        "records": "; ".join(_describe(r, visible) for r in blocked),
                        "merged": gone.full_name,
                    },
                    code="undo_conflict",
                    details={"records": _record_refs(blocked, visible)},
                )
            plan.append((model, field, still))
        for model, field, still in plan:
            if still:
                _move(model, field, still, gone.pk)
                back += [
                    MergedItem(
                        model_label=model._meta.label, object_pk=str(pk), field_name=field.name
                    )
                    for pk in still
                ]
        restored: list[MergedItem] = []
        for item in removed:
            try:
                model = apps.get_model(item.model_label)
            except LookupError:
                skipped.append([item.model_label, item.object_pk, item.field_name, "model_gone"])
                continue
            data = dict(item.data)
            try:
                with transaction.atomic():
                    if not model._base_manager.filter(**data).exists():
                        model._base_manager.create(**data)
                        restored.append(item)
            except IntegrityError:  # the other side of the link was deleted since
                skipped.append([item.model_label, item.object_pk, item.field_name, "deleted"])

        # The survivor loses the aliases the merge added (other names added since stay) and the
        # details it filled that are still as filled (one changed since stays).
        added = {a.strip() for a in merge.aliases_added}
        names = _split_names(keep.other_names)
        kept_names = [n for n in names if n not in added]
        data = {"other_names": ", ".join(kept_names)} if len(kept_names) != len(names) else {}
        fill_back, emptied, left = _fill_back(
            keep, merge.survivor_filled or {}, merge.survivor_filled_before or {}
        )
        person_update(user, person=keep, expected_version=keep.version, data={**data, **fill_back})
        match_keys_refresh(keep)
        Person.objects.filter(pk=gone.pk).update(merged_into=None, version=F("version") + 1)
        gone.merged_into_id = None
        gone.version += 1
        person_update(user, person=gone, expected_version=gone.version, data={})
        match_keys_refresh(gone)

        now = timezone.now()
        DuplicatePair.objects.filter(pk=merge.pair_id).update(
            status=PairStatus.OPEN,
            decided_by=None,
            decided_at=None,
            decision_note="",
            version=F("version") + 1,
        )
        reopened = _reopen(merge.closed_pair_ids)
        PersonMerge.objects.filter(pk=merge.pk).update(
            undone_at=now, undone_by=user, undo_note=note
        )
        merge.refresh_from_db()
        _audit_undo(
            user,
            merge,
            back,
            skipped=skipped,
            restored=restored,
            reopened=reopened,
            emptied=emptied,
            left=left,
        )
    return merge


def _reopen(pair_ids) -> list[int]:
    """Reopen the pairs a merge closed, if they are still closed for that reason and neither
    person is merged now."""
    rows = DuplicatePair.objects.filter(
        pk__in=pair_ids or [],
        status=PairStatus.CLOSED,
        closed_reason=ClosedReason.PERSON_MERGED,
        person_a__merged_into__isnull=True,
        person_b__merged_into__isnull=True,
    )
    ids = list(rows.values_list("pk", flat=True))
    if ids:
        DuplicatePair.objects.filter(pk__in=ids).update(
            status=PairStatus.OPEN, closed_reason="", version=F("version") + 1
        )
    return ids


def _audit_undo(user, merge, back, *, skipped, restored, reopened, emptied, left) -> None:
    """The undo's events: like the merge's, records of a restricted category moved back, links
    restored or skipped are only counted (`restricted`, `restricted_skipped`), never named."""
    hidden = [i for i in [*back, *restored] if _restricted(i.model_label)]
    back = [i for i in back if not _restricted(i.model_label)]
    restored = [i for i in restored if not _restricted(i.model_label)]
    hidden_skipped = [s for s in skipped if _restricted(s[0])]
    skipped = [s for s in skipped if not _restricted(s[0])]
    audit_record(
        user,
        action=MERGE_UNDONE,
        obj=merge,
        person_id=merge.survivor_id,
        office_id=merge.survivor.registered_by_office_id,
        changes={
            "survivor": merge.survivor_id,
            "merged": merge.merged_id,
            "moved_back": _counts(back),
            "items": [[i.model_label, i.object_pk, i.field_name] for i in back],
            "links_restored": len(restored),
            "skipped": skipped,
            "restricted": len(hidden),
            "restricted_skipped": len(hidden_skipped),
            "aliases_removed": len(merge.aliases_added),
            "filled_emptied": sorted(emptied),
            "filled_left": sorted(left),
            "reopened_pairs": reopened,
            "note": bool(merge.undo_note),
        },
    )
    audit_record(
        user,
        action=MERGE_UNDONE,
        obj=merge,
        person_id=merge.merged_id,
        office_id=merge.merged.registered_by_office_id,
        changes={"survivor": merge.survivor_id, "merged": merge.merged_id},
    )
    for case_id in sorted(_case_ids(back)):
        audit_record(
            user,
            action=CASE_MERGE_UNDONE,
            obj=merge,
            case_id=case_id,
            person_id=merge.merged_id,
            changes={"survivor": merge.survivor_id, "merged": merge.merged_id},
        )
