"""Celery tasks of the duplicates review. With a broker (CELERY_BROKER_URL) they run in a worker
(`celery -A config worker -l info`), and the nightly detection needs the scheduler running too
(`celery -A config beat -l info`, see CELERY_BEAT_SCHEDULE and AWDA_DUPLICATES_SCHEDULE in the
settings); without a broker, a run starts in-process when it is requested. Only ids cross the
broker, never personal data."""

from celery import shared_task


@shared_task(
    name="awda.registry.duplicates.tasks.run_detection", ignore_result=True, acks_late=True
)
def run_detection(run_id: int) -> str:
    """Run duplicate detection `run_id` (see duplicates.services.detection_run)."""
    from .services import detection_run

    return detection_run(run_id)


@shared_task(name="awda.registry.duplicates.tasks.detect_all_missions", ignore_result=True)
def detect_all_missions() -> list[int]:
    """The nightly schedule: a full detection run per active mission."""
    from .services import duplicates_detect_scheduled

    return duplicates_detect_scheduled()
