from __future__ import annotations

import logging

from celery.signals import task_failure

logger = logging.getLogger(__name__)


def _task_failed(sender=None, task_id=None, exception=None, args=None, kwargs=None, **extra) -> None:
    from ops.services import failed_job_record

    name = getattr(sender, "name", str(sender))
    retries = getattr(getattr(sender, "request", None), "retries", 0) or 0
    logger.error("Task %s failed for good: %s", name, type(exception).__name__)
    try:
        failed_job_record(task=name, task_id=task_id or "", args=args, kwargs=kwargs, exc=exception, retries=retries)
    except Exception:  # the database may be what failed; the log line above stays
        logger.exception("Could not record the failed task %s", name)


def connect() -> None:
    task_failure.connect(_task_failed, dispatch_uid="ops-task-failure", weak=False)
