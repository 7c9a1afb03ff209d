"""Celery tasks of the reports app. With a broker (CELERY_BROKER_URL) they run in a worker
(`celery -A config worker -l info`); without one, in-process when called (eager). Only ids cross
the broker: never filters, passwords or personal data."""

from celery import shared_task


@shared_task(name="awda.reports.tasks.run_export", ignore_result=True, acks_late=True)
def run_export(job_id: int) -> str:
    """Build the file of export job `job_id` (see reports.exports.services.export_run)."""
    from awda.reports.exports.services import export_run

    return export_run(job_id)


@shared_task(name="awda.reports.tasks.purge_exports", ignore_result=True)
def purge_exports() -> int:
    """Delete the files of expired exports (for a periodic schedule, e.g. celery beat)."""
    from awda.reports.exports.services import export_purge_expired

    return export_purge_expired()
