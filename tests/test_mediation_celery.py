"""Notification tasks through a real Celery worker, with Redis as the broker."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from labimpact.celery import app
from labimpact.demo import load_demo
from labimpact.reference import load_reference
from mediation.models import Notification
from tests.mediation_helpers import submit, user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def redis_worker():
    if not getattr(settings, "REDIS_AVAILABLE", False):
        pytest.fail(f"Redis must answer at {settings.REDIS_URL} for the Celery integration test")
    load_reference()
    load_demo()
    previous = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=settings.REDIS_URL, result_backend=settings.REDIS_URL, task_always_eager=False)
    _drop_connection_pools()
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield
    finally:
        app.conf.update(previous)
        _drop_connection_pools()


def _drop_connection_pools():
    # Producers are pooled per broker URL on first use: forget them when the URL changes.
    app._pool = None
    app.amqp._producer_pool = None


def _wait_for(condition, seconds=20):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_new_request_mail_goes_through_the_worker_once(redis_worker):
    mail.outbox.clear()
    request = submit(by=user("referente_scuola"))  # commits: the task is queued on commit
    assert _wait_for(lambda: any(f"n. {request.pk}" in m.subject for m in mail.outbox)), "the worker sent nothing"
    sent = [m for m in mail.outbox if f"n. {request.pk}" in m.subject]
    assert sent[0].to == ["operatore_sesto@demo.labimpact.invalid"]
    # Queued again (a retry, a duplicate), the task sends nothing new.
    from mediation.tasks import notify_new_request

    notify_new_request.delay(request.pk).get(timeout=20)
    assert len([m for m in mail.outbox if f"n. {request.pk}" in m.subject]) == len(sent)
    assert Notification.objects.filter(key__startswith=f"new:{request.pk}:").count() == len(sent)
