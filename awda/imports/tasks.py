"""Celery tasks of imports. With a broker (CELERY_BROKER_URL) they run in a worker; without one,
in-process when called (eager). Only the job id crosses the broker."""

from celery import shared_task


@shared_task(name="awda.imports.tasks.run_import", ignore_result=True, acks_late=True)
def run_import(job_id: int) -> str:
    """Import the rows of job `job_id` (see imports.services.commit.import_run)."""
    from awda.imports.services import import_run

    return import_run(job_id)


@shared_task(name="awda.imports.tasks.purge_imports", ignore_result=True)
def purge_imports() -> int:
    """Delete the files of old imports (for a periodic schedule, e.g. celery beat)."""
    from awda.imports.services import import_purge

    return import_purge()
