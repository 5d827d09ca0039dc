"""Tasks of the ops app, and the retry policy every task of the portal uses."""

from __future__ import annotations

from celery import shared_task

# Every task retries with exponential backoff (1 s, 2 s, 4 s… at most 5 minutes, with
# jitter) and, when the retries run out, lands in FailedJob (ops.signals) for the coordinator.
RETRYING = {
    "autoretry_for": (Exception,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
    "ignore_result": True,
}


@shared_task(**RETRYING)
def flush_outbox() -> int:
    """Send what the outbox kept while the broker was down (beat, every minute)."""
    from ops.services import outbox_flush

    return outbox_flush()


@shared_task(**RETRYING)
def invalidate_public_pages() -> None:
    """A content change could not reach the cache: make every cached public page stale now."""
    from labimpact.caching import invalidate

    invalidate()
