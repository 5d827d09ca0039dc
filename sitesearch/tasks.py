from celery import shared_task

from sitesearch import services


@shared_task(ignore_result=True)
def reindex(kind: str, object_id: int) -> None:
    """Rebuild one item's index rows; idempotent, reads the item afresh."""
    services.entry_index(kind=kind, object_id=object_id)
