"""Background work that survives a broker outage: the outbox, and the record of failures.

Code that needs a Celery task calls `outbox_enqueue` inside its transaction instead of
`task.delay`: the message is a row committed with the change, so a broker that is down
(or a process that dies between commit and publish) loses nothing. Right after commit the
row is sent; a row the broker refused waits for `outbox_flush`, run every minute by beat
and by `manage.py flush_outbox`.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import traceback
from collections.abc import Iterable

from celery import current_app
from django.db import transaction

from ops.cache import cache_is_up
from ops.models import FailedJob, OutboxMessage

logger = logging.getLogger(__name__)


def outbox_enqueue(*, task: str, args: Iterable = (), kwargs: dict | None = None) -> OutboxMessage:
    """Queue `task` with the current transaction; it is sent once that transaction commits.

    A message identical to one still waiting is not queued twice (tasks are idempotent).
    """
    args, kwargs = list(args), kwargs or {}
    message = OutboxMessage.objects.filter(task=task, args=args, kwargs=kwargs).first()
    if message is None:
        message = OutboxMessage.objects.create(task=task, args=args, kwargs=kwargs)
    transaction.on_commit(lambda: outbox_flush(ids=[message.pk], quick=True))
    return message


def outbox_flush(*, ids: Iterable[int] | None = None, limit: int = 1000, quick: bool = False) -> int:
    """Send waiting messages in order; stop at the first the broker refuses. Returns how many were sent.

    `quick` (after a web request's commit): skip at once while this process knows Redis is
    down, rather than make the reader wait for a connection timeout; the beat flush sends it later.
    """
    if quick and not cache_is_up():
        return 0
    sent = 0
    with transaction.atomic():
        waiting = OutboxMessage.objects.select_for_update(skip_locked=True).order_by("created_at", "pk")
        if ids is not None:
            waiting = waiting.filter(pk__in=list(ids))
        for message in waiting[:limit]:
            try:
                with transaction.atomic():
                    _send(message)
            except Exception as exc:  # the broker (or, when eager, the task) failed: keep the row
                OutboxMessage.objects.filter(pk=message.pk).update(
                    attempts=message.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:300]
                )
                logger.warning("Outbox: %s not sent (%s); kept for the next flush", message.task, type(exc).__name__)
                break
            message.delete()
            sent += 1
    return sent


def _send(message: OutboxMessage) -> None:
    # Celery registers tasks as their modules are imported (the worker imports them all at
    # start); in a web process import the task's module so that eager mode is honoured.
    module = message.task.rpartition(".")[0]
    with contextlib.suppress(ImportError):
        importlib.import_module(module)
    task = current_app.tasks.get(message.task)
    if task is None:  # defined only in the worker: publish by name
        current_app.send_task(message.task, args=message.args, kwargs=message.kwargs, retry=False)
    else:
        task.apply_async(args=message.args, kwargs=message.kwargs, retry=False)


def failed_job_record(*, task: str, task_id: str, args, kwargs, exc: BaseException, retries: int) -> FailedJob:
    """Keep a task that failed for good where the coordinator sees it (admin, "Attività fallite")."""
    error = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:500]
    job, _created = FailedJob.objects.update_or_create(
        task_id=task_id or "",
        task=task,
        defaults={
            "args": _jsonable(args),
            "kwargs": _jsonable(kwargs),
            "error": error,
            "retries": retries,
        },
    )
    return job


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return repr(value)
