"""Broker mode: the export is sent to Redis and built by a real Celery worker (in a thread of this
process), as in production, while the request only creates the job.

Never skipped: without Redis the test fails and says so. The broker is REDIS_URL (as .ci/run sets
it) or redis://127.0.0.1:6379/0; each run uses a queue of its own, so parallel runs and other
users of the same Redis do not take each other's tasks. The test is transactional: the worker
thread reads the job through its own database connection (SQLite's shared in-memory test
database, or PostgreSQL). The test waits for the worker's "task finished" signal rather than
polling the job: on SQLite's shared-cache test database a read in this thread could lock the
table under the worker's write (SQLITE_LOCKED, which is not retried)."""

import os
import threading
import uuid

import pytest
import redis
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import before_task_publish, task_postrun

from awda.reports import tasks
from awda.reports.exports import services
from awda.reports.exports.choices import JobStatus
from awda.reports.models import ExportJob
from config.celery import app as project_app

from .conftest import csv_rows, file_bytes

pytestmark = pytest.mark.django_db(transaction=True)

BROKER_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
TIMEOUT_S = 60


@pytest.fixture
def redis_broker():
    try:
        redis.Redis.from_url(BROKER_URL, socket_connect_timeout=3).ping()
    except redis.exceptions.RedisError as exc:
        pytest.fail(
            f"Redis is not reachable at {BROKER_URL} ({exc}). The broker-mode export test needs "
            "it: start Redis (`redis-server`, as .ci/run does) or set REDIS_URL.",
            pytrace=False,
        )
    return BROKER_URL


@pytest.fixture
def worker_app(redis_broker):
    """A Celery app on Redis with a queue of its own, made the current app (the shared tasks,
    hence run_export.delay, resolve to it), with a worker consuming that queue."""
    queue = f"awda-test-exports-{uuid.uuid4().hex}"
    app = Celery("awda-test-broker", set_as_current=False)
    app.conf.update(
        broker_url=redis_broker,
        result_backend=None,
        task_default_queue=queue,
        task_always_eager=False,
        task_acks_late=True,
        worker_prefetch_multiplier=1,
        broker_connection_retry_on_startup=True,
        worker_hijack_root_logger=False,
    )
    app.set_current()
    assert tasks.run_export.name in app.tasks  # shared tasks register with every app
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False):
            yield app
    finally:
        project_app.set_current()
        app.close()  # its connections (which would declare the queue again)
        client = redis.Redis.from_url(redis_broker)
        leftovers = list(client.scan_iter(match=f"*{queue}*"))  # the queue and its bindings
        if leftovers:
            client.delete(*leftovers)


@pytest.fixture
def finished():
    """An event set when the worker has run run_export (successfully or not)."""
    event = threading.Event()

    def on_postrun(sender=None, **kwargs):
        if sender is not None and sender.name == tasks.run_export.name:
            event.set()

    task_postrun.connect(on_postrun, weak=False)
    yield event
    task_postrun.disconnect(on_postrun)


@pytest.fixture
def published():
    """What is sent to the broker: (task name, message body) of each task published."""
    sent = []

    def on_publish(sender=None, body=None, **kwargs):
        sent.append((sender, body))

    before_task_publish.connect(on_publish, weak=False)
    yield sent
    before_task_publish.disconnect(on_publish)


def wait_until_finished(finished: threading.Event, job_id: int) -> ExportJob:
    if not finished.wait(TIMEOUT_S):
        raise AssertionError(f"The worker did not run export {job_id} in {TIMEOUT_S} s.")
    return ExportJob.objects.get(pk=job_id)


def test_export_runs_in_a_celery_worker_through_redis(
    worker_app, finished, caseworker, rabat_cases
):
    job = services.export_request(caseworker, kind="case_list", format="csv", password="")

    # The request only queued it: the worker builds the file.
    job = wait_until_finished(finished, job.pk)

    assert job.status == JobStatus.DONE, job.error
    rows = csv_rows(file_bytes(job))
    assert len(rows) == 1 + len(rabat_cases) == 1 + job.progress


def test_a_protected_export_gets_its_password_without_the_broker_carrying_it(
    worker_app, finished, published, caseworker, rabat_cases
):
    job = services.export_request(
        caseworker, kind="case_list", format="xlsx", password="never-in-redis-42"
    )
    job = wait_until_finished(finished, job.pk)

    assert len(published) == 1
    name, (args, kwargs, _embed) = published[0]
    assert (name, list(args), kwargs) == (tasks.run_export.name, [job.pk], {})  # the id only
    assert job.status == JobStatus.DONE, job.error
    assert job.password_token == ""
