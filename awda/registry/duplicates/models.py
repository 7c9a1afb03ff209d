"""The review queue of possible duplicate persons, the detection runs that fill it, and the
merges decided from it (with every row a merge moved, so it can be undone).

See docs/duplicates-review.md for the rules (scope of a mission, who decides, what a merge moves,
what an undo restores)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import (
    ClosedReason,
    ItemAction,
    PairSource,
    PairStatus,
    RunPhase,
    RunStatus,
    RunTrigger,
)

# A running detection that has not written progress for this long has lost its worker.
STALL_AFTER = datetime.timedelta(minutes=30)


class DetectionRun(models.Model):
    """One batch detection over the persons of a mission (or, after an import, over the pairs
    involving the imported persons). Runs in the background (Celery; in-process without a
    broker) and reports its progress here."""

    mission = models.ForeignKey(
        "accounts.Mission", on_delete=models.PROTECT, related_name="+", verbose_name=_("mission")
    )
    trigger = models.CharField(_("trigger"), max_length=10, choices=RunTrigger.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    # After an import: only pairs involving these persons are looked for (empty: every person).
    person_ids = models.JSONField(_("persons"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    phase = models.CharField(_("phase"), max_length=10, choices=RunPhase.choices, blank=True)
    progress = models.PositiveIntegerField(_("persons read"), default=0)
    total = models.PositiveIntegerField(_("persons to read"), null=True, blank=True)
    persons_compared = models.PositiveIntegerField(_("persons compared"), default=0)
    pairs_found = models.PositiveIntegerField(_("pairs found"), default=0)
    pairs_new = models.PositiveIntegerField(_("new pairs"), default=0)
    pairs_updated = models.PositiveIntegerField(_("pairs updated"), default=0)
    pairs_closed = models.PositiveIntegerField(_("pairs closed"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("duplicate detection run")
        verbose_name_plural = _("duplicate detection runs")
        indexes = [models.Index(fields=["mission", "-created_at"], name="dup_run_mission_idx")]

    def __str__(self):
        return f"#{self.pk} {self.get_trigger_display()}"

    @property
    def finished(self) -> bool:
        return self.status in (RunStatus.DONE, RunStatus.FAILED)

    @property
    def stalled(self) -> bool:
        beat = self.heartbeat_at or self.started_at
        return (
            self.status == RunStatus.RUNNING
            and beat is not None
            and beat <= timezone.now() - STALL_AFTER
        )

    @property
    def percent(self) -> int:
        if self.status == RunStatus.DONE:
            return 100
        if not self.total:
            return 0
        # Reading is most of the visible work; comparing and saving take the last tenth.
        read = min(self.progress, self.total) * 90 // self.total
        return (
            read
            + (5 if self.phase == RunPhase.COMPARING else 0)
            + (9 if self.phase == RunPhase.SAVING else 0)
        )


class DuplicatePair(models.Model):
    """Two persons who may be the same, with the engine's score and reasons, waiting for a
    decision. One row per pair of persons ever proposed (person_a < person_b): a rejected pair
    stays, so it is never proposed again."""

    mission = models.ForeignKey(
        "accounts.Mission", on_delete=models.PROTECT, related_name="+", verbose_name=_("mission")
    )
    person_a = models.ForeignKey(
        "registry.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("person")
    )
    person_b = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("other person"),
    )
    score = models.FloatField(_("score"))
    # [{code, params, weight}] as the engine gave them (awda.registry.matching.Reason).
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=PairStatus.choices, default=PairStatus.OPEN
    )
    closed_reason = models.CharField(
        _("closed because"), max_length=20, choices=ClosedReason.choices, blank=True
    )
    source = models.CharField(_("found by"), max_length=12, choices=PairSource.choices)
    run = models.ForeignKey(
        DetectionRun,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="pairs",
        verbose_name=_("detection run"),
    )
    detected_at = models.DateTimeField(_("detected at"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last detected at"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("note"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["-score", "-id"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(fields=["person_a", "person_b"], name="dup_pair_unique"),
            models.CheckConstraint(
                condition=models.Q(person_a__lt=models.F("person_b")), name="dup_pair_ordered"
            ),
        ]
        indexes = [
            models.Index(fields=["mission", "status", "-score", "-id"], name="dup_pair_queue_idx"),
            models.Index(fields=["person_b", "status"], name="dup_pair_b_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} ({self.person_a_id}, {self.person_b_id})"

    @property
    def percent(self) -> int:
        return round(self.score * 100)

    def other(self, person_id):
        return self.person_b if person_id == self.person_a_id else self.person_a


class PersonMerge(models.Model):
    """A confirmed duplicate: every reference to `merged` was moved to `survivor` (each moved
    row is a MergedItem) and `merged.merged_into` points to the survivor. Undone by
    services.merge_undo, which moves exactly those rows back."""

    mission = models.ForeignKey(
        "accounts.Mission", on_delete=models.PROTECT, related_name="+", verbose_name=_("mission")
    )
    pair = models.ForeignKey(
        DuplicatePair, on_delete=models.PROTECT, related_name="merges", verbose_name=_("pair")
    )
    survivor = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("surviving person"),
    )
    merged = models.ForeignKey(
        "registry.Person",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("merged person"),
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    merged_at = models.DateTimeField(_("merged at"), default=timezone.now)
    # The merged person's record as it was (names, dates, documents), for the history.
    merged_snapshot = models.JSONField(_("merged person"), default=dict)
    # Aliases added to the survivor's other names (removed again by an undo).
    aliases_added = models.JSONField(_("aliases added"), default=list, blank=True)
    survivor_other_names_before = models.CharField(max_length=300, blank=True)
    # The survivor's empty details filled from the merged person ({field: value}, dates ISO;
    # merging.survivor_fill), and what those columns held before (with the year of birth and
    # "estimated" flag a copied date recomputes): an undo empties what is still as filled.
    survivor_filled = models.JSONField(_("filled from the merged person"), default=dict, blank=True)
    survivor_filled_before = models.JSONField(default=dict, blank=True)
    # Other open pairs of the merged person closed by the merge (reopened by an undo).
    closed_pair_ids = models.JSONField(default=list, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("undone by"),
    )
    undo_note = models.TextField(_("reason for the undo"), blank=True)

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merge of duplicate persons")
        verbose_name_plural = _("merges of duplicate persons")
        indexes = [
            models.Index(fields=["mission", "-merged_at"], name="dup_merge_mission_idx"),
            models.Index(fields=["merged"], name="dup_merge_merged_idx"),
            models.Index(fields=["survivor"], name="dup_merge_survivor_idx"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.merged_id} → {self.survivor_id}"

    @property
    def undone(self) -> bool:
        return self.undone_at is not None


class MergedItem(models.Model):
    """One row a merge changed: `field` of `model_label` row `object_pk` pointed to the merged
    person and now points to the survivor (moved), or was a many-to-many link the survivor
    already had and was removed (`data` keeps what is needed to put it back)."""

    merge = models.ForeignKey(PersonMerge, on_delete=models.CASCADE, related_name="items")
    model_label = models.CharField(_("record type"), max_length=100)
    object_pk = models.CharField(_("record"), max_length=40)
    field_name = models.CharField(_("field"), max_length=60)
    action = models.CharField(
        _("action"), max_length=10, choices=ItemAction.choices, default=ItemAction.MOVED
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("merged record")
        verbose_name_plural = _("merged records")

    def __str__(self):
        return f"{self.model_label}#{self.object_pk}.{self.field_name}"
