"""One export job end to end through a real Celery worker and Redis (not eager)."""

import io
import os
import time

import pytest
from celery.contrib.testing.worker import start_worker
from openpyxl import load_workbook

from labimpact.celery import app
from labimpact.demo import load_demo
from labimpact.reference import load_reference
from reports import services
from reports.models import ExportJob, ExportStatus

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def shared_data(transactional_db):
    """A browser test that ran before may have flushed the session's data: load it again,
    while Celery is still eager (the loaders queue search-index tasks we do not want here)."""
    from territories.models import Ambito

    if not Ambito.objects.exists():
        load_reference()
        load_demo()


@pytest.fixture
def redis_worker(shared_data):
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError:
        pytest.fail(f"this test needs Redis at {REDIS_URL}")
    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    _drop_connection_pools()
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.update(saved)
        _drop_connection_pools()


def _drop_connection_pools():
    # The producer pool is made once, for the broker configured then (memory:// in tests).
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None


@pytest.mark.flushes_db
@pytest.mark.django_db(transaction=True)
def test_fami_export_runs_in_a_celery_worker_through_redis(redis_worker):
    from django.contrib.auth import get_user_model

    coordinatore = get_user_model().objects.get(username="coordinatore")
    job = services.export_job_create(exporter="fami", params={"start": "2019-01-01"}, by=coordinatore)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (ExportStatus.DONE, ExportStatus.FAILED):
            break
        time.sleep(0.2)
    assert job.status == ExportStatus.DONE, job.error
    assert ExportJob.objects.get(pk=job.pk).progress == 100
    with job.file.open("rb") as fh:
        book = load_workbook(io.BytesIO(fh.read()))
    assert book.sheetnames[0] == "Riepilogo"
