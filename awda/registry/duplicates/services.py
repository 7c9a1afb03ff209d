"""The one write path of the duplicates review: detect (a background run over a mission's persons),
propose a pair, reject it, merge two persons and undo a merge (see merging.py for the last two).

* `duplicates_detect` checks the policy, creates a DetectionRun, audits it and enqueues the task
  on commit; `duplicates_detect_later` is what the import calls after committing its persons
  (no policy: the import was allowed, the run only looks for pairs involving those persons).
* `detection_run` is the task's body: claims the queued run, reads the mission's persons in
  chunks (detection.py), runs the engine (matching.find_pairs) and upserts the pairs: a new pair
  is created open; an open pair gets the new score and reasons; a rejected, merged or closed pair
  is left as it is (a rejected pair is never proposed again); on a full run, an open pair of two
  persons read but no longer found is closed (not_detected).
* `pair_propose` puts one pair found elsewhere (the registration check) in the queue, with the
  same rules.
* `pair_reject` records "not the same person" with a note: remembered and audited.

Audit events hold ids, counts and codes, never names."""

import logging
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from awda.accounts.models import Mission
from awda.audit.services import audit_record
from awda.core.errors import ApplicationError, PermissionDenied, StaleEdit, ValidationFailed
from awda.registry import matching

from . import detection, policies
from .choices import (
    TRIGGER_SOURCE,
    ClosedReason,
    PairSource,
    PairStatus,
    RunPhase,
    RunStatus,
    RunTrigger,
)
from .merging import merge_undo, persons_merge  # noqa: F401  (public services)
from .models import STALL_AFTER, DetectionRun, DuplicatePair

logger = logging.getLogger(__name__)

RUN_REQUESTED = "duplicates.run.requested"
RUN_COMPLETED = "duplicates.run.completed"
RUN_FAILED = "duplicates.run.failed"
PAIR_PROPOSED = "duplicates.pair.proposed"
PAIR_REJECTED = "duplicates.pair.rejected"

SAVE_BATCH = 1000
NOTE_MAX = 2000


def reasons_json(match) -> list[dict]:
    """A Match's reasons as stored on a pair: [{code, params, weight}]."""
    return [
        {"code": r.code, "params": dict(r.params or {}), "weight": round(float(r.weight), 4)}
        for r in match.reasons
    ]


def _ordered(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


# ---- requesting a run ---------------------------------------------------------------------------


def _active_run(mission_id: int):
    """A full run of the mission that is queued or running (and not stalled), if any."""
    return (
        DetectionRun.objects.filter(
            mission_id=mission_id,
            person_ids=[],
            status__in=[RunStatus.QUEUED, RunStatus.RUNNING],
        )
        .filter(
            Q(status=RunStatus.QUEUED)
            | Q(heartbeat_at__gt=timezone.now() - STALL_AFTER)
            | Q(heartbeat_at__isnull=True, started_at__gt=timezone.now() - STALL_AFTER)
        )
        .order_by("-id")
        .first()
    )


def _enqueue(run_id: int) -> None:
    """Send the run to the broker (or run it now, in-process, when there is none). A broker
    that cannot be reached fails the run with a message instead of leaving it queued."""
    from .tasks import run_detection

    try:
        run_detection.delay(run_id)
    except Exception:
        logger.exception("Could not enqueue duplicate detection %s", run_id)
        _fail(run_id, _("The background job service is unavailable: try again later."))


def _create_run(user, *, mission, trigger: str, person_ids) -> DetectionRun:
    with transaction.atomic():
        run = DetectionRun.objects.create(
            mission=mission,
            trigger=trigger,
            requested_by=user if getattr(user, "is_authenticated", False) else None,
            person_ids=sorted({int(p) for p in person_ids or []}),
        )
        audit_record(
            user,
            action=RUN_REQUESTED,
            obj=run,
            changes={
                "mission": mission.pk,
                "trigger": trigger,
                "persons": len(run.person_ids) or "all",
            },
        )
        transaction.on_commit(partial(_enqueue, run.pk))
    return run


def duplicates_detect(user, *, mission, trigger: str = RunTrigger.MANUAL, person_ids=None):
    """Start a detection run over the persons of `mission` (only the pairs involving
    `person_ids` when given). Runs in the background after the transaction commits; returns the
    DetectionRun to follow. A full run asked for while another is queued or running for the
    mission returns that one instead of starting a second.

    A user must be allowed to decide (policies.may_decide) in the mission; `user` None is the
    system (the nightly schedule)."""
    if trigger not in RunTrigger.values:
        raise ValidationFailed(fields={"trigger": [_("Unknown trigger.")]})
    if user is not None and not policies.may_decide(user, mission.pk):
        raise PermissionDenied(_("Only office managers of the mission start a detection run."))
    if not person_ids:
        with transaction.atomic():
            # Lock the mission row so two requests cannot both start a full run.
            Mission.objects.select_for_update().filter(pk=mission.pk).first()
            active = _active_run(mission.pk)
            if active is not None:
                return active
            return _create_run(user, mission=mission, trigger=trigger, person_ids=None)
    return _create_run(user, mission=mission, trigger=trigger, person_ids=person_ids)


def duplicates_detect_later(user, *, mission, person_ids) -> DetectionRun | None:
    """After an import has committed its persons: look for pairs involving them, in the
    background. No policy check (the import was allowed; the pairs go to the review queue,
    whose readers are checked). Nothing to do without persons (returns None)."""
    ids = [int(p) for p in person_ids or []]
    if not ids:
        return None
    return _create_run(user, mission=mission, trigger=RunTrigger.IMPORT, person_ids=ids)


def duplicates_detect_scheduled() -> list[int]:
    """The nightly run: one full run per active mission (skipping a mission whose run is still
    going). Returns the ids of the runs started."""
    started = []
    for mission in Mission.objects.filter(is_active=True).order_by("pk"):
        run = duplicates_detect(None, mission=mission, trigger=RunTrigger.SCHEDULE)
        if run.trigger == RunTrigger.SCHEDULE and run.status == RunStatus.QUEUED:
            started.append(run.pk)
    fail_stalled_runs()
    return started


def fail_stalled_runs() -> int:
    """Fail the runs whose worker stopped (running without progress for STALL_AFTER)."""
    limit = timezone.now() - STALL_AFTER
    stalled = DetectionRun.objects.filter(status=RunStatus.RUNNING).filter(
        Q(heartbeat_at__lte=limit) | Q(heartbeat_at__isnull=True, started_at__lte=limit)
    )
    n = 0
    for run_id in stalled.values_list("pk", flat=True):
        n += _fail(run_id, _("The detection stopped (its background worker was interrupted)."))
    return n


# ---- the task -----------------------------------------------------------------------------------


def _beat(run_id: int, **fields) -> None:
    DetectionRun.objects.filter(pk=run_id).update(heartbeat_at=timezone.now(), **fields)


def detection_run(run_id: int) -> str:
    """Run a queued detection (the body of tasks.run_detection). Returns the run's final
    status, or "" when it was not queued (already run, or unknown)."""
    now = timezone.now()
    claimed = DetectionRun.objects.filter(pk=run_id, status=RunStatus.QUEUED).update(
        status=RunStatus.RUNNING, started_at=now, heartbeat_at=now, phase=RunPhase.LOADING
    )
    if not claimed:
        logger.info("Duplicate detection %s is not queued: nothing to do.", run_id)
        return ""
    run = DetectionRun.objects.select_related("requested_by").get(pk=run_id)
    language = getattr(run.requested_by, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        try:
            counts = _detect(run)
        except Exception as exc:
            if isinstance(exc, ApplicationError):
                message = str(exc.message)
            else:
                logger.exception("Duplicate detection %s failed", run_id)
                message = _(
                    "The detection failed because of an unexpected error. Try again; if it "
                    "fails again, tell your administrator (run #%(id)s)."
                ) % {"id": run_id}
            _fail(run_id, message)
            return RunStatus.FAILED
    with transaction.atomic():
        DetectionRun.objects.filter(pk=run_id).update(
            status=RunStatus.DONE, finished_at=timezone.now(), heartbeat_at=timezone.now(), **counts
        )
        audit_record(
            None,
            action=RUN_COMPLETED,
            obj=run,
            changes={"mission": run.mission_id, "trigger": run.trigger, **counts},
        )
    return RunStatus.DONE


def _fail(run_id: int, message: str) -> int:
    with transaction.atomic():
        failed = DetectionRun.objects.filter(
            pk=run_id, status__in=[RunStatus.QUEUED, RunStatus.RUNNING]
        ).update(status=RunStatus.FAILED, error=str(message), finished_at=timezone.now())
        if failed:
            run = DetectionRun.objects.get(pk=run_id)
            audit_record(None, action=RUN_FAILED, obj=run, changes={"mission": run.mission_id})
    return failed


def _detect(run: DetectionRun) -> dict:
    persons = detection.mission_persons(run.mission_id)
    total = persons.count()
    _beat(run.pk, total=total)
    records = list(
        detection.iter_records(persons, on_chunk=lambda done: _beat(run.pk, progress=done))
    )
    _beat(run.pk, phase=RunPhase.COMPARING, progress=len(records))
    found = matching.find_pairs(records, threshold=matching.REVIEW_THRESHOLD)
    targets = set(run.person_ids or [])
    if targets:
        # After an import: the pairs involving the imported persons only. The engine still
        # compares them with every person of the mission (its scores may depend on the whole
        # population, e.g. how common a name is).
        found = [(a, b, m) for a, b, m in found if a in targets or b in targets]
    _beat(run.pk, phase=RunPhase.SAVING)
    read = None if targets else {r.id for r in records}
    counts = _upsert(
        run.mission_id,
        found,
        source=TRIGGER_SOURCE[run.trigger],
        run_id=run.pk,
        read_ids=read,
    )
    return {"persons_compared": len(records), "pairs_found": len(found), **counts}


def _upsert(mission_id: int, found, *, source: str, run_id=None, read_ids=None) -> dict:
    """Save the pairs found into the queue (see the module docstring). `read_ids`: on a full
    run, the ids of every person read, to close the open pairs no longer found among them."""
    now = timezone.now()
    found_map = {_ordered(a, b): m for a, b, m in found}
    existing: dict[tuple[int, int], tuple[int, str]] = {}
    firsts = sorted({a for a, _b in found_map})
    for i in range(0, len(firsts), SAVE_BATCH):
        rows = DuplicatePair.objects.filter(person_a_id__in=firsts[i : i + SAVE_BATCH])
        for pk, a, b, status in rows.values_list("pk", "person_a_id", "person_b_id", "status"):
            if (a, b) in found_map:
                existing[(a, b)] = (pk, status)
    to_create, to_update = [], []
    for (a, b), match in found_map.items():
        row = existing.get((a, b))
        if row is None:
            to_create.append(
                DuplicatePair(
                    mission_id=mission_id,
                    person_a_id=a,
                    person_b_id=b,
                    score=float(match.score),
                    reasons=reasons_json(match),
                    source=source,
                    run_id=run_id,
                    detected_at=now,
                    last_seen_at=now,
                )
            )
        elif row[1] == PairStatus.OPEN:
            to_update.append(
                DuplicatePair(
                    pk=row[0],
                    score=float(match.score),
                    reasons=reasons_json(match),
                    last_seen_at=now,
                    run_id=run_id,
                )
            )
    closed = 0
    with transaction.atomic():
        # ignore_conflicts: an import run may save the same pair at the same time.
        DuplicatePair.objects.bulk_create(to_create, batch_size=SAVE_BATCH, ignore_conflicts=True)
        DuplicatePair.objects.bulk_update(
            to_update, ["score", "reasons", "last_seen_at", "run_id"], batch_size=SAVE_BATCH
        )
        if read_ids is not None:
            stale = [
                pk
                for pk, a, b in DuplicatePair.objects.filter(
                    mission_id=mission_id, status=PairStatus.OPEN, last_seen_at__lt=now
                ).values_list("pk", "person_a_id", "person_b_id")
                if a in read_ids and b in read_ids and (a, b) not in found_map
            ]
            for i in range(0, len(stale), SAVE_BATCH):
                closed += DuplicatePair.objects.filter(
                    pk__in=stale[i : i + SAVE_BATCH], status=PairStatus.OPEN
                ).update(
                    status=PairStatus.CLOSED,
                    closed_reason=ClosedReason.NOT_DETECTED,
                    version=F("version") + 1,
                )
    return {"pairs_new": len(to_create), "pairs_updated": len(to_update), "pairs_closed": closed}


# ---- one pair -----------------------------------------------------------------------------------


def pair_propose(user, *, mission, person_a, person_b, match, source=PairSource.REGISTRATION):
    """Put one pair in the review queue (a new pair open; an open one updated; a rejected,
    merged or closed one left as it is). Returns the pair, or None when the score is under the
    review threshold or a person is merged into another."""
    if match.score < matching.REVIEW_THRESHOLD or person_a.pk == person_b.pk:
        return None
    if person_a.merged_into_id or person_b.merged_into_id:
        return None
    a, b = _ordered(person_a.pk, person_b.pk)
    with transaction.atomic():
        counts = _upsert(mission.pk, [(a, b, match)], source=source)
        pair = DuplicatePair.objects.get(person_a_id=a, person_b_id=b)
        if counts["pairs_new"]:
            audit_record(
                user,
                action=PAIR_PROPOSED,
                obj=pair,
                changes={"source": source, "score": round(pair.score, 3)},
            )
    return pair


def pair_reject(user, *, pair: DuplicatePair, expected_version, note: str = ""):
    """ "Not the same person": the pair is closed for good (never proposed again) and audited.
    `expected_version`: the pair's version the user read (required: a decision taken on a
    stale page is refused with StaleEdit)."""
    if not policies.may_decide(user, pair.mission_id):
        raise PermissionDenied(_("Only office managers of the mission decide on duplicates."))
    try:
        expected_version = int(expected_version)
    except (TypeError, ValueError):
        raise ValidationFailed(
            fields={"version": [_("Send the version of the pair you read.")]}
        ) from None
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationFailed(fields={"note": [_("At most %(n)s characters.") % {"n": NOTE_MAX}]})
    with transaction.atomic():
        locked = DuplicatePair.objects.select_for_update().get(pk=pair.pk)
        if locked.status != PairStatus.OPEN:
            raise ValidationFailed(
                _("This pair is no longer waiting for a decision (%(status)s).")
                % {"status": locked.get_status_display()},
                code="pair_not_open",
            )
        if expected_version != locked.version:
            raise StaleEdit()
        now = timezone.now()
        DuplicatePair.objects.filter(pk=pair.pk).update(
            status=PairStatus.REJECTED,
            decided_by=user,
            decided_at=now,
            decision_note=note,
            version=F("version") + 1,
        )
        audit_record(
            user,
            action=PAIR_REJECTED,
            obj=locked,
            changes={
                "person_a": locked.person_a_id,
                "person_b": locked.person_b_id,
                "score": round(locked.score, 3),
                "note": bool(note),
            },
        )
    pair.refresh_from_db()
    return pair
