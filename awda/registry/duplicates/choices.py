from django.db import models
from django.utils.translation import gettext_lazy as _


class PairStatus(models.TextChoices):
    OPEN = "open", _("To review")
    MERGED = "merged", _("Merged")
    REJECTED = "rejected", _("Not the same person")
    CLOSED = "closed", _("Closed")


class PairSource(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    BATCH = "batch", _("Detection run")
    IMPORT = "import", _("Import")
    SCHEDULE = "schedule", _("Nightly detection")


class ClosedReason(models.TextChoices):
    """Why an open pair was closed without a decision on it."""

    PERSON_MERGED = "person_merged", _("One of the persons was merged with someone else")
    NOT_DETECTED = "not_detected", _("No longer detected (the records changed)")


class RunTrigger(models.TextChoices):
    MANUAL = "manual", _("Run by hand")
    SCHEDULE = "schedule", _("Nightly schedule")
    IMPORT = "import", _("After an import")


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RunPhase(models.TextChoices):
    LOADING = "loading", _("Reading the persons")
    COMPARING = "comparing", _("Comparing")
    SAVING = "saving", _("Updating the review queue")


class ItemAction(models.TextChoices):
    MOVED = "moved", _("Moved to the surviving person")
    REMOVED = "removed", _("Removed (the surviving person was already there)")


# Score bands of the queue filter, cut at the engine's LIKELY_THRESHOLD (selectors.score_band_q).
SCORE_BAND_CHOICES = [
    ("likely", _("Likely duplicates")),
    ("possible", _("Possible duplicates")),
]

TRIGGER_SOURCE = {
    RunTrigger.MANUAL: PairSource.BATCH,
    RunTrigger.SCHEDULE: PairSource.SCHEDULE,
    RunTrigger.IMPORT: PairSource.IMPORT,
}
